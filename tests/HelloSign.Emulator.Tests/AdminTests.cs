using System.Diagnostics;
using System.Text;
using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class AdminTests
{
    [Fact]
    public async Task Log_records_each_request_in_arrival_order_with_timings()
    {
        await using var emulator = await StartAsync();
        var id = SeededIds(Alpha, RequestStates.AwaitingSignature)[0];
        await emulator.GetAsync("/v3/signature_request/list?page=1", AlphaKey);
        await emulator.CancelAsync(id, AlphaKey);
        await emulator.GetAsync("/v3/account", null);

        var log = (await emulator.AdminGetAsync("log")).EnumerateArray().ToList();

        Assert.Equal([1L, 2L, 3L], log.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(["GET", "POST", "GET"], log.Select(e => e.GetProperty("method").GetString()));
        Assert.Equal("/v3/signature_request/list", log[0].GetProperty("path").GetString());
        Assert.Equal("page=1", log[0].GetProperty("query").GetString());
        Assert.Equal($"/v3/signature_request/cancel/{id}", log[1].GetProperty("path").GetString());
        Assert.Equal([200, 200, 401], log.Select(e => e.GetProperty("status").GetInt32()));
        Assert.Equal(["basic", "basic", "none"], log.Select(e => e.GetProperty("auth_scheme").GetString()));
        Assert.Null(log[2].GetProperty("account_id").GetString());
        Assert.All(log, e => Assert.True(e.GetProperty("ended_at_ms").GetDouble() >= e.GetProperty("started_at_ms").GetDouble()));

        (await emulator.Http.DeleteAsync("/__emulator/log")).EnsureSuccessStatusCode();
        Assert.Equal(0, (await emulator.AdminGetAsync("log")).GetArrayLength());
        Assert.Equal(0, (await emulator.AdminGetAsync("stats")).GetProperty("total_requests").GetInt64());
    }

    [Fact]
    public async Task Nothing_the_emulator_reports_contains_a_secret()
    {
        await using var emulator = await StartAsync();
        var secrets = Seed.Accounts.SelectMany(a => a.ApiKeys.Concat(a.AccessTokens)).ToList();
        foreach (var account in Seed.Accounts)
        {
            await emulator.GetAsync("/v3/account", Basic(account.ApiKeys[0]));
        }

        await emulator.GetAsync("/v3/account", Bearer(Alpha.AccessTokens[0]));
        await emulator.GetAsync($"/v3/signature_request/list?query={Alpha.ApiKeys[1]}", Basic(Alpha.ApiKeys[1]));
        await emulator.CancelAsync(Alpha.ApiKeys[0], Basic(Alpha.ApiKeys[0]));
        var bodies = new StringBuilder();
        foreach (var path in new[] { "log", "stats", "state", "config", "callbacks" })
        {
            bodies.Append(await emulator.Http.GetStringAsync($"/__emulator/{path}"));
        }

        var reported = bodies.ToString();
        Assert.Contains("[redacted]", reported);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, reported));
        Assert.All(secrets, secret => Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret + ":")), reported));
    }

    [Fact]
    public async Task Stats_show_how_many_requests_ran_at_once()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { LatencyMs = 300 });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => emulator.GetAsync("/v3/account", AlphaKey)));

        var stats = await emulator.AdminGetAsync("stats");
        Assert.Equal(4, stats.GetProperty("total_requests").GetInt64());
        Assert.Equal(4, stats.GetProperty("max_in_flight").GetInt32());
        Assert.Equal(0, stats.GetProperty("in_flight").GetInt32());
    }

    [Fact]
    public async Task Generate_adds_many_deterministic_requests_quickly_and_reset_removes_them()
    {
        await using var emulator = await StartAsync();
        var clock = Stopwatch.StartNew();

        using var response = await emulator.Http.PostAsync("/__emulator/generate", new StringContent("""{"count":10000,"account_id":"%ID%"}""".Replace("%ID%", Beta.AccountId)));
        var ids = (await response.JsonAsync()).GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).ToList();

        Assert.InRange(clock.ElapsedMilliseconds, 0, 3000);
        Assert.Equal(10_000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{40}$", id));
        Assert.Equal(200, (int)(await emulator.CancelAsync(ids[^1], Basic(Beta.ApiKeys[0]))).StatusCode);

        await emulator.AdminPostAsync("reset", new { });
        Assert.Equal(Seed.SignatureRequests.Count, (await emulator.AdminGetAsync("state")).GetArrayLength());
        await emulator.AdminPostAsync("generate", new { count = 1 });
        Assert.Equal(ids[0], (await emulator.AdminGetAsync("state")).EnumerateArray().Last().GetProperty("signature_request_id").GetString());
    }

    [Fact]
    public async Task Config_round_trips_and_rejects_mistakes()
    {
        await using var emulator = await StartAsync();

        await emulator.AdminPostAsync("config", new { latency_ms = 5, rate_limit = new { limit = 10 } });
        var config = await emulator.AdminGetAsync("config");

        Assert.Equal(5, config.GetProperty("latency_ms").GetInt32());
        Assert.Equal(10, config.GetProperty("rate_limit").GetProperty("limit").GetInt32());
        Assert.Equal(60, config.GetProperty("rate_limit").GetProperty("window_seconds").GetInt32());
        Assert.True(config.GetProperty("rate_limit").GetProperty("headers_on_429").GetBoolean());
        Assert.Equal(30_000, config.GetProperty("timeout_delay_ms").GetInt32());
        foreach (var bad in new[] { """{"latency":5}""", """{"faults":{"http500":1.5}}""", """{"faults":{"http500":0.6,"reset":0.6}}""", """{"callback_url":"not a url"}""" })
        {
            using var rejected = await emulator.Http.PostAsync("/__emulator/config", new StringContent(bad));
            await rejected.AssertErrorAsync(400, "bad_request");
        }

        Assert.Equal(5, (await emulator.AdminGetAsync("config")).GetProperty("latency_ms").GetInt32());
        await emulator.AdminPostAsync("reset", new { });
        Assert.Equal(0, (await emulator.AdminGetAsync("config")).GetProperty("latency_ms").GetInt32());
    }

    [Fact]
    public async Task Config_set_at_run_time_keeps_the_start_up_values_of_what_it_omits()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { CancelDelayMs = 0, CancelDelayJitterMs = 0, RateLimit = new RateLimitConfig { Limit = 5_000 } });

        await emulator.AdminPostAsync("config", new { latency_ms = 5, rate_limit = new { window_seconds = 10 } });
        var config = await emulator.AdminGetAsync("config");

        Assert.Equal(5, config.GetProperty("latency_ms").GetInt32());
        Assert.Equal(0, config.GetProperty("cancel_delay_ms").GetInt32());
        Assert.Equal(0, config.GetProperty("cancel_delay_jitter_ms").GetInt32());
        Assert.Equal(10, config.GetProperty("rate_limit").GetProperty("window_seconds").GetInt32());
        Assert.Equal(5_000, config.GetProperty("rate_limit").GetProperty("limit").GetInt32());

        // null restores an option's default, whatever the start-up config said.
        await emulator.AdminPostAsync("config", new Dictionary<string, object?> { ["cancel_delay_ms"] = null });
        Assert.Equal(new EmulatorConfig().CancelDelayMs, (await emulator.AdminGetAsync("config")).GetProperty("cancel_delay_ms").GetInt32());
        using var notAnObject = await emulator.Http.PostAsync("/__emulator/config", new StringContent("[1]"));
        await notAnObject.AssertErrorAsync(400, "bad_request");
    }

    [Fact]
    public async Task The_defaults_are_the_real_apis_queued_cancel_and_100_per_minute()
    {
        await using var emulator = await StartAsync();

        var config = await emulator.AdminGetAsync("config");

        Assert.Equal(100, config.GetProperty("rate_limit").GetProperty("limit").GetInt32());
        Assert.Equal(60, config.GetProperty("rate_limit").GetProperty("window_seconds").GetInt32());
        Assert.InRange(config.GetProperty("cancel_delay_ms").GetInt32(), 1_000, 10_000);
        Assert.True(config.GetProperty("cancel_delay_jitter_ms").GetInt32() > 0);
    }
}
