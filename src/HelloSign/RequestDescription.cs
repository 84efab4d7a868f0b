using System;
using System.Globalization;
using System.Management.Automation;
using HelloSign.Core.Text;

namespace HelloSign;

/// <summary>
/// Names a signature request in a confirmation or -WhatIf line from what the piped object carries, so a person
/// can recognise what they are about to cancel: 'Title' from requester, created date (id). A bare id stays bare.
/// </summary>
internal static class RequestDescription
{
    private const int TitleLength = 60;

    public static string Of(string id, string? title, string? requester, object? created)
    {
        var parts = string.Empty;
        if (!string.IsNullOrWhiteSpace(title))
        {
            parts += $"'{SafeText.Flattened(title!, TitleLength)}'";
        }

        if (!string.IsNullOrWhiteSpace(requester))
        {
            parts += (parts.Length > 0 ? " " : string.Empty) + "from " + SafeText.Flattened(requester!, 80);
        }

        if (Created(created) is { } date)
        {
            parts += (parts.Length > 0 ? ", " : string.Empty) + "created " + date;
        }

        return parts.Length > 0 ? $"{parts} ({id})" : id;
    }

    /// <summary>A DateTimeOffset (this module's objects) or DateTime, Unix seconds (the API's JSON), or text as it was (a CSV column).</summary>
    private static string? Created(object? value)
    {
        var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
        DateTime? utc = raw switch
        {
            DateTime date => date.ToUniversalTime(),
            DateTimeOffset date => date.UtcDateTime,
            long seconds when seconds is > 0 and < 253402300800 => DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime,
            int seconds when seconds > 0 => DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime,
            _ => null,
        };

        if (utc is { } known)
        {
            return known.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        }

        return raw is string text && text.Trim().Length > 0 ? SafeText.Flattened(text, 40) : null;
    }
}
