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
        var rateLimit = new RateLimitConfig { WindowSeconds = WindowSeconds, Limit = 1, HeadersOn429 = false };
        await using var emulator = await StartAsync(new EmulatorConfig { RateLimit = rateLimit });
        await emulator.GetAsync("/v3/account", AlphaKey);

        using var limited = await emulator.GetAsync("/v3/account", AlphaKey);

        await limited.AssertErrorAsync(429, "exceeded_rate");
        Assert.Null(Header(limited, "X-RateLimit-Limit"));
        Assert.Null(Header(limited, "X-RateLimit-Remaining"));
        Assert.Null(Header(limited, "X-Ratelimit-Reset"));
        Assert.Null(limited.Headers.RetryAfter);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
