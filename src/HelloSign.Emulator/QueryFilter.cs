using System.Globalization;

namespace HelloSign.Emulator;

/// <summary>
/// The subset of the list endpoint's search syntax the emulator understands: clauses joined by AND
/// (or just spaces), each one of complete:true|false, declined:true|false, title:word or title:"a phrase",
/// from:me (or from:&lt;email&gt;), created:[min TO max] (Unix seconds or yyyy-MM-dd, * for open),
/// or an unfielded word/phrase matched against title, subject and message. Matching is case-insensitive.
/// Anything else (OR, NOT, wildcards, other fields) is rejected with a FormatException rather than guessed at.
/// </summary>
internal sealed class QueryFilter
{
    private readonly Func<SignatureRequestRecord, bool>[] _clauses;

    private QueryFilter(Func<SignatureRequestRecord, bool>[] clauses) => _clauses = clauses;

    public bool Matches(SignatureRequestRecord record) => Array.TrueForAll(_clauses, clause => clause(record));

    /// <param name="query">The raw query parameter (already URL-decoded); empty matches everything.</param>
    /// <param name="callerEmail">Whom "me" stands for.</param>
    public static QueryFilter Parse(string query, string callerEmail)
    {
        var clauses = new List<Func<SignatureRequestRecord, bool>>();
        var expectClause = true;
        foreach (var token in Tokenize(query))
        {
            if (token == "AND")
            {
                if (expectClause)
                {
                    throw new FormatException("AND must join two search terms.");
                }

                expectClause = true;
                continue;
            }

            if (token is "OR" or "NOT" || token.StartsWith('-'))
            {
                throw new FormatException("Only AND is supported to combine search terms in the emulator.");
            }

            clauses.Add(ParseClause(token, callerEmail));
            expectClause = false;
        }

        if (expectClause && clauses.Count > 0)
        {
            throw new FormatException("AND must join two search terms.");
        }

        return new QueryFilter([.. clauses]);
    }

    private static Func<SignatureRequestRecord, bool> ParseClause(string token, string callerEmail)
    {
        var colon = token.IndexOf(':');
        var quote = token.IndexOf('"');
        if (colon < 0 || (quote >= 0 && quote < colon))
        {
            var text = Unquote(token);
            return r => Contains(r.Seed.Title, text) || Contains(r.Seed.Subject, text) || Contains(r.Seed.Message, text);
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
            case "title":
                var title = Unquote(value);
                return r => Contains(r.Seed.Title, title);
            case "from":
                var who = Unquote(value);
                var sender = who.Equals("me", StringComparison.OrdinalIgnoreCase) ? callerEmail : who;
                return r => string.Equals(r.Seed.RequesterEmailAddress, sender, StringComparison.OrdinalIgnoreCase);
            case "created":
                var (min, max) = ParseRange(value);
                return r => r.Seed.CreatedAt >= min && r.Seed.CreatedAt <= max;
            default:
                throw new FormatException($"The search field '{field}' is not supported by the emulator.");
        }
    }

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
                var closer = query[i] switch { '"' => '"', '[' => ']', _ => '\0' };
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

    /// <summary>[min TO max], both ends inclusive; a date as upper bound covers that whole day.</summary>
    private static (long Min, long Max) ParseRange(string value)
    {
        var parts = value.Length > 2 && value[0] == '[' && value[^1] == ']' ? value[1..^1].Split(" TO ") : [];
        if (parts.Length != 2)
        {
            throw new FormatException("created: expects a range like [2025-01-01 TO 2025-12-31].");
        }

        return (ParseBound(parts[0].Trim(), long.MinValue, 0), ParseBound(parts[1].Trim(), long.MaxValue, 86_399));
    }

    private static long ParseBound(string bound, long open, long dateOffset)
    {
        if (bound == "*")
        {
            return open;
        }

        if (long.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        return DateOnly.TryParseExact(bound, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero).ToUnixTimeSeconds() + dateOffset
            : throw new FormatException("created: range bounds must be Unix seconds, yyyy-MM-dd or *.");
    }

    private static bool Contains(string? field, string text) =>
        field is not null && field.Contains(text, StringComparison.OrdinalIgnoreCase);
}
