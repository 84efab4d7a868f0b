using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HelloSign.Core.Ids;

namespace HelloSign.Core.Http;

/// <summary>
/// A request path relative to the API base URI. Built only from fixed segments and parsed ids
/// (escaped all the same), so user input can never add a segment, a query or a fragment.
/// </summary>
public sealed class ApiPath
{
    private ApiPath(string relative)
    {
        Relative = relative;
    }

    /// <summary>
    /// The path and query appended to the base URI, e.g. "signature_request/cancel/abc". It never holds a secret,
    /// so -Verbose shows it as it is.
    /// </summary>
    public string Relative { get; }

    public static ApiPath Account() => Fixed("account");

    public static ApiPath Cancel(string signatureRequestId) => WithId("signature_request/cancel/", signatureRequestId);

    public static ApiPath Remove(string signatureRequestId) => WithId("signature_request/remove/", signatureRequestId);

    public static ApiPath Get(string signatureRequestId) => WithId("signature_request/", signatureRequestId);

    public static ApiPath List(int page, int pageSize, string? query, string? accountId)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("page", page.ToString(CultureInfo.InvariantCulture)),
            new("page_size", pageSize.ToString(CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(accountId))
        {
            parameters.Add(new("account_id", accountId!));
        }

        if (!string.IsNullOrEmpty(query))
        {
            parameters.Add(new("query", query!));
        }

        var queryString = string.Join("&", parameters.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value)));
        return Fixed("signature_request/list?" + queryString);
    }

    private static ApiPath Fixed(string relative) => new(relative);

    private static ApiPath WithId(string prefix, string signatureRequestId)
    {
        var parsed = SignatureRequestIdParser.Parse(signatureRequestId);
        if (parsed.Status != IdParseStatus.Valid || parsed.Id != signatureRequestId)
        {
            throw new ArgumentException("Only a normalized signature request id can be put in a request path.", nameof(signatureRequestId));
        }

        return Fixed(prefix + Uri.EscapeDataString(signatureRequestId));
    }

    public override string ToString() => Relative;
}
