using System.Diagnostics;
using System.Text.Json;
using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task A_seeded_fault_mix_repeats_exactly_and_reset_restarts_it()
    {
        var config = new EmulatorConfig { Seed = 7, Faults = new FaultConfig { Http500 = 0.3, Http502 = 0.2 } };
        await using var emulator = await StartAsync(config);

        var first = await StatusSequenceAsync(emulator);
        await emulator.AdminPostAsync("reset", new { });
        var second = await StatusSequenceAsync(emulator);

        Assert.Equal(first, second);
        Assert.Contains(500, first);
        Assert.Contains(502, first);
        Assert.Contains(200, first);
        var faults = (await emulator.AdminGetAsync("log")).EnumerateArray().Select(e => e.GetProperty("fault").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { null, "http500", "http502" }, faults);
    }

    [Fact]
    public async Task Canned_faults_have_the_documented_bodies()
    {
        await using var emulator = await StartAsync();

        await emulator.AdminPostAsync("config", new { faults = new { http502 = 1.0 } });
        using var badGateway = await emulator.GetAsync("/v3/account", AlphaKey);
        await emulator.AdminPostAsync("config", new { faults = new { truncated = 1.0 } });
        using var truncated = await emulator.GetAsync("/v3/account", AlphaKey);
        await emulator.AdminPostAsync("config", new { faults = new { http503_html = 1.0 } });
        using var maintenance = await emulator.GetAsync("/v3/account", AlphaKey);

        Assert.Equal(502, (int)badGateway.StatusCode);
        Assert.Equal("text/html", badGateway.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<html><body>Bad Gateway</body></html>", await badGateway.Content.ReadAsStringAsync());
        Assert.Equal(500, (int)truncated.StatusCode);
        Assert.Equal("application/json", truncated.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"error\":{\"error_ms", await truncated.Content.ReadAsStringAsync());
        Assert.Equal(503, (int)maintenance.StatusCode);
        Assert.Equal("text/html", maintenance.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Conflict_and_maintenance_faults_are_json_api_errors_and_change_nothing()
    {
        await using var emulator = await StartAsync();
        var id = SeededIds(Alpha, RequestStates.AwaitingSignature)[0];

        await emulator.AdminPostAsync("config", new { faults = new { http409 = 1.0 } });
        await (await emulator.CancelAsync(id, AlphaKey)).AssertErrorAsync(409, "conflict");
        await emulator.AdminPostAsync("config", new { faults = new { http503 = 1.0 } });
        await (await emulator.CancelAsync(id, AlphaKey)).AssertErrorAsync(503, "maintenance");

        Assert.Equal(0, (await emulator.AdminGetAsync($"state/{id}")).GetProperty("cancel_count").GetInt32());
        var faults = (await emulator.AdminGetAsync("log")).EnumerateArray().Select(e => e.GetProperty("fault").GetString());
        Assert.Equal(["http409", "http503"], faults);
    }

    [Fact]
    public async Task A_trickled_answer_is_the_real_one_complete_and_valid_just_slow()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { Faults = new FaultConfig { Trickle = 1.0 } });
        var id = SeededIds(Alpha, RequestStates.AwaitingSignature)[0];
        emulator.Http.Timeout = TimeSpan.FromMinutes(2);

        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v3/signature_request/{id}") { Headers = { Authorization = AlphaKey } };
        using var response = await emulator.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var headersAfter = clock.Elapsed;
        var body = await response.JsonAsync();

        Assert.Equal(id, body.GetProperty("signature_request").GetProperty("signature_request_id").GetString());
        Assert.True(clock.Elapsed - headersAfter > TimeSpan.FromSeconds(10), "the body was not held back");
        using var cancel = await emulator.CancelAsync(id, AlphaKey);
        Assert.Equal(200, (int)cancel.StatusCode);
        Assert.Equal("{}", await cancel.Content.ReadAsStringAsync());
        Assert.Equal(1, (await emulator.AdminGetAsync($"state/{id}")).GetProperty("cancel_count").GetInt32());
    }

    [Fact]
    public async Task Reset_aborts_without_processing_and_drop_processes_then_aborts()
    {
        await using var emulator = await StartAsync();
        var ids = SeededIds(Alpha, RequestStates.AwaitingSignature);

        await emulator.AdminPostAsync("config", new { faults = new { reset = 1.0 } });
        await Assert.ThrowsAsync<HttpRequestException>(() => emulator.CancelAsync(ids[0], AlphaKey));
        await emulator.AdminPostAsync("config", new { faults = new { drop = 1.0 } });
        await Assert.ThrowsAsync<HttpRequestException>(() => emulator.CancelAsync(ids[1], AlphaKey));

        Assert.Equal(0, (await emulator.AdminGetAsync($"state/{ids[0]}")).GetProperty("cancel_count").GetInt32());
        Assert.Equal(1, (await emulator.AdminGetAsync($"state/{ids[1]}")).GetProperty("cancel_count").GetInt32());
        // An aborted request is logged when the server finishes with it, which can be just after the client gave up.
        var log = (await emulator.AdminGetAsync("log")).EnumerateArray().ToList();
        for (var wait = 0; log.Count < 2 && wait < 40; wait++)
        {
            await Task.Delay(50);
            log = (await emulator.AdminGetAsync("log")).EnumerateArray().ToList();
        }

        Assert.Equal(["reset", "drop"], log.Select(e => e.GetProperty("fault").GetString()));
        Assert.All(log, e => Assert.Equal(0, e.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task Timeout_fault_does_not_process_when_the_client_gives_up()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { Faults = new FaultConfig { Timeout = 1.0 }, TimeoutDelayMs = 1500 });
        var ids = SeededIds(Alpha, RequestStates.AwaitingSignature);
        using var impatient = new HttpClient { BaseAddress = new Uri(emulator.HttpAddress), Timeout = TimeSpan.FromMilliseconds(100) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/signature_request/cancel/{ids[0]}") { Headers = { Authorization = AlphaKey } };

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.SendAsync(request));
        using var patient = await emulator.CancelAsync(ids[1], AlphaKey);

        Assert.Equal(200, (int)patient.StatusCode);
        await Task.Delay(2000); // well past the delay, so the emulator has had every chance to (wrongly) process it
        Assert.Equal(0, (await emulator.AdminGetAsync($"state/{ids[0]}")).GetProperty("cancel_count").GetInt32());
    }

    [Fact]
    public async Task Redirect_sends_every_api_request_elsewhere_but_not_the_admin_api()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { Faults = new FaultConfig { RedirectTo = "http://attacker.example/" } });
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(emulator.HttpAddress) };

        using var response = await noRedirects.GetAsync("/v3/signature_request/list?page=2");

        Assert.Equal(307, (int)response.StatusCode);
        Assert.Equal("http://attacker.example/v3/signature_request/list?page=2", response.Headers.Location?.ToString());
        Assert.Equal(JsonValueKind.Array, (await emulator.AdminGetAsync("state")).ValueKind);
    }

    private static async Task<List<int>> StatusSequenceAsync(TestEmulator emulator)
    {
        var statuses = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await emulator.GetAsync("/v3/account", AlphaKey);
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
