using System;
using System.Collections.Generic;

namespace HelloSign.Core.Ids;

public enum IdFilterVerdict
{
    /// <summary>A valid id seen for the first time: act on it.</summary>
    New,
    /// <summary>A valid id already seen in this run: warn, send nothing.</summary>
    Duplicate,
    /// <summary>A blank line: skip quietly.</summary>
    Blank,
    /// <summary>Not an id: report an error, send nothing.</summary>
    Invalid,
}

/// <summary>
/// Parses every value a cmdlet receives and remembers the ids it has seen, so each distinct id is sent once
/// per invocation. Memory grows with the number of distinct ids only.
/// </summary>
public sealed class SignatureRequestIdFilter
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public (IdFilterVerdict Verdict, string? Id, string? Reason) Accept(string? input)
    {
        var parsed = SignatureRequestIdParser.Parse(input);
        return parsed.Status switch
        {
            IdParseStatus.Blank => (IdFilterVerdict.Blank, null, null),
            IdParseStatus.Invalid => (IdFilterVerdict.Invalid, null, parsed.Reason),
            _ => _seen.Add(parsed.Id!) ? (IdFilterVerdict.New, parsed.Id, null) : (IdFilterVerdict.Duplicate, parsed.Id, null),
        };
    }
}
