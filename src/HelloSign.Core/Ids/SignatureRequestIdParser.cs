using System;
using System.Linq;
using HelloSign.Core.Text;

namespace HelloSign.Core.Ids;

/// <summary>What became of one line or value the user gave as a signature request id.</summary>
public enum IdParseStatus
{
    /// <summary>A plain lowercase hex id, safe to put in a request path.</summary>
    Valid,
    /// <summary>Nothing but white space: skipped without a word, like a blank line in a file.</summary>
    Blank,
    /// <summary>Not a HelloSign id; <see cref="IdParseResult.Reason"/> says why.</summary>
    Invalid,
}

public readonly struct IdParseResult
{
    private IdParseResult(IdParseStatus status, string? id, string? reason)
    {
        Status = status;
        Id = id;
        Reason = reason;
    }

    public IdParseStatus Status { get; }

    /// <summary>The normalized id when <see cref="Status"/> is Valid; otherwise null.</summary>
    public string? Id { get; }

    /// <summary>Why the input was refused, when <see cref="Status"/> is Invalid.</summary>
    public string? Reason { get; }

    internal static IdParseResult Valid(string id) => new(IdParseStatus.Valid, id, null);
    internal static IdParseResult Blank() => new(IdParseStatus.Blank, null, null);
    internal static IdParseResult Invalid(string reason) => new(IdParseStatus.Invalid, null, reason);
}

/// <summary>
/// Turns what users paste (lines of Windows files, HelloSign links) into ids.
/// Only plain hex survives, so nothing the user types can reach a request path other than an id.
/// </summary>
public static class SignatureRequestIdParser
{
    // The cancel docs show 40 hex digits and the list examples 24; allow a little room either side
    // rather than refuse an id format the API might use, since a wrong-length hex id costs only a 404.
    public const int MinimumLength = 20;
    public const int MaximumLength = 64;

    // Longer input is not an id or a link to one; don't spend time on it.
    private const int MaximumInputLength = 4096;

    private static readonly char[] ExtraTrimChars = { '\uFEFF', '\u200B', '\0', '"', '\'' };

    public static IdParseResult Parse(string? input)
    {
        if (input is null)
        {
            return IdParseResult.Blank();
        }

        if (input.Length > MaximumInputLength)
        {
            return IdParseResult.Invalid($"The value is {input.Length} characters long; a signature request id is {MinimumLength} to {MaximumLength} hex digits.");
        }

        var text = TrimAll(input);
        if (text.Length == 0)
        {
            return IdParseResult.Blank();
        }

        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return ParseUrl(text);
        }

        return ParseHex(text);
    }

    private static string TrimAll(string input)
    {
        var text = input;
        string previous;
        do
        {
            previous = text;
            text = text.Trim().Trim(ExtraTrimChars);
        }
        while (text.Length != previous.Length);
        return text;
    }

    private static IdParseResult ParseHex(string text)
    {
        if (text.Length < MinimumLength || text.Length > MaximumLength || !text.All(IsHexDigit))
        {
            return IdParseResult.Invalid(
                $"'{Printable(text)}' is not a signature request id: expected {MinimumLength} to {MaximumLength} hex digits (usually 40), or a HelloSign link that contains one.");
        }

        return IdParseResult.Valid(text.ToLowerInvariant());
    }

    private static IdParseResult ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !IsHelloSignHost(uri.Host))
        {
            return IdParseResult.Invalid($"'{Printable(text)}' is not a HelloSign link: only links to hellosign.com or Dropbox Sign pages are read for an id.");
        }

        // .../home/manage?guid=ID (details page) or ...?signature_request_id=ID
        foreach (var pair in uri.Query.TrimStart('?').Split('&'))
        {
            var separator = pair.IndexOf('=');
            if (separator <= 0)
            {
                continue;
            }

            var name = pair.Substring(0, separator);
            if (name.Equals("guid", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("signature_request_id", StringComparison.OrdinalIgnoreCase))
            {
                return FromLink(text, Uri.UnescapeDataString(pair.Substring(separator + 1)));
            }
        }

        // .../sign/ID or .../signature_request/ID: the last path segment.
        var segments = uri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2
            ? FromLink(text, segments[segments.Length - 1])
            : IdParseResult.Invalid($"'{Printable(text)}' is a HelloSign link without a signature request id in it.");
    }

    private static IdParseResult FromLink(string link, string candidate)
    {
        var parsed = ParseHex(candidate.Trim());
        return parsed.Status == IdParseStatus.Valid
            ? parsed
            : IdParseResult.Invalid($"'{Printable(link)}' is a HelloSign link, but '{Printable(candidate)}' in it is not a signature request id.");
    }

    private static bool IsHelloSignHost(string host)
    {
        string[] domains = { "hellosign.com", "dropboxsign.com", "sign.dropbox.com", "hellofax.com" };
        return domains.Any(domain =>
            host.Equals(domain, StringComparison.OrdinalIgnoreCase) ||
            host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsHexDigit(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

    /// <summary>Shows refused input safely in a message: harmful characters escaped, long values cut.</summary>
    internal static string Printable(string text) => SafeText.Escaped(text);
}
