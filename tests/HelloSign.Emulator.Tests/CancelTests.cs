using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class CancelTests
{
    [Theory]
    [InlineData(RequestStates.AwaitingSignature)]
    [InlineData(RequestStates.PartiallySigned)]
    public async Task Cancel_of_an_incomplete_request_answers_200_with_an_empty_body_and_then_410(string state)
    {
        await using var emulator = await StartAsync(SynchronousCancel);
        var id = SeededIds(Alpha, state)[0];

        using var response = await emulator.CancelAsync(id, AlphaKey);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var recorded = await emulator.AdminGetAsync($"state/{id}");
        Assert.Equal(RequestStates.Canceled, recorded.GetProperty("state").GetString());
        Assert.Equal(1, recorded.GetProperty("cancel_count").GetInt32());
        Assert.True(recorded.GetProperty("cancel_completed").GetBoolean());
        Assert.True(recorded.GetProperty("canceled_at_ms").GetInt64() > 1_700_000_000_000);

        await (await emulator.CancelAsync(id, AlphaKey)).AssertErrorAsync(410, "deleted");
        await (await emulator.GetAsync($"/v3/signature_request/{id}", AlphaKey)).AssertErrorAsync(410, "deleted");
        Assert.Equal(1, (await emulator.AdminGetAsync($"state/{id}")).GetProperty("cancel_count").GetInt32());
    }

    [Theory]
    [InlineData(RequestStates.Complete)]
    [InlineData(RequestStates.Declined)]
    [InlineData(RequestStates.Error)]
    public async Task Cancel_of_a_finished_request_fails_with_400(string state)
    {
        await using var emulator = await StartAsync();

        using var response = await emulator.CancelAsync(SeededIds(Alpha, state)[0], AlphaKey);

        await response.AssertErrorAsync(400, "signature_request_cancel_failed");
    }

    [Fact]
    public async Task Cancel_of_a_request_seeded_as_canceled_answers_410()
    {
        await using var emulator = await StartAsync();

        using var response = await emulator.CancelAsync(SeededIds(Alpha, RequestStates.Canceled)[0], AlphaKey);

        await response.AssertErrorAsync(410, "deleted");
    }

    [Fact]
    public async Task Cancel_of_another_accounts_request_is_forbidden_and_changes_nothing()
    {
        await using var emulator = await StartAsync();
        var betaId = SeededIds(Beta, RequestStates.AwaitingSignature)[0];

        using var response = await emulator.CancelAsync(betaId, AlphaKey);

        await response.AssertErrorAsync(403, "forbidden");
        Assert.Equal(0, (await emulator.AdminGetAsync($"state/{betaId}")).GetProperty("cancel_count").GetInt32());
    }

    [Theory]
    [InlineData("ffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("not-hex-at-all")]
    [InlineData("%E2%9C%93%20%27%3B--")]
    [InlineData("a/b/c")]
    public async Task Cancel_of_an_unknown_or_odd_id_answers_404(string id)
    {
        await using var emulator = await StartAsync();

        using var response = await emulator.CancelAsync(id, AlphaKey);

        await response.AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task By_default_a_cancel_is_queued_and_get_reads_as_before_until_it_completes()
    {
        await using var emulator = await StartAsync();
        var id = SeededIds(Alpha, RequestStates.AwaitingSignature)[0];

        Assert.Equal(200, (int)(await emulator.CancelAsync(id, AlphaKey)).StatusCode);

        var pending = await (await emulator.GetAsync($"/v3/signature_request/{id}", AlphaKey)).JsonAsync();
        Assert.False(pending.GetProperty("signature_request").GetProperty("is_complete").GetBoolean());
        Assert.False((await emulator.AdminGetAsync($"state/{id}")).GetProperty("cancel_completed").GetBoolean());
        await (await emulator.CancelAsync(id, AlphaKey)).AssertErrorAsync(410, "deleted");

        var defaults = new EmulatorConfig();
        var within = TimeSpan.FromMilliseconds(defaults.CancelDelayMs + defaults.CancelDelayJitterMs) + TimeSpan.FromSeconds(10);
        await (await emulator.WaitForStatusAsync($"/v3/signature_request/{id}", 410, within)).AssertErrorAsync(410, "deleted");
        Assert.True((await emulator.AdminGetAsync($"state/{id}")).GetProperty("cancel_completed").GetBoolean());
    }

    [Fact]
    public async Task A_seeded_jitter_gives_each_request_its_own_delay_the_same_on_every_run()
    {
        var config = new EmulatorConfig { Seed = 42, CancelDelayMs = 1_000, CancelDelayJitterMs = 5_000 };
        var ids = Seed.SignatureRequests.Select(r => r.SignatureRequestId).ToList();

        var delays = ids.Select(id => CancelDelay.For(config, id)).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, 1_000, 6_000));
        Assert.True(delays.Distinct().Count() > 1, "every request got the same delay");
        Assert.Equal(delays, ids.Select(id => CancelDelay.For(config with { }, id)));
        Assert.NotEqual(delays, ids.Select(id => CancelDelay.For(config with { Seed = 43 }, id)));
        Assert.All(ids, id => Assert.Equal(250, CancelDelay.For(config with { CancelDelayMs = 250, CancelDelayJitterMs = 0 }, id)));
    }

    [Fact]
    public async Task Unknown_api_paths_answer_a_json_404_that_names_the_endpoint_not_a_request()
    {
        await using var emulator = await StartAsync();

        foreach (var path in new[] { "/v3/team", "/v3/file.json", "/v3/signature_request/cancel/x/y" })
        {
            using var response = await emulator.SendAsync(HttpMethod.Get, path, AlphaKey);
            await response.AssertErrorAsync(404, "not_found");
            Assert.Contains("endpoint", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("GET", "/v3/signature_request/cancel/c01bba153f696edf25a23d5e04b76a41d8b43dfc", "POST")]
    [InlineData("POST", "/v3/signature_request/c01bba153f696edf25a23d5e04b76a41d8b43dfc", "GET")]
    [InlineData("DELETE", "/v3/account", "GET")]
    [InlineData("POST", "/v3/signature_request/list", "GET")]
    public async Task A_known_path_with_the_wrong_method_answers_405_with_the_allowed_methods(string method, string path, string allowed)
    {
        await using var emulator = await StartAsync();

        using var response = await emulator.SendAsync(new HttpMethod(method), path, AlphaKey);

        await response.AssertErrorAsync(405, "method_not_supported");
        Assert.Contains(allowed, response.Content.Headers.Allow);
        Assert.Equal(RequestStates.AwaitingSignature, (await emulator.AdminGetAsync("state/c01bba153f696edf25a23d5e04b76a41d8b43dfc")).GetProperty("state").GetString());
    }
}
