using System.Collections.Generic;

namespace HelloSign.Core.Models;

/// <summary>One page of GET /signature_request/list.</summary>
public sealed class SignatureRequestPage
{
    public SignatureRequestPage(IReadOnlyList<SignatureRequest> items, int page, int numberOfPages, int? numberOfResults)
    {
        Items = items;
        Page = page;
        NumberOfPages = numberOfPages;
        NumberOfResults = numberOfResults;
    }

    public IReadOnlyList<SignatureRequest> Items { get; }
    public int Page { get; }
    public int NumberOfPages { get; }
    public int? NumberOfResults { get; }
}
