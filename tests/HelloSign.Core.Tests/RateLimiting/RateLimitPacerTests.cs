using System;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.RateLimiting;

public class RateLimitPacerTests
{
    private static readonly DateTimeOffset Start = TestApi.Start;

    [Fact]
    public async Task Requests_go_at_once_while_the_budget_has_room()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);

        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(100, 5, Start.AddSeconds(60)));
        await pacer.WaitForTurnAsync(null, CancellationToken.None);

        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task When_the_budget_is_used_up_it_waits_until_the_reset()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        string? told = null;

        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(100, 0, Start.AddSeconds(42)));
        await pacer.WaitForTurnAsync(message => told = message, CancellationToken.None);

        var wait = Assert.Single(clock.Delays);
        Assert.Equal(TimeSpan.FromSeconds(42) + RateLimitPacer.ResetMargin, wait);
        Assert.Contains("used up", told);
        Assert.Equal(wait, pacer.TotalWaitTime);
    }

    [Fact]
    public async Task Requests_in_flight_count_against_what_is_left()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(100, 2, Start.AddSeconds(10)));

        await pacer.WaitForTurnAsync(null, CancellationToken.None); // in flight: 1 of 2
        await pacer.WaitForTurnAsync(null, CancellationToken.None); // in flight: 2 of 2
        Assert.Empty(clock.Delays);

        await pacer.WaitForTurnAsync(null, CancellationToken.None); // must wait for the window
        Assert.Single(clock.Delays);
    }

    [Fact]
    public async Task A_429_with_a_reset_holds_everyone_until_then()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);

        var wait = pacer.OnRateLimited(new RateLimitInfo(10, 0, Start.AddSeconds(7))).Wait;
        await pacer.WaitForTurnAsync(null, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(7) + RateLimitPacer.ResetMargin, wait);
        Assert.Equal(wait, Assert.Single(clock.Delays));
    }

    [Fact]
    public void A_429_without_headers_backs_off_exponentially_with_a_cap()
    {
        var pacer = new RateLimitPacer(new FakeClock(Start), jitterSeed: 1);

        var waits = new TimeSpan[12];
        for (var i = 0; i < waits.Length; i++)
        {
            waits[i] = pacer.OnRateLimited(RateLimitInfo.None).Wait;
        }

        var first = RateLimitPacer.FirstBackoff;
        Assert.InRange(waits[0], TimeSpan.FromTicks(first.Ticks / 2), first);
        Assert.InRange(waits[3], TimeSpan.FromTicks(first.Ticks * 4), TimeSpan.FromTicks(first.Ticks * 8));
        foreach (var wait in waits)
        {
            Assert.InRange(wait, TimeSpan.Zero, RateLimitPacer.MaximumBackoff);
        }
    }

    [Fact]
    public async Task A_429_without_a_reset_uses_the_window_the_last_responses_reported()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(100, 3, Start.AddSeconds(5)));

        var wait = pacer.OnRateLimited(RateLimitInfo.None).Wait;

        Assert.Equal(TimeSpan.FromSeconds(5) + RateLimitPacer.ResetMargin, wait);
    }

    [Fact]
    public void A_429_with_only_Retry_After_waits_that_long()
    {
        var pacer = new RateLimitPacer(new FakeClock(Start));

        var hold = pacer.OnRateLimited(new RateLimitInfo(null, null, null, TimeSpan.FromSeconds(12)));

        // Nothing learned yet to pace the others by: everyone waits.
        Assert.Equal(TimeSpan.FromSeconds(12), hold.Wait);
        Assert.False(hold.OnlyThisRequest);
    }

    [Fact]
    public void Backoff_after_429s_starts_again_once_a_response_is_not_a_429()
    {
        var pacer = new RateLimitPacer(new FakeClock(Start), jitterSeed: 7);
        for (var i = 0; i < 6; i++)
        {
            pacer.OnRateLimited(RateLimitInfo.None);
        }

        pacer.Release(RateLimitInfo.None);
        var wait = pacer.OnRateLimited(RateLimitInfo.None).Wait;

        Assert.True(wait <= RateLimitPacer.FirstBackoff);
    }

    [Fact]
    public async Task A_new_window_reported_by_the_server_replaces_a_stale_one()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(1_000_000, 999_999, Start.AddSeconds(60))); // the regime before a change
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(20, 0, Start.AddSeconds(1)));             // now 20 a second, none left

        await pacer.WaitForTurnAsync(null, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(1) + RateLimitPacer.ResetMargin, Assert.Single(clock.Delays));
    }

    [Fact]
    public async Task A_late_response_from_a_window_that_is_over_is_ignored()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        clock.Advance(TimeSpan.FromSeconds(10));
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(20, 0, Start.AddSeconds(5)));

        await pacer.WaitForTurnAsync(null, CancellationToken.None);

        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task A_local_clock_ahead_of_the_server_still_waits_for_the_reset_the_server_means()
    {
        var clock = new FakeClock(Start.AddMinutes(5)); // ours runs five minutes fast
        var pacer = new RateLimitPacer(clock);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(100, 0, Start.AddSeconds(10), serverTime: Start));

        await pacer.WaitForTurnAsync(null, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(10) + RateLimitPacer.ResetMargin, Assert.Single(clock.Delays));
    }

    [Fact]
    public async Task A_far_future_reset_is_not_an_hours_long_silent_sleep()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        string? told = null;

        var wait = pacer.OnRateLimited(new RateLimitInfo(10, 0, Start.AddDays(30))).Wait;
        await pacer.WaitForTurnAsync(message => told = message, CancellationToken.None);
        pacer.Release(RateLimitInfo.None);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);

        Assert.Equal(RateLimitPacer.ImplausibleResetRetry, wait);
        Assert.Contains("implausibly far", told);
        Assert.Single(clock.Delays); // after the capped wait it tries again rather than waiting once more
    }

    [Fact]
    public async Task Cancellation_ends_a_wait()
    {
        var pacer = new RateLimitPacer(); // the real clock: a 60 s wait would hang the test
        pacer.OnRateLimited(new RateLimitInfo(10, 0, DateTimeOffset.UtcNow.AddSeconds(60)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pacer.WaitForTurnAsync(null, cancel.Token));
    }
}
