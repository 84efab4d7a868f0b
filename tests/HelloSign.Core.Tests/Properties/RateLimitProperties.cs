using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using CsCheck;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HelloSign.Core.Tests.Properties;

public class RateLimitProperties(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = TestApi.Start;
    private static readonly long NowSeconds = Now.ToUnixTimeSeconds();
    private static readonly long LongestPlausibleReset = (long)RateLimitPacer.MaximumResetWait.TotalSeconds;

    /// <summary>The longest any single wait may be, by the pacer's documented bounds.</summary>
    private static readonly TimeSpan LongestWait = RateLimitPacer.MaximumResetWait > RateLimitPacer.MaximumBackoff ? RateLimitPacer.MaximumResetWait : RateLimitPacer.MaximumBackoff;

    private static readonly string[] Names = { "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-Ratelimit-Reset", "Retry-After", "X-RateLimit-Reset-After", "Date", "X-Rate-Limit-Limit" };

    /// <summary>A header name in any mix of letter case.</summary>
    private static readonly Gen<string> Name = Gen.Select(Gen.OneOf(Names), Gen.Bool.Array[32])
        .Select((name, upper) => new string(name.Select((c, i) => upper[i] ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToArray()));

    /// <summary>Near now, around the 61-minute bound, far in the past and future, and the edges of the readable years.</summary>
    private static readonly Gen<long> ResetSeconds = Gen.Frequency(
        (3, Gen.Long[-120, 120]),
        (3, Gen.Long[LongestPlausibleReset - 5, LongestPlausibleReset + 5]),
        (2, Gen.Long[-100_000_000, 100_000_000]),
        (1, Gen.OneOf(946_684_799L, 946_684_800L, 7_258_118_400L, 7_258_118_401L, 0L).Select(t => t - NowSeconds)))
        .Select(offset => NowSeconds + offset);

    /// <summary>Counts, negative values, overflow, padding, signs, decimals, garbage.</summary>
    private static readonly Gen<string> Value = Gen.Frequency(
        (3, Gen.Int[0, 1_000].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (3, ResetSeconds.Select(t => t.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("-1", "+5", " 7 ", "5.0", "1e3", "0x10", "", " ", "2147483648", "99999999999999999999999", "9223372036854775808", "٣", "NaN")),
        (1, Generators.Text(12)));

    private static readonly Gen<KeyValuePair<string, IEnumerable<string>>> Header =
        Gen.Select(Name, Value.Array[0, 3]).Select((name, values) => new KeyValuePair<string, IEnumerable<string>>(name, values));

    /// <summary>Response headers, with duplicates, empty value lists, and several values in one header.</summary>
    private static readonly Gen<KeyValuePair<string, IEnumerable<string>>[]> Headers = Header.Array[0, 8];

    private enum Step { Success, RateLimited, ClockMoves }

    private static readonly Gen<(Step Step, KeyValuePair<string, IEnumerable<string>>[] Headers, int Seconds)[]> Steps =
        Gen.Select(Gen.Frequency((3, Gen.Const(Step.Success)), (2, Gen.Const(Step.RateLimited)), (1, Gen.Const(Step.ClockMoves))), Headers, Gen.Int[0, 7_200])
        .Array[1, 12];

    [Fact]
    public void Headers_are_read_without_throwing_into_values_within_range()
    {
        Property.Check(Headers, headers =>
        {
            var info = RateLimitInfo.FromHeaders(headers);

            AssertOneOfTheReadableValues(headers, "X-RateLimit-Limit", info.Limit, Count);
            AssertOneOfTheReadableValues(headers, "X-RateLimit-Remaining", info.Remaining, Count);
            AssertOneOfTheReadableValues(headers, "Retry-After", (int?)info.RetryAfter?.TotalSeconds, Count);
            AssertOneOfTheReadableValues(headers, "X-RateLimit-Reset", info.ResetAt?.ToUnixTimeSeconds(), UnixTime);
            Assert.True(info.Limit is null or >= 0, $"limit {info.Limit}");
            Assert.True(info.Remaining is null or >= 0, $"remaining {info.Remaining}");
            Assert.True(info.RetryAfter is null || info.RetryAfter >= TimeSpan.Zero, $"retry after {info.RetryAfter}");
            Assert.NotNull(info.ToString());
        }, output, 3_000, print: Print);
    }

    [Fact]
    public void Every_wait_stays_within_the_documented_bounds()
    {
        int implausible = 0, waited = 0;
        var cases = Property.Check(Steps, steps =>
        {
            var clock = new FakeClock(Now);
            var pacer = new RateLimitPacer(clock, jitterSeed: 1);
            var told = new List<string>();
            foreach (var (step, headers, seconds) in steps)
            {
                var info = RateLimitInfo.FromHeaders(headers);
                if (step == Step.ClockMoves)
                {
                    clock.Advance(TimeSpan.FromSeconds(seconds));
                    continue;
                }

                pacer.WaitForTurnAsync(told.Add, CancellationToken.None).GetAwaiter().GetResult();
                pacer.Release(info, wasRateLimited: step == Step.RateLimited);
                if (step == Step.RateLimited)
                {
                    var wait = pacer.OnRateLimited(info).Wait;
                    AssertWithinBounds(wait, "OnRateLimited");
                    if (info.ResetAt is { } reset && reset - clock.UtcNow > RateLimitPacer.MaximumResetWait)
                    {
                        Assert.Equal(RateLimitPacer.ImplausibleResetRetry, wait);
                        Interlocked.Increment(ref implausible);
                    }
                }
            }

            pacer.WaitForTurnAsync(told.Add, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var delay in clock.Delays)
            {
                AssertWithinBounds(delay, "a wait for a turn");
            }

            Assert.Equal(clock.Delays.Count, told.Count);
            Assert.All(told, message => Assert.StartsWith("Waiting ", message));
            if (clock.Delays.Count > 0) Interlocked.Increment(ref waited);
        }, output, 2_000, print: Print);

        // The bounds mean something only if the cases make the pacer wait, and with far-off reset times.
        Assert.True(waited > cases / 4 && implausible > cases / 50, $"{waited} of {cases} cases waited, {implausible} had an implausible reset");
    }

    [Fact]
    public void A_far_future_reset_gives_a_short_retry_and_says_so()
    {
        var farFuture = Gen.Select(Gen.Long[NowSeconds + LongestPlausibleReset + 1, 7_258_118_400L], Gen.Int[0, 100], Gen.Bool);
        Property.Check(farFuture, sample =>
        {
            var (reset, limit, after429) = sample;
            var clock = new FakeClock(Now);
            var pacer = new RateLimitPacer(clock, jitterSeed: 1);
            var info = RateLimitInfo.FromHeaders(new Dictionary<string, IEnumerable<string>>
            {
                ["x-ratelimit-limit"] = new[] { limit.ToString(CultureInfo.InvariantCulture) },
                ["X-RATELIMIT-REMAINING"] = new[] { "0" },
                ["X-Ratelimit-Reset"] = new[] { reset.ToString(CultureInfo.InvariantCulture) },
            });
            Assert.Equal(reset, info.ResetAt?.ToUnixTimeSeconds());

            pacer.WaitForTurnAsync(null, CancellationToken.None).GetAwaiter().GetResult();
            pacer.Release(info, wasRateLimited: after429);
            if (after429)
            {
                Assert.Equal(RateLimitPacer.ImplausibleResetRetry, pacer.OnRateLimited(info).Wait);
            }

            var told = new List<string>();
            pacer.WaitForTurnAsync(told.Add, CancellationToken.None).GetAwaiter().GetResult();

            Assert.Equal(RateLimitPacer.ImplausibleResetRetry, Assert.Single(clock.Delays));
            Assert.Contains("implausibly far", Assert.Single(told));
        }, output, 2_000);
    }

    private static void AssertWithinBounds(TimeSpan wait, string what) =>
        Assert.True(wait >= TimeSpan.Zero && wait <= LongestWait, $"{what} waits {wait}, outside [0, {LongestWait}]");

    /// <summary>A value read from a header is one that a header of that name (in any case) carried, readable as such.</summary>
    private static void AssertOneOfTheReadableValues<T>(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, string name, T? read, Func<string, T?> parse)
        where T : struct
    {
        var offered = headers.Where(header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
        var readable = offered.SelectMany(header => header.Value).Select(parse).Where(value => value is not null).ToList();
        if (read is not null)
        {
            Assert.Contains(read, readable);
        }

        // One header with one value: nothing to choose between, so a readable value must be read.
        if (offered.Count == 1 && offered[0].Value.Count() == 1 && readable.Count == 1)
        {
            Assert.Equal(readable[0], read);
        }
    }

    private static int? Count(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    // The years 2000 to 2200, as RateLimitInfo documents.
    private static long? UnixTime(string text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t is >= 946_684_800 and <= 7_258_118_400 ? t : null;

    private static string Print(KeyValuePair<string, IEnumerable<string>>[] headers) =>
        string.Join("; ", headers.Select(h => $"{h.Key}: [{string.Join(", ", h.Value.Select(Property.Literal))}]"));

    private static string Print((Step Step, KeyValuePair<string, IEnumerable<string>>[] Headers, int Seconds)[] steps) =>
        string.Join(" | ", steps.Select(s => s.Step == Step.ClockMoves ? $"+{s.Seconds} s" : $"{s.Step} {Print(s.Headers)}"));
}
