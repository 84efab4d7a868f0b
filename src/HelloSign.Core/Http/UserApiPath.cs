using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace HelloSign.Core.Http;

/// <summary>
/// Checks a path the user typed (Invoke-HelloSignRequest -Path) before anything is sent: it may only name an
/// endpoint under the connection's API base. Only plain segments of unreserved ASCII characters are accepted,
/// so no scheme, host, "..", "//", query, fragment, escape or control character can ever reach the URI.
/// </summary>
public static class UserApiPath
{
    /// <summary>The segments of <paramref name="path"/> joined by "/", without a leading slash; throws ArgumentException with the reason.</summary>
    public static string Check(string? path)
    {
        if (path is null || path.Trim().Length == 0)
        {
            throw new ArgumentException("The path is empty: give the API path under the base URI, e.g. 'account' or 'signature_request/list'.");
        }

        if (path.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'))
        {
            throw new ArgumentException("The path contains a control character (a line break, tab or similar).");
        }

        if (path.IndexOf("://", StringComparison.Ordinal) >= 0 || path.StartsWith("//", StringComparison.Ordinal) || path.StartsWith("\\\\", StringComparison.Ordinal))
        {
            throw new ArgumentException("The path must be relative to the connection's API base, not a URL or another host: the key is only ever sent to the connected base URI.");
        }

        if (path.IndexOfAny(new[] { '?', '#' }) >= 0)
        {
            throw new ArgumentException("The path must not contain a query string or fragment ('?' or '#'): pass query values with -Query, which encodes them.");
        }

        var relative = path.StartsWith("/", StringComparison.Ordinal) ? path.Substring(1) : path;
        var segments = relative.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                throw new ArgumentException("The path has an empty segment ('//' or a trailing '/').");
            }

            if (segment is "." or "..")
            {
                throw new ArgumentException("The path must not contain '.' or '..' segments: it may not leave the API base.");
            }

            var bad = segment.FirstOrDefault(c => !IsUnreserved(c));
            if (bad != default(char))
            {
                throw new ArgumentException($"The path contains '{Show(bad)}': only letters, digits and - . _ ~ are allowed between the slashes (API paths and ids need nothing else; nothing is escaped for you).");
            }
        }

        if (string.Equals(segments[0], "v3", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The path starts with 'v3', but it is relative to the API base, which already ends in /v3/: leave 'v3/' out.");
        }

        return relative;
    }

    /// <summary>
    /// A refused path as it may be shown (an error's TargetObject): without a query, a fragment or anything up to an
    /// '@', which is where a pasted key or password sits, and with control characters as '?'.
    /// </summary>
    public static string Redact(string? path)
    {
        var shown = path ?? string.Empty;
        var end = shown.IndexOfAny(new[] { '?', '#' });
        shown = end >= 0 ? shown.Substring(0, end) : shown;
        var at = shown.LastIndexOf('@');
        shown = at >= 0 ? shown.Substring(at + 1) : shown;
        return new string(shown.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c).ToArray());
    }

    /// <summary>
    /// Query parameters in the order given, each name and value percent-encoded; null values are left out, a list
    /// repeats the name per value, booleans are written as the API spells them (true, false). Empty when there are none.
    /// </summary>
    public static string EncodeQuery(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var pairs = new List<string>();
        foreach (var parameter in parameters)
        {
            if (string.IsNullOrEmpty(parameter.Key))
            {
                throw new ArgumentException("A query parameter has an empty name.");
            }

            // A list gives the name once per value (name=a&name=b), the form the API's array parameters take.
            var values = parameter.Value is IEnumerable list and not string ? list.Cast<object?>() : new[] { parameter.Value };
            foreach (var value in values.Where(v => v is not null))
            {
                pairs.Add(Uri.EscapeDataString(parameter.Key) + "=" + Uri.EscapeDataString(Format(value!)));
            }
        }

        return string.Join("&", pairs);
    }

    private static string Format(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        DateTime time => new DateTimeOffset(time.ToUniversalTime()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static bool IsUnreserved(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_' or '~';

    private static string Show(char c) => c is ' ' ? "a space" : c.ToString();
}
