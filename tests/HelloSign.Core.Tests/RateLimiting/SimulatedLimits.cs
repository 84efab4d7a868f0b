using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Tests.TestSupport;

namespace HelloSign.Core.Tests.RateLimiting;

/// <summary>
/// Servers' rate limiters on the fake clock, and a client that sends ids one after another through a pacer as
/// ApiCaller does (wait, send, release, and after a 429 report it and go again). Nothing sleeps; every run repeats.
/// </summary>
internal static class SimulatedLimits
{
    public static readonly DateTimeOffset Start = TestApi.Start;

    /// <summary>How long each request takes on the wire.</summary>
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(2);

    /// <summary>What the simulated server answered: when each accepted request arrived, the windows they fell in, and 429s.</summary>
    public sealed record Run(List<DateTimeOffset> Accepted, Dictionary<long, int> PerWindow, int RateLimited)
    {
        /// <summary>Accepted per window, all but the first and last (which are partial).</summary>
        public int[] FullWindows => FullWindowsOf(PerWindow.OrderBy(w => w.Key).Select(w => w.Value).ToArray());

        // All but the first and last window, which the start and the end use only in part (no SkipLast on .NET Framework).
        private static int[] FullWindowsOf(int[] windows) => windows.Length <= 2 ? new int[0] : windows.Skip(1).Take(windows.Length - 2).ToArray();
    }

    public static Run Send(int ids, Func<DateTimeOffset, (bool Allowed, RateLimitInfo Info, long Window)> server, FakeClock? clock = null)
    {
        clock ??= new FakeClock(Start);
        var pacer = new RateLimitPacer(clock, jitterSeed: 1);
        var run = new Run(new List<DateTimeOffset>(), new Dictionary<long, int>(), 0);
        var rateLimited = 0;
        for (var i = 0; i < ids; i++)
        {
            while (true)
            {
                pacer.WaitForTurnAsync(null, CancellationToken.None).GetAwaiter().GetResult();
                clock.Advance(TimeSpan.FromTicks(Latency.Ticks / 2));
                var (allowed, info, window) = server(clock.UtcNow);
                clock.Advance(TimeSpan.FromTicks(Latency.Ticks / 2));
                pacer.Release(info, wasRateLimited: !allowed);
                if (allowed)
                {
                    run.Accepted.Add(clock.UtcNow);
                    run.PerWindow[window] = run.PerWindow.TryGetValue(window, out var n) ? n + 1 : 1;
                    break;
                }

                rateLimited++;
                var hold = pacer.OnRateLimited(info);
                if (hold.OnlyThisRequest)
                {
                    pacer.WaitOutAsync(hold, null, CancellationToken.None).GetAwaiter().GetResult();
                }
            }
        }

        return run with { RateLimited = rateLimited };
    }

    /// <summary>A token bucket (nginx limit_req): starts full, refills continuously, sends no headers at all.</summary>
    public static Func<DateTimeOffset, (bool, RateLimitInfo, long)> TokenBucket(double perSecond, int burst)
    {
        double tokens = burst;
        var refilledAt = Start;
        return now =>
        {
            tokens = Math.Min(burst, tokens + ((now - refilledAt).TotalSeconds * perSecond));
            refilledAt = now;
            var allowed = tokens >= 1;
            if (allowed)
            {
                tokens--;
            }

            return (allowed, RateLimitInfo.None, 0);
        };
    }

    /// <summary>HelloSign's fixed window, aligned to Unix time, with each signal switched on or off.</summary>
    public static Func<DateTimeOffset, (bool, RateLimitInfo, long)> FixedWindow(int limit, int windowSeconds, bool headersOn2xx, bool headersOn429, bool retryAfter)
    {
        var counts = new Dictionary<long, int>();
        return now =>
        {
            var window = now.ToUnixTimeSeconds() / windowSeconds;
            var reset = DateTimeOffset.FromUnixTimeSeconds((window + 1) * windowSeconds);
            var used = counts.TryGetValue(window, out var n) ? n : 0;
            var allowed = used < limit;
            if (allowed)
            {
                counts[window] = ++used;
            }

            var headers = allowed ? headersOn2xx : headersOn429;
            TimeSpan? after = !allowed && retryAfter ? TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((reset - now).TotalSeconds))) : null;
            var info = headers ? new RateLimitInfo(limit, limit - used, reset, after) : new RateLimitInfo(null, null, null, after);
            return (allowed, info, window);
        };
    }
}
