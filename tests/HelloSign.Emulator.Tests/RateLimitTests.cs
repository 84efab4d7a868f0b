using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class RateLimitTests
{
    // A day-long window: a test run will not straddle a window boundary (midnight UTC) in practice.
    private const int WindowSeconds = 86_400;

    [Fact]
    public async Task Every_response_carries_the_rate_limit_headers_with_the_window_end_as_reset()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { RateLimit = new RateLimitConfig { WindowSeconds = WindowSeconds, Limit = 3 } });

        using var first = await emulator.GetAsync("/v3/account", AlphaKey);

        Assert.Equal("3", Header(first, "X-RateLimit-Limit"));
        Assert.Equal("2", Header(first, "X-RateLimit-Remaining"));
        var reset = long.Parse(Header(first, "X-Ratelimit-Reset")!);
        Assert.Equal(0, reset % WindowSeconds);
        Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, WindowSeconds);
        Assert.Contains(first.Headers, h => h.Key == "X-Ratelimit-Reset");
    }

    [Fact]
    public async Task Over_the_limit_answers_429_with_headers_and_rejected_requests_do_not_count()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { RateLimit = new RateLimitConfig { WindowSeconds = WindowSeconds, Limit = 2 } });
        var id = SeededIds(Alpha, RequestStates.AwaitingSignature)[0];
        await emulator.GetAsync("/v3/account", AlphaKey);
        await emulator.GetAsync("/v3/account", AlphaKey);

        using var limited = await emulator.CancelAsync(id, AlphaKey);
        using var limitedAgain = await emulator.GetAsync("/v3/account", AlphaKey);
        using var otherAccount = await emulator.GetAsync("/v3/account", Basic(Beta.ApiKeys[0]));

        await limited.AssertErrorAsync(429, "exceeded_rate");
        Assert.Equal("0", Header(limited, "X-RateLimit-Remaining"));
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(429, (int)limitedAgain.StatusCode);
        Assert.Equal(0, (await emulator.AdminGetAsync($"state/{id}")).GetProperty("cancel_count").GetInt32());
        Assert.Equal(200, (int)otherAccount.StatusCode);
        Assert.Equal("1", Header(otherAccount, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task A_429_can_be_configured_to_carry_no_headers()
    {
        var rateLimit = new RateLimitConfig { WindowSeconds = WindowSeconds, Limit = 1, HeadersOn429 = false, RetryAfter = RetryAfterForm.None };
        await using var emulator = await StartAsync(new EmulatorConfig { RateLimit = rateLimit });
        using var allowed = await emulator.GetAsync("/v3/account", AlphaKey);

        using var limited = await emulator.GetAsync("/v3/account", AlphaKey);

        Assert.Equal("0", Header(allowed, "X-RateLimit-Remaining"));
        await limited.AssertErrorAsync(429, "exceeded_rate");
        AssertNoWindowHeaders(limited);
        Assert.Null(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task Headers_can_be_left_off_the_2xx_while_a_429_still_carries_them()
    {
        var rateLimit = new RateLimitConfig { WindowSeconds = WindowSeconds, Limit = 1, HeadersOn2xx = false };
        await using var emulator = await StartAsync(new EmulatorConfig { RateLimit = rateLimit });

        using var allowed = await emulator.GetAsync("/v3/account", AlphaKey);
        using var limited = await emulator.GetAsync("/v3/account", AlphaKey);
        using var unauthorized = await emulator.GetAsync("/v3/account", Basic("not-a-key"));

        Assert.Equal(200, (int)allowed.StatusCode);
        AssertNoWindowHeaders(allowed);
        AssertNoWindowHeaders(unauthorized);
        await limited.AssertErrorAsync(429, "exceeded_rate");
        Assert.Equal("0", Header(limited, "X-RateLimit-Remaining"));
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Retry_After_can_be_an_HTTP_date_alone()
    {
        var rateLimit = new RateLimitConfig { WindowSeconds = WindowSeconds, Limit = 1, HeadersOn2xx = false, HeadersOn429 = false, RetryAfter = RetryAfterForm.HttpDate };
        await using var emulator = await StartAsync(new EmulatorConfig { RateLimit = rateLimit });
        await emulator.GetAsync("/v3/account", AlphaKey);
        var before = DateTimeOffset.UtcNow;

        using var limited = await emulator.GetAsync("/v3/account", AlphaKey);

        await limited.AssertErrorAsync(429, "exceeded_rate");
        AssertNoWindowHeaders(limited);
        var retryAt = limited.Headers.RetryAfter?.Date ?? throw new Xunit.Sdk.XunitException("Retry-After is not an HTTP date");
        var windowEnd = DateTimeOffset.FromUnixTimeSeconds((before.ToUnixTimeSeconds() / WindowSeconds + 1) * WindowSeconds);
        Assert.InRange(retryAt, windowEnd.AddSeconds(-1), windowEnd.AddSeconds(1));
    }

    [Fact]
    public async Task A_token_bucket_lets_a_burst_through_then_says_when_the_next_token_comes()
    {
        // 0.01 tokens a second: none is added while the test runs, so the burst is exactly what goes through.
        var rateLimit = new RateLimitConfig { Kind = RateLimitKind.TokenBucket, RatePerSecond = 0.01, Burst = 3 };
        await using var emulator = await StartAsync(new EmulatorConfig { RateLimit = rateLimit });

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await emulator.GetAsync("/v3/account", AlphaKey);
            statuses.Add((int)response.StatusCode);
            AssertNoWindowHeaders(response);
            if (i == 4)
            {
                await response.AssertErrorAsync(429, "exceeded_rate");
                // A whole token takes 100 s; rejected requests took none, so the wait is about that.
                Assert.InRange(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 90, 100);
            }
        }

        using var otherAccount = await emulator.GetAsync("/v3/account", Basic(Beta.ApiKeys[0]));

        Assert.Equal(new[] { 200, 200, 200, 429, 429 }, statuses);
        Assert.Equal(200, (int)otherAccount.StatusCode);
    }

    [Fact]
    public async Task A_token_bucket_refills_over_time()
    {
        // 20 tokens a second, one at most: after a 429 a token comes within 50 ms; wait for it, do not time it.
        var rateLimit = new RateLimitConfig { Kind = RateLimitKind.TokenBucket, RatePerSecond = 20, Burst = 1 };
        await using var emulator = await StartAsync(new EmulatorConfig { RateLimit = rateLimit });
        using var first = await emulator.GetAsync("/v3/account", AlphaKey);
        var rejected = 0;
        int status;
        do
        {
            using var next = await emulator.GetAsync("/v3/account", AlphaKey);
            status = (int)next.StatusCode;
            rejected += status == 429 ? 1 : 0;
        }
        while (status == 429 && rejected < 10_000);

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("""{"rate_limit":{"kind":"leaky"}}""")]
    [InlineData("""{"rate_limit":{"kind":1}}""")]
    [InlineData("""{"rate_limit":{"retry_after":"minutes"}}""")]
    [InlineData("""{"rate_limit":{"kind":"token_bucket","rate_per_second":0}}""")]
    [InlineData("""{"rate_limit":{"kind":"token_bucket","burst":0}}""")]
    public void Bad_rate_limit_options_are_refused(string json)
    {
        var refused = Assert.Throws<InvalidDataException>(() => EmulatorConfig.Parse(json, "The test config"));

        Assert.StartsWith("The test config is not valid", refused.Message);
    }

    [Fact]
    public void The_rate_limit_options_are_read_by_their_snake_case_names()
    {
        var config = EmulatorConfig.Parse("""{"rate_limit":{"kind":"token_bucket","rate_per_second":40,"burst":5,"headers_on_2xx":false,"headers_on_429":false,"retry_after":"http_date"}}""", "test");

        Assert.Equal(new RateLimitConfig { Kind = RateLimitKind.TokenBucket, RatePerSecond = 40, Burst = 5, HeadersOn2xx = false, HeadersOn429 = false, RetryAfter = RetryAfterForm.HttpDate }, config.RateLimit);
    }

    private static void AssertNoWindowHeaders(HttpResponseMessage response)
    {
        Assert.Null(Header(response, "X-RateLimit-Limit"));
        Assert.Null(Header(response, "X-RateLimit-Remaining"));
        Assert.Null(Header(response, "X-Ratelimit-Reset"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
