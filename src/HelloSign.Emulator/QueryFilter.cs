using System.Text.Json;
using System.Globalization;

namespace HelloSign.Emulator;

/// <summary>
/// The list endpoint's search syntax as the reference documents it: terms joined by AND (or just spaces), groups
/// of them joined by OR (AND binds tighter; there are no parentheses). A term is an unfielded word or "phrase",
/// matched against everything the API searches (signers' emails and names, the sender, title, subject, message,
/// metadata values and file names), or one of to:, from: (both take me), title:, subject:, message:, metadata:,
/// filename:, complete:true|false, declined:true|false, created:[min TO max] (inclusive) or {min TO max}
/// (exclusive) with Unix seconds, yyyy-MM-dd or *. Text matches case-insensitively as a substring.
/// Anything else (NOT, -term, wildcards, other fields) is rejected with a FormatException rather than guessed at.
/// </summary>
internal sealed class QueryFilter
{
    private readonly Func<SignatureRequestRecord, bool>[][] _groups;

    private QueryFilter(Func<SignatureRequestRecord, bool>[][] groups) => _groups = groups;

    /// <summary>An empty query has no groups and matches everything.</summary>
    public bool Matches(SignatureRequestRecord record) =>
        _groups.Length == 0 || Array.Exists(_groups, group => Array.TrueForAll(group, clause => clause(record)));

    /// <param name="query">The raw query parameter (already URL-decoded); empty matches everything.</param>
    /// <param name="callerEmail">Whom "me" stands for.</param>
    public static QueryFilter Parse(string query, string callerEmail)
    {
        var groups = new List<Func<SignatureRequestRecord, bool>[]>();
        var group = new List<Func<SignatureRequestRecord, bool>>();
        string? joiner = null;
        foreach (var token in Tokenize(query))
        {
            if (token is "AND" or "OR")
            {
                if (group.Count == 0 || joiner is not null)
                {
                    throw new FormatException($"{token} must join two search terms.");
                }

                joiner = token;
                continue;
            }

            if (token is "NOT" || token.StartsWith('-'))
            {
                throw new FormatException("NOT and -term are not supported by the emulator; only AND and OR combine search terms.");
            }

            if (joiner == "OR")
            {
                groups.Add([.. group]);
                group.Clear();
            }

            group.Add(ParseClause(token, callerEmail));
            joiner = null;
        }

        if (joiner is not null)
        {
            throw new FormatException($"{joiner} must join two search terms.");
        }

        if (group.Count > 0)
        {
            groups.Add([.. group]);
        }

        return new QueryFilter([.. groups]);
    }

    private static Func<SignatureRequestRecord, bool> ParseClause(string token, string callerEmail)
    {
        var colon = token.IndexOf(':');
        var quote = token.IndexOf('"');
        if (colon < 0 || (quote >= 0 && quote < colon))
        {
            var text = Unquote(token);
            return r => SearchedText(r).Any(field => Contains(field, text));
        }

        var field = token[..colon].ToLowerInvariant();
        var value = token[(colon + 1)..];
        switch (field)
        {
            case "complete":
                var complete = ParseBoolean(field, value);
                return r => (r.State == RequestStates.Complete) == complete;
            case "declined":
                var declined = ParseBoolean(field, value);
                return r => (r.State == RequestStates.Declined) == declined;
            case "created":
                var (min, max) = ParseRange(value);
                return r => r.Seed.CreatedAt >= min && r.Seed.CreatedAt <= max;
            case "to":
            case "from":
                var who = Unquote(value);
                var isMe = who.Equals("me", StringComparison.OrdinalIgnoreCase);
                Func<SignatureRequestRecord, IEnumerable<string?>> people = field == "to" ? Recipients : r => [r.Seed.RequesterEmailAddress];
                return isMe
                    ? r => people(r).Any(p => string.Equals(p, callerEmail, StringComparison.OrdinalIgnoreCase))
                    : r => people(r).Any(p => Contains(p, who));
        }

        var searched = FieldText(field) ?? throw new FormatException($"The search field '{field}' is not supported by the emulator.");
        var term = Unquote(value);
        return r => searched(r).Any(text => Contains(text, term));
    }

    private static Func<SignatureRequestRecord, IEnumerable<string?>>? FieldText(string field) => field switch
    {
        "title" => r => [r.Seed.Title],
        "subject" => r => [r.Seed.Subject],
        "message" => r => [r.Seed.Message],
        "metadata" => r => r.Seed.Metadata.Values.Select(MetadataText),
        "filename" => r => r.Seed.FileNames,
        _ => null,
    };

    private static IEnumerable<string?> Recipients(SignatureRequestRecord record) =>
        record.Seed.Signatures.SelectMany(s => new[] { s.SignerEmailAddress, s.SignerName });

    /// <summary>Everything an unfielded term is matched against.</summary>
    private static IEnumerable<string?> SearchedText(SignatureRequestRecord record) =>
        Recipients(record)
            .Append(record.Seed.RequesterEmailAddress)
            .Concat(new[] { "title", "subject", "message", "metadata", "filename" }.SelectMany(field => FieldText(field)!(record)));

    private static string? MetadataText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();

    /// <summary>Splits on spaces, keeping "quoted phrases" and [range TO brackets] in one token.</summary>
    private static List<string> Tokenize(string query)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < query.Length)
        {
            if (char.IsWhiteSpace(query[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < query.Length && !char.IsWhiteSpace(query[i]))
            {
                var closer = query[i] switch { '"' => '"', '[' => ']', '{' => '}', _ => '\0' };
                if (closer == '\0')
                {
                    i++;
                    continue;
                }

                var end = query.IndexOf(closer, i + 1);
                i = end >= 0 ? end + 1 : throw new FormatException($"Unbalanced {query[i]} in the search query.");
            }

            tokens.Add(query[start..i]);
        }

        return tokens;
    }

    private static string Unquote(string value)
    {
        var text = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        if (text.Contains('*'))
        {
            throw new FormatException("Wildcards are not supported by the emulator.");
        }

        return text.Length > 0 && !text.Contains('"') ? text : throw new FormatException("A search term is empty or badly quoted.");
    }

    private static bool ParseBoolean(string field, string value) =>
        bool.TryParse(value, out var result) ? result : throw new FormatException($"{field}: expects true or false.");

    /// <summary>
    /// [min TO max] includes both ends, {min TO max} excludes them; a date as upper bound covers that whole day,
    /// so excluding it means excluding the day. Returned as inclusive Unix seconds.
    /// </summary>
    private static (long Min, long Max) ParseRange(string value)
    {
        var inclusive = value.Length > 2 && value[0] == '[' && value[^1] == ']';
        var exclusive = value.Length > 2 && value[0] == '{' && value[^1] == '}';
        var parts = inclusive || exclusive ? value[1..^1].Split(" TO ") : [];
        if (parts.Length != 2)
        {
            throw new FormatException("created: expects a range like [2025-01-01 TO 2025-12-31] or {2025-01-01 TO 2025-12-31}.");
        }

        var min = ParseBound(parts[0].Trim(), long.MinValue, exclusive ? 86_400 : 0, exclusive ? 1 : 0);
        var max = ParseBound(parts[1].Trim(), long.MaxValue, exclusive ? -1 : 86_399, exclusive ? -1 : 0);
        return (min, max);
    }

    private static long ParseBound(string bound, long open, long dateOffset, long secondsOffset)
    {
        if (bound == "*")
        {
            return open;
        }

        if (long.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds + secondsOffset;
        }

        return DateOnly.TryParseExact(bound, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero).ToUnixTimeSeconds() + dateOffset
            : throw new FormatException("created: range bounds must be Unix seconds, yyyy-MM-dd or *.");
    }

    private static bool Contains(string? field, string text) =>
        field is not null && field.Contains(text, StringComparison.OrdinalIgnoreCase);
}
