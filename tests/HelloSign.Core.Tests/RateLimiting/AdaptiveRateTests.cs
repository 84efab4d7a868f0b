using System;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.RateLimiting;

/// <summary>The increase and decrease rules of the rate learned from 429s, on a clock the test moves by hand.</summary>
public class AdaptiveRateTests
{
    private static readonly DateTimeOffset Start = TestApi.Start;

    /// <summary>Successes at <paramref name="perSecond"/> for <paramref name="seconds"/>, from <paramref name="from"/>; returns when they end.</summary>
    private static DateTimeOffset Accept(AdaptiveRate rate, DateTimeOffset from, double perSecond, double seconds)
    {
        var step = TimeSpan.FromSeconds(1 / perSecond);
        var end = from + TimeSpan.FromSeconds(seconds);
        var now = from;
        for (; now < end; now += step)
        {
            rate.OnAccepted(now);
        }

        return now;
    }

    [Fact]
    public void There_is_no_rate_and_no_wait_until_a_429()
    {
        var rate = new AdaptiveRate();
        Accept(rate, Start, 100, 2);

        Assert.Null(rate.Rate);
        Assert.Equal(TimeSpan.Zero, rate.Reserve(Start.AddSeconds(2)));
    }

    [Fact]
    public void A_429_before_any_success_gives_nothing_to_learn_from()
    {
        var rate = new AdaptiveRate();

        Assert.False(rate.OnThrottled(Start));
        Assert.Null(rate.Rate);
    }

    [Fact]
    public void A_429_drops_the_rate_to_beta_of_what_the_server_was_accepting()
    {
        var rate = new AdaptiveRate();
        var now = Accept(rate, Start, 40, 2);

        Assert.True(rate.OnThrottled(now));

        Assert.InRange(rate.Rate!.Value, 40 * AdaptiveRate.Beta * 0.97, 40 * AdaptiveRate.Beta * 1.03);
    }

    [Fact]
    public void A_run_that_just_started_is_measured_over_its_own_moment_not_a_second_of_idleness()
    {
        var rate = new AdaptiveRate();
        var now = Accept(rate, Start, 40, 0.25); // ten successes in a quarter of a second

        rate.OnThrottled(now);

        Assert.InRange(rate.Rate!.Value, 30, 40);
    }

    [Fact]
    public void Slots_are_evenly_spaced_at_the_rate_with_one_slot_of_credit_after_a_pause()
    {
        var rate = new AdaptiveRate();
        var now = Accept(rate, Start, 20, 1);
        rate.OnThrottled(now);
        var interval = TimeSpan.FromSeconds(1 / rate.Rate!.Value);

        var first = rate.Reserve(now);
        var second = rate.Reserve(now);
        var third = rate.Reserve(now);
        var afterAPause = now.AddSeconds(10);

        Assert.Equal(interval, first); // a 429 leaves one interval for the server to recover
        Assert.Equal(interval + interval, second);
        Assert.Equal(interval + interval + interval, third);
        Assert.Equal(TimeSpan.Zero, rate.Reserve(afterAPause));
        Assert.Equal(TimeSpan.Zero, rate.Reserve(afterAPause));
        Assert.Equal(interval, rate.Reserve(afterAPause));
    }

    [Fact]
    public void After_the_first_429_the_rate_doubles_each_second()
    {
        var rate = new AdaptiveRate();
        var now = Accept(rate, Start, 10, 1);
        rate.OnThrottled(now);
        var afterDecrease = rate.Rate!.Value;

        // Successes keep pace with the rate, so the ceiling of twice the measured rate does not bind.
        now = Accept(rate, now, afterDecrease, 1);
        var aSecondLater = rate.Rate!.Value;
        now = Accept(rate, now, aSecondLater, 1);

        Assert.InRange(aSecondLater, afterDecrease * 1.8, afterDecrease * 2.2);
        Assert.InRange(rate.Rate!.Value, afterDecrease * 3.5, afterDecrease * 4.5);
    }

    [Fact]
    public void After_later_429s_the_rate_follows_a_cubic_curve_flat_near_the_old_rate_then_probing_above_it()
    {
        var rate = new AdaptiveRate();
        var now = Accept(rate, Start, 40, 1);
        rate.OnThrottled(now);              // the first: slow start
        now = Accept(rate, now, 40, 1.5);
        rate.OnThrottled(now);              // the second: the curve, from about 40
        var decreasedAt = now;
        var old = 40.0;

        Accept(rate, now, 40 * AdaptiveRate.Beta, AdaptiveRate.RecoveryTimeAt(40).TotalSeconds);
        var atRecovery = rate.Rate!.Value;
        Accept(rate, decreasedAt + AdaptiveRate.RecoveryTimeAt(40), 40, 1);
        var aSecondBeyond = rate.Rate!.Value;
        Accept(rate, decreasedAt + AdaptiveRate.RecoveryTimeAt(40) + TimeSpan.FromSeconds(1), 44, 1);
        var twoSecondsBeyond = rate.Rate!.Value;

        Assert.InRange(atRecovery, old * 0.97, old * 1.01);
        Assert.InRange(aSecondBeyond, old * (1 + AdaptiveRate.Scale) * 0.97, old * (1 + AdaptiveRate.Scale) * 1.03);
        Assert.InRange(twoSecondsBeyond, old * (1 + 8 * AdaptiveRate.Scale) * 0.97, old * (1 + 8 * AdaptiveRate.Scale) * 1.03);
    }

    [Fact]
    public void A_slow_limit_is_probed_as_gently_per_request_as_a_fast_one()
    {
        Assert.InRange(AdaptiveRate.RecoveryTimeAt(2).Ticks, (AdaptiveRate.RecoveryTimeAt(40).Ticks * 20) - 1_000, (AdaptiveRate.RecoveryTimeAt(40).Ticks * 20) + 1_000);
        Assert.Equal(AdaptiveRate.RecoveryTimeAt(40), AdaptiveRate.RecoveryTimeAt(4_000)); // never under a second's unit
    }

    [Fact]
    public void The_rate_never_climbs_past_twice_what_the_server_was_seen_to_accept()
    {
        var rate = new AdaptiveRate();
        var now = Accept(rate, Start, 10, 1);
        rate.OnThrottled(now);

        // Held back by something else: only 5 successes a second for a minute.
        Accept(rate, now, 5, 60);

        Assert.InRange(rate.Rate!.Value, 19, 20.01); // twice the 10/s accepted before the 429
    }

    [Fact]
    public void The_rate_never_drops_below_the_minimum()
    {
        var rate = new AdaptiveRate();
        rate.OnAccepted(Start);
        Assert.True(rate.OnThrottled(Start.AddMilliseconds(10)));
        for (var i = 0; i < 100; i++)
        {
            rate.OnThrottled(Start.AddSeconds(2 + i)); // nothing accepted since: lower the rate in force
        }

        Assert.Equal(AdaptiveRate.MinimumRate, rate.Rate);
    }

    [Fact]
    public void A_burst_after_a_pause_does_not_count_as_a_rate()
    {
        var rate = new AdaptiveRate();
        var now = Accept(rate, Start, 40, 1);
        rate.OnThrottled(now);

        // Five idle seconds, then 20 answers within 20 ms: as a rate that would be a thousand a second.
        var burst = now.AddSeconds(5);
        for (var i = 0; i < 20; i++)
        {
            rate.OnAccepted(burst.AddMilliseconds(i));
        }

        var afterBurst = rate.Rate!.Value;
        rate.OnThrottled(burst.AddMilliseconds(50));

        Assert.InRange(afterBurst, 0, 2 * 40);
        Assert.InRange(rate.Rate!.Value, 0, 2 * 40 * AdaptiveRate.Beta);
    }

    [Fact]
    public void Forget_goes_back_to_full_speed()
    {
        var rate = new AdaptiveRate();
        var now = Accept(rate, Start, 40, 1);
        rate.OnThrottled(now);

        rate.Forget();

        Assert.Null(rate.Rate);
        Assert.Equal(TimeSpan.Zero, rate.Reserve(now));
        Assert.False(rate.OnThrottled(now.AddSeconds(5)));
    }
}
