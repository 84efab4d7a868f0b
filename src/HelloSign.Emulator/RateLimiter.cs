using System.Globalization;

namespace HelloSign.Emulator;

/// <summary>The verdict for one request, with what the rate-limit headers should say.</summary>
/// <param name="RetryAfter">How long until a rejected request would be let through.</param>
internal readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds, TimeSpan RetryAfter);

/// <summary>
/// Per-account limits of two kinds. A fixed window (HelloSign's) is aligned to multiples of window_seconds in Unix time,
/// so X-Ratelimit-Reset is an exact second: the end of the current window. A token bucket (nginx limit_req, gateways)
/// holds up to burst tokens and refills at rate_per_second; it has no window to report, so it sends no X-RateLimit-*
/// headers, only Retry-After on a 429 when configured. Rejected requests never count.
/// </summary>
internal sealed class RateLimiter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long WindowStart, int Count)> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Tokens, long AtMs)> _buckets = new(StringComparer.Ordinal);

    public RateLimitDecision TryAcquire(string accountId, RateLimitConfig config) =>
        config.Kind == RateLimitKind.TokenBucket ? TakeToken(accountId, config) : CountInWindow(accountId, config);

    /// <summary>What the headers say for a request that is not counted (no account to count it against).</summary>
    public static RateLimitDecision Uncounted(RateLimitConfig config) =>
        new(true, config.Limit, config.Limit, CurrentWindow(config).Reset, TimeSpan.Zero);

    public void Clear()
    {
        lock (_gate)
        {
            _windows.Clear();
            _buckets.Clear();
        }
    }

    /// <summary>Writes the headers the config asks for: the window's on non-429s and on 429s, and Retry-After on 429s.</summary>
    public static void WriteHeaders(HttpResponse response, RateLimitDecision decision, RateLimitConfig config)
    {
        var headers = response.Headers;
        var windowHeaders = config.Kind == RateLimitKind.FixedWindow && (decision.Allowed ? config.HeadersOn2xx : config.HeadersOn429);
        if (windowHeaders)
        {
            headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            // The real API spells this one with a lowercase "l"; clients must look headers up case-insensitively.
            headers["X-Ratelimit-Reset"] = decision.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (decision.Allowed || config.RetryAfter == RetryAfterForm.None)
        {
            return;
        }

        // Both forms have one-second resolution: round up, so a client that obeys is never early.
        var seconds = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        headers.RetryAfter = config.RetryAfter == RetryAfterForm.HttpDate
            ? DateTimeOffset.FromUnixTimeSeconds(UnixTime.NowSeconds() + seconds).ToString("r", CultureInfo.InvariantCulture)
            : seconds.ToString(CultureInfo.InvariantCulture);
    }

    private RateLimitDecision CountInWindow(string accountId, RateLimitConfig config)
    {
        var (windowStart, reset) = CurrentWindow(config);
        var untilReset = TimeSpan.FromMilliseconds(reset * 1000 - UnixTime.NowMs());
        lock (_gate)
        {
            var count = _windows.TryGetValue(accountId, out var window) && window.WindowStart == windowStart ? window.Count : 0;
            if (count >= config.Limit)
            {
                return new RateLimitDecision(false, config.Limit, 0, reset, untilReset);
            }

            _windows[accountId] = (windowStart, ++count);
            return new RateLimitDecision(true, config.Limit, config.Limit - count, reset, TimeSpan.Zero);
        }
    }

    private RateLimitDecision TakeToken(string accountId, RateLimitConfig config)
    {
        var nowMs = UnixTime.NowMs();
        lock (_gate)
        {
            // A bucket starts full; it refills continuously up to its burst.
            var tokens = _buckets.TryGetValue(accountId, out var bucket)
                ? Math.Min(config.Burst, bucket.Tokens + (nowMs - bucket.AtMs) / 1000.0 * config.RatePerSecond)
                : config.Burst;
            var allowed = tokens >= 1;
            if (allowed)
            {
                tokens--;
            }

            _buckets[accountId] = (tokens, nowMs);
            var untilToken = allowed ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - tokens) / config.RatePerSecond);
            return new RateLimitDecision(allowed, config.Burst, (int)tokens, ResetUnixSeconds: 0, untilToken); // a bucket has no reset to send
        }
    }

    private static (long Start, long Reset) CurrentWindow(RateLimitConfig config)
    {
        var now = UnixTime.NowSeconds();
        var start = now - now % config.WindowSeconds;
        return (start, start + config.WindowSeconds);
    }
}
