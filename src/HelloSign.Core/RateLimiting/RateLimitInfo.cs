using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace HelloSign.Core.RateLimiting;

/// <summary>
/// The rate-limit figures one response carried (X-RateLimit-Limit, X-RateLimit-Remaining, X-Ratelimit-Reset).
/// Each is null when absent or unreadable: a bad header never fails a request.
/// </summary>
public sealed class RateLimitInfo
{
    public static readonly RateLimitInfo None = new(null, null, null);

    public RateLimitInfo(int? limit, int? remaining, DateTimeOffset? resetAt, TimeSpan? retryAfter = null, DateTimeOffset? serverTime = null, DateTimeOffset? retryAt = null)
    {
        Limit = limit;
        Remaining = remaining;
        ResetAt = resetAt;
        RetryAfter = retryAfter;
        ServerTime = serverTime;
        RetryAt = retryAt;
    }

    public int? Limit { get; }
    public int? Remaining { get; }
    public DateTimeOffset? ResetAt { get; }

    /// <summary>The response's Date header: the server's clock, to which the reset time belongs.</summary>
    public DateTimeOffset? ServerTime { get; }

    /// <summary>Retry-After in seconds, when a response carried one (the spec documents none; proxies send it).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Retry-After in its other form, an HTTP date on the server's clock.</summary>
    public DateTimeOffset? RetryAt { get; }

    /// <summary>True when the response said nothing about the rate limit (a Date header alone doesn't count).</summary>
    public bool IsEmpty => Limit is null && Remaining is null && ResetAt is null && RetryAfter is null && RetryAt is null;

    /// <summary>How long Retry-After asks to wait, in either form; a date is measured from the response's Date, else <paramref name="serverNow"/>.</summary>
    public TimeSpan? RetryAfterFrom(DateTimeOffset serverNow) => RetryAfter ?? RetryAt - (ServerTime ?? serverNow);

    /// <summary>Reads the three headers by name, ignoring case (the API spells them X-RateLimit-* and X-Ratelimit-*).</summary>
    public static RateLimitInfo FromHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        int? limit = null, remaining = null, retryAfterSeconds = null;
        DateTimeOffset? reset = null, serverTime = null, retryAt = null;
        foreach (var header in headers)
        {
            // With duplicated headers the first readable value wins.
            foreach (var value in header.Value)
            {
                if (header.Key.Equals("X-RateLimit-Limit", StringComparison.OrdinalIgnoreCase)) limit ??= ParseCount(value);
                else if (header.Key.Equals("X-RateLimit-Remaining", StringComparison.OrdinalIgnoreCase)) remaining ??= ParseCount(value);
                else if (header.Key.Equals("X-RateLimit-Reset", StringComparison.OrdinalIgnoreCase)) reset ??= ParseUnixTime(value);
                else if (header.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase) && retryAfterSeconds is null && retryAt is null)
                {
                    // Either delay-seconds or an HTTP date (RFC 9110 §10.2.3); the first readable one wins.
                    retryAfterSeconds = ParseCount(value);
                    retryAt = retryAfterSeconds is null ? ParseHttpDate(value) : null;
                }
                else if (header.Key.Equals("Date", StringComparison.OrdinalIgnoreCase)) serverTime ??= ParseHttpDate(value);
            }
        }

        return new RateLimitInfo(limit, remaining, reset, retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, serverTime, retryAt);
    }

    private static DateTimeOffset? ParseHttpDate(string? value) =>
        DateTimeOffset.TryParseExact(value?.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static int? ParseCount(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTimeOffset? ParseUnixTime(string? value)
    {
        // Anything outside years 2000..2200 is garbage, not a reset time.
        const long Earliest = 946684800, Latest = 7258118400;
        if (!long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds < Earliest || seconds > Latest)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    public override string ToString() =>
        IsEmpty ? "no rate-limit headers" : $"limit {Show(Limit)}, remaining {Show(Remaining)}, reset {Show(ResetAt)}" +
        (RetryAfter is { } after ? $", retry after {after.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : RetryAt is { } at ? $", retry at {Show(at)}" : "");

    private static string Show(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "?";

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
