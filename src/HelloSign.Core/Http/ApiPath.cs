using System;
using System.Collections.Generic;
using System.Globalization;
using HelloSign.Core.Ids;

namespace HelloSign.Core.Http;

/// <summary>
/// A request path relative to the API base URI. Built only from fixed segments and parsed ids
/// (escaped all the same), or from a raw path that passed <see cref="UserApiPath.Check"/>, so user input can
/// never add a host, a segment outside the base, or an unencoded query or fragment.
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
        var parameters = new List<KeyValuePair<string, object?>>
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

        return Fixed("signature_request/list?" + UserApiPath.EncodeQuery(parameters));
    }

    /// <summary>A path the user typed, checked by <see cref="UserApiPath.Check"/> (throws ArgumentException), with its query encoded.</summary>
    public static ApiPath FromUser(string path, IEnumerable<KeyValuePair<string, object?>> query)
    {
        var checkedPath = UserApiPath.Check(path);
        var queryString = UserApiPath.EncodeQuery(query);
        return Fixed(queryString.Length == 0 ? checkedPath : checkedPath + "?" + queryString);
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
