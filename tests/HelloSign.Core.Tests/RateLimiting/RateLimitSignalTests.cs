using System;
using System.Linq;
using HelloSign.Core.RateLimiting;
using Xunit;
using static HelloSign.Core.Tests.RateLimiting.SimulatedLimits;

namespace HelloSign.Core.Tests.RateLimiting;

/// <summary>Whole runs against each mix of signals of issue 14, on the fake clock: how much of the allowance is used, how many 429s.</summary>
public class RateLimitSignalTests
{
    [Theory]
    [InlineData(40, 5, 2_000, 0.95, 0.1)]  // nginx limit_req at 40/s burst 5: issue 14's target
    [InlineData(2, 1, 300, 0.85, 0.25)]    // a slow limit is learned as well, if less closely
    public void A_token_bucket_without_any_headers_is_learned(double perSecond, int burst, int ids, double leastShare, double most429sPerId)
    {
        var run = Send(ids, TokenBucket(perSecond, burst));

        var span = (run.Accepted[run.Accepted.Count - 1] - run.Accepted[0]).TotalSeconds;
        var share = run.Accepted.Count / (burst + (perSecond * span));
        Assert.True(share >= leastShare, $"{share:P1} of the allowance");
        Assert.True(share <= 1.0001, $"{share:P1}: the simulation lets through more than its limit");
        Assert.True(run.RateLimited <= most429sPerId * ids, $"{run.RateLimited} 429s");
    }

    [Fact]
    public void A_fixed_window_with_headers_on_200s_only_is_used_fully_with_at_most_one_429_per_window()
    {
        var run = Send(1_000, FixedWindow(limit: 50, windowSeconds: 2, headersOn2xx: true, headersOn429: false, retryAfter: false));

        Assert.All(run.FullWindows, count => Assert.True(count >= 48, $"a full window took {count} of 50"));
        Assert.True(run.RateLimited <= run.PerWindow.Count, $"{run.RateLimited} 429s in {run.PerWindow.Count} windows");
    }

    [Fact]
    public void A_fixed_window_with_full_headers_is_used_fully_without_a_429()
    {
        var run = Send(1_000, FixedWindow(limit: 50, windowSeconds: 2, headersOn2xx: true, headersOn429: true, retryAfter: true));

        Assert.All(run.FullWindows, count => Assert.Equal(50, count));
        Assert.Equal(0, run.RateLimited);
    }

    [Fact]
    public void A_429_with_only_a_reset_time_waits_for_it_and_wastes_no_window()
    {
        // The 200s say nothing, the 429 gives X-Ratelimit-Reset but no Retry-After.
        var run = Send(200, FixedWindow(limit: 20, windowSeconds: 5, headersOn2xx: false, headersOn429: true, retryAfter: false));

        Assert.All(run.FullWindows, count => Assert.Equal(20, count));
        Assert.True(run.RateLimited <= run.PerWindow.Count, $"{run.RateLimited} 429s in {run.PerWindow.Count} windows");
    }

    [Fact]
    public void Retry_After_alone_is_obeyed_and_no_window_is_wasted()
    {
        var run = Send(200, FixedWindow(limit: 20, windowSeconds: 5, headersOn2xx: false, headersOn429: false, retryAfter: true));

        Assert.All(run.FullWindows, count => Assert.Equal(20, count));
        Assert.True(run.RateLimited <= 2 * run.PerWindow.Count, $"{run.RateLimited} 429s in {run.PerWindow.Count} windows");
    }

    [Fact]
    public void A_fixed_window_without_any_headers_still_finishes_and_uses_much_of_it()
    {
        var run = Send(400, FixedWindow(limit: 20, windowSeconds: 5, headersOn2xx: false, headersOn429: false, retryAfter: false));

        Assert.Equal(400, run.Accepted.Count);
        var share = run.FullWindows.Sum() / (20.0 * run.FullWindows.Length);
        // The issue sets no target for this case: a floor against collapse. The backoff's seeded jitter draws
        // differently on .NET (about 65%) and Mono's .NET Framework library (about 54%), so the floor is 50%.
        Assert.True(share >= 0.5, $"{share:P1} of the full windows");
        Assert.True(run.RateLimited <= 400, $"{run.RateLimited} 429s");
    }
}
