using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class CancelTests
{
    [Theory]
    [InlineData(RequestStates.AwaitingSignature)]
    [InlineData(RequestStates.PartiallySigned)]
    public async Task Cancel_of_an_incomplete_request_answers_200_with_an_empty_body_and_then_410(string state)
    {
        await using var emulator = await StartAsync();
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
    public async Task With_a_cancel_delay_get_reads_as_before_until_the_cancel_completes()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { CancelDelayMs = 400 });
        var id = SeededIds(Alpha, RequestStates.AwaitingSignature)[0];

        Assert.Equal(200, (int)(await emulator.CancelAsync(id, AlphaKey)).StatusCode);

        var pending = await (await emulator.GetAsync($"/v3/signature_request/{id}", AlphaKey)).JsonAsync();
        Assert.False(pending.GetProperty("signature_request").GetProperty("is_complete").GetBoolean());
        Assert.False((await emulator.AdminGetAsync($"state/{id}")).GetProperty("cancel_completed").GetBoolean());
        await (await emulator.CancelAsync(id, AlphaKey)).AssertErrorAsync(410, "deleted");

        await Task.Delay(500);
        await (await emulator.GetAsync($"/v3/signature_request/{id}", AlphaKey)).AssertErrorAsync(410, "deleted");
        Assert.True((await emulator.AdminGetAsync($"state/{id}")).GetProperty("cancel_completed").GetBoolean());
    }

    [Fact]
    public async Task Unknown_api_routes_answer_404_json()
    {
        await using var emulator = await StartAsync();

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/v3/team"), (HttpMethod.Get, "/v3/signature_request/cancel/x"), (HttpMethod.Delete, "/v3/account"), (HttpMethod.Get, "/v3/file.json") })
        {
            await (await emulator.SendAsync(method, path, AlphaKey)).AssertErrorAsync(404, "not_found");
        }
    }
}
