using System.Globalization;

namespace HelloSign.Emulator;

/// <summary>The verdict for one request, with what the rate-limit headers should say.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds);

/// <summary>
/// Per-account fixed windows aligned to multiples of window_seconds in Unix time, so X-Ratelimit-Reset
/// is an exact second: the end of the current window. Rejected requests do not count.
/// </summary>
internal sealed class RateLimiter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long WindowStart, int Count)> _windows = new(StringComparer.Ordinal);

    public RateLimitDecision TryAcquire(string accountId, RateLimitConfig config)
    {
        var (windowStart, reset) = CurrentWindow(config);
        lock (_gate)
        {
            var count = _windows.TryGetValue(accountId, out var window) && window.WindowStart == windowStart ? window.Count : 0;
            if (count >= config.Limit)
            {
                return new RateLimitDecision(false, config.Limit, 0, reset);
            }

            _windows[accountId] = (windowStart, ++count);
            return new RateLimitDecision(true, config.Limit, config.Limit - count, reset);
        }
    }

    /// <summary>What the headers say for a request that is not counted (no account to count it against).</summary>
    public static RateLimitDecision Uncounted(RateLimitConfig config) =>
        new(true, config.Limit, config.Limit, CurrentWindow(config).Reset);

    public void Clear()
    {
        lock (_gate)
        {
            _windows.Clear();
        }
    }

    public static void WriteHeaders(HttpResponse response, RateLimitDecision decision)
    {
        var headers = response.Headers;
        headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        // The real API spells this one with a lowercase "l"; clients must look headers up case-insensitively.
        headers["X-Ratelimit-Reset"] = decision.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            var wait = Math.Max(1, decision.ResetUnixSeconds - UnixTime.NowSeconds());
            headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static (long Start, long Reset) CurrentWindow(RateLimitConfig config)
    {
        var now = UnixTime.NowSeconds();
        var start = now - now % config.WindowSeconds;
        return (start, start + config.WindowSeconds);
    }
}
