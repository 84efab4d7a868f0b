using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.RateLimiting;

/// <summary>What the pacer does mid-wait, what it says it waits for, and what it warns about; with signal mixes of issue 14.</summary>
public class RateLimitPacerWaitTests
{
    private static readonly DateTimeOffset Start = TestApi.Start;

    /// <summary>Long enough for a continuation on the thread pool to run; a failure here is a hang, not slowness.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_window_that_looked_used_up_is_used_after_all_when_an_answer_in_flight_shows_room()
    {
        // The extra-window case: B is counted first (2 left), then A (1 left), but A's answer arrives first. With B still
        // in flight, 1 left looks like none; when B's answer comes the last place is free, and must not go unused.
        var clock = new ManualClock(Start);
        var pacer = new RateLimitPacer(clock);
        await pacer.WaitForTurnAsync(null, CancellationToken.None); // A
        await pacer.WaitForTurnAsync(null, CancellationToken.None); // B
        pacer.Release(new RateLimitInfo(20, 1, Start.AddSeconds(20)));

        var third = pacer.WaitForTurnAsync(null, CancellationToken.None);
        Assert.False(third.IsCompleted);
        pacer.Release(new RateLimitInfo(20, 2, Start.AddSeconds(20)));

        Assert.True(await Task.WhenAny(third, Task.Delay(Hang)) == third, "the wait did not end");
        await third;
        Assert.Equal(Start, clock.UtcNow); // went in the same window, without waiting for the reset
    }

    [Fact]
    public async Task A_window_that_is_truly_used_up_still_waits_for_the_reset_after_answers_come()
    {
        var clock = new ManualClock(Start);
        var pacer = new RateLimitPacer(clock);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(20, 0, Start.AddSeconds(20)));

        var third = pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(20, 1, Start.AddSeconds(20))); // older: the smallest count wins
        await Task.Delay(50); // give a wrongly woken waiter the chance to go
        Assert.False(third.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(20) + RateLimitPacer.ResetMargin);
        Assert.True(await Task.WhenAny(third, Task.Delay(Hang)) == third, "the wait did not end");
        await third;
    }

    [Fact]
    public async Task CurrentWait_says_what_is_waited_for_and_until_when_then_nothing()
    {
        var clock = new ManualClock(Start);
        var pacer = new RateLimitPacer(clock);
        Assert.Null(pacer.CurrentWait);

        pacer.OnRateLimited(new RateLimitInfo(10, 0, Start.AddSeconds(42)));
        var waiting = pacer.WaitForTurnAsync(null, CancellationToken.None);

        var (reason, until) = Assert.NotNull(pacer.CurrentWait);
        Assert.Contains("429", reason);
        Assert.Equal(Start.AddSeconds(42) + RateLimitPacer.ResetMargin, until);
        clock.Advance(TimeSpan.FromSeconds(43));
        Assert.True(await Task.WhenAny(waiting, Task.Delay(Hang)) == waiting, "the wait did not end");
        await waiting;
        Assert.Null(pacer.CurrentWait);
    }

    [Fact]
    public async Task CurrentWait_is_on_the_local_clock_when_the_server_clock_differs()
    {
        var clock = new ManualClock(Start.AddMinutes(5)); // ours runs five minutes fast
        var pacer = new RateLimitPacer(clock);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(100, 0, Start.AddSeconds(10), serverTime: Start));

        var waiting = pacer.WaitForTurnAsync(null, CancellationToken.None);

        Assert.Equal(Start.AddMinutes(5).AddSeconds(10) + RateLimitPacer.ResetMargin, pacer.CurrentWait?.Until);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(await Task.WhenAny(waiting, Task.Delay(Hang)) == waiting, "the wait did not end");
        await waiting;
    }

    [Fact]
    public async Task An_implausible_reset_is_a_warning_that_names_the_value_and_what_is_done_instead_once_per_watch()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        var tenYears = Start.AddYears(10);
        var warnings = new List<string>();
        var traced = new List<string>();

        using (pacer.WatchWarnings(warnings.Add))
        {
            for (var i = 0; i < 3; i++)
            {
                await pacer.WaitForTurnAsync(traced.Add, CancellationToken.None);
                pacer.Release(new RateLimitInfo(100, 0, tenYears.AddSeconds(i)), wasRateLimited: true);
                pacer.OnRateLimited(new RateLimitInfo(100, 0, tenYears.AddSeconds(i)));
            }
        }

        var warning = Assert.Single(warnings);
        Assert.Contains(tenYears.ToUnixTimeSeconds().ToString(), warning);
        Assert.Contains("X-Ratelimit-Reset", warning);
        Assert.Contains("waits 60.0 s", warning);
        Assert.DoesNotContain(traced, line => line.Contains("X-Ratelimit-Reset header"));

        var later = new List<string>();
        using (pacer.WatchWarnings(later.Add))
        {
            pacer.Release(new RateLimitInfo(100, 5, tenYears));
        }

        pacer.Release(new RateLimitInfo(100, 5, tenYears)); // nobody watches: nobody told
        Assert.Single(later); // the next run is told again
        Assert.Single(warnings);
    }

    [Fact]
    public void A_plausible_reset_warns_nobody()
    {
        var pacer = new RateLimitPacer(new FakeClock(Start));
        var warnings = new List<string>();
        using var watch = pacer.WatchWarnings(warnings.Add);

        pacer.Release(new RateLimitInfo(100, 5, Start.AddMinutes(60)));
        pacer.OnRateLimited(new RateLimitInfo(100, 0, Start.AddSeconds(30)));

        Assert.Empty(warnings);
    }

    [Fact]
    public void An_implausibly_long_Retry_After_is_capped_with_a_warning()
    {
        var pacer = new RateLimitPacer(new FakeClock(Start));
        var warnings = new List<string>();
        using var watch = pacer.WatchWarnings(warnings.Add);

        var wait = pacer.OnRateLimited(new RateLimitInfo(null, null, null, TimeSpan.FromDays(2))).Wait;

        Assert.Equal(RateLimitPacer.ImplausibleResetRetry, wait);
        Assert.Contains("Retry-After", Assert.Single(warnings));
    }

    [Fact]
    public void Retry_After_as_an_HTTP_date_is_measured_from_the_response_Date()
    {
        // Our clock is an hour off; the wait is what the server meant, 30 s from its Date.
        var pacer = new RateLimitPacer(new FakeClock(Start.AddHours(1)));

        var wait = pacer.OnRateLimited(new RateLimitInfo(null, null, null, serverTime: Start, retryAt: Start.AddSeconds(30))).Wait;

        Assert.Equal(TimeSpan.FromSeconds(30), wait);
    }

    [Fact]
    public async Task Headers_on_the_200s_win_over_the_learned_rate()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        await AnswerWithoutHeadersAsync(pacer, clock, 10);

        pacer.Release(RateLimitInfo.None, wasRateLimited: true);
        Assert.Equal(TimeSpan.Zero, pacer.OnRateLimited(RateLimitInfo.None).Wait); // the learned rate paces the retry
        Assert.NotNull(pacer.LearnedRate);

        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(new RateLimitInfo(100, 90, Start.AddSeconds(60)));
        var pacedWaits = clock.Delays.Count;
        for (var i = 0; i < 20; i++)
        {
            await pacer.WaitForTurnAsync(null, CancellationToken.None);
        }

        Assert.Null(pacer.LearnedRate);
        Assert.Equal(pacedWaits, clock.Delays.Count);
    }

    [Fact]
    public async Task A_429_for_a_request_sent_before_the_rate_was_lowered_does_not_lower_it_again()
    {
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        await AnswerWithoutHeadersAsync(pacer, clock, 20);

        for (var i = 0; i < 4; i++)
        {
            await pacer.WaitForTurnAsync(null, CancellationToken.None); // four in flight, all too many
        }

        pacer.Release(RateLimitInfo.None, wasRateLimited: true);
        pacer.OnRateLimited(RateLimitInfo.None);
        var lowered = pacer.LearnedRate;
        for (var i = 0; i < 3; i++)
        {
            pacer.Release(RateLimitInfo.None, wasRateLimited: true);
            Assert.Equal(TimeSpan.Zero, pacer.OnRateLimited(RateLimitInfo.None).Wait);
        }

        Assert.Equal(lowered, pacer.LearnedRate);

        // A request sent after the decrease that meets a 429 is news: lower again, and hold everyone now.
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        pacer.Release(RateLimitInfo.None, wasRateLimited: true);
        var hold = pacer.OnRateLimited(RateLimitInfo.None).Wait;

        Assert.True(pacer.LearnedRate < lowered, $"{pacer.LearnedRate} after {lowered}");
        Assert.InRange(hold, TimeSpan.FromTicks(RateLimitPacer.FirstBackoff.Ticks / 2), RateLimitPacer.FirstBackoff);
    }

    [Fact]
    public async Task A_short_Retry_After_with_a_learned_rate_holds_only_its_request_and_a_long_one_holds_everyone()
    {
        // A gateway's token bucket: a 429 says "retry after 1 s" (rounded up) for want of a token. Holding everyone
        // for it would make one request a second the rate; the lowered learned rate paces the others instead.
        var clock = new FakeClock(Start);
        var pacer = new RateLimitPacer(clock);
        await AnswerWithoutHeadersAsync(pacer, clock, 20);
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        await pacer.WaitForTurnAsync(null, CancellationToken.None); // a second one in flight, sent before the decrease
        var oneSecond = new RateLimitInfo(null, null, null, TimeSpan.FromSeconds(1));

        pacer.Release(oneSecond, wasRateLimited: true);
        var first = pacer.OnRateLimited(oneSecond);
        pacer.Release(oneSecond, wasRateLimited: true);
        var sentBefore = pacer.OnRateLimited(oneSecond);

        Assert.True(first.OnlyThisRequest);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Wait);
        Assert.True(sentBefore.OnlyThisRequest);
        Assert.NotNull(pacer.LearnedRate);
        var before = clock.UtcNow;
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        Assert.True(clock.UtcNow - before < TimeSpan.FromSeconds(0.5), $"another request waited {clock.UtcNow - before}");

        // Waiting it out counts as waiting for the rate limit.
        var waitedBefore = pacer.TotalWaitTime;
        await pacer.WaitOutAsync(first, null, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.TotalWaitTime - waitedBefore);

        // A pause longer than a token bucket's points at a used-up window: everyone waits for it.
        var fiveSeconds = new RateLimitInfo(null, null, null, TimeSpan.FromSeconds(5));
        pacer.Release(fiveSeconds, wasRateLimited: true);
        var window = pacer.OnRateLimited(fiveSeconds);
        Assert.False(window.OnlyThisRequest);
        Assert.Equal(TimeSpan.FromSeconds(5), window.Wait);
        var blockedFrom = clock.UtcNow;
        await pacer.WaitForTurnAsync(null, CancellationToken.None);
        Assert.True(clock.UtcNow - blockedFrom >= TimeSpan.FromSeconds(5), $"held {clock.UtcNow - blockedFrom}");
    }

    /// <summary>Requests answered 200 with no rate-limit headers, 20 a second: something to measure a rate from.</summary>
    private static async Task AnswerWithoutHeadersAsync(RateLimitPacer pacer, FakeClock clock, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await pacer.WaitForTurnAsync(null, CancellationToken.None);
            pacer.Release(RateLimitInfo.None);
            clock.Advance(TimeSpan.FromMilliseconds(50));
        }
    }
}
