using System.Net.Http.Headers;
using System.Text;

namespace HelloSign.Emulator.Contract.Tests;

/// <summary>
/// Every status and body the emulator produces for the operations it implements, checked against the official
/// spec. Each scenario also asserts the status it is meant to produce, so a scenario cannot quietly stop
/// covering its case. Non-JSON faults (502/503 HTML pages, the truncated body, resets, hangs) are left out on
/// purpose: they stand for failures in front of the API, not for API answers.
/// </summary>
public sealed class ContractTests
{
    private static readonly SeedData Seed = SeedData.Load(Path.Combine(AppContext.BaseDirectory, "seed.json"));
    private static readonly SeedAccount Alpha = Seed.Accounts[0];
    private static readonly SeedAccount Beta = Seed.Accounts[1];
    private static readonly AuthenticationHeaderValue AlphaKey = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Alpha.ApiKeys[0] + ":")));
    private static readonly AuthenticationHeaderValue AlphaToken = new("Bearer", Alpha.AccessTokens[0]);

    private static string IdOf(SeedAccount account, string state) =>
        Seed.SignatureRequests.First(r => r.AccountId == account.AccountId && r.State == state).SignatureRequestId;

    /// <summary>A request to send, the status it must get, and optionally a config to set and a request to send first.</summary>
    private sealed record Scenario(string Method, string Path, int Status, object? Config = null, string? Before = null, AuthenticationHeaderValue? Auth = null);

    private static readonly Dictionary<string, Scenario> Scenarios = new()
    {
        ["account"] = new("GET", "/v3/account", 200),
        ["account by id"] = new("GET", $"/v3/account?account_id={Beta.AccountId}", 200),
        ["account by email"] = new("GET", $"/v3/account?email_address={Uri.EscapeDataString(Beta.EmailAddress)}", 200),
        ["account unknown"] = new("GET", "/v3/account?email_address=nobody%40example.test", 404),
        ["account without credentials"] = new("GET", "/v3/account", 401, Auth: new("Basic", "bm9ib2R5Og==")),
        ["account with a callback url"] = new("GET", "/v3/account", 200, Config: new { callback_url = "http://127.0.0.1:9/hook" }),
        ["list of every state in the team"] = new("GET", "/v3/signature_request/list?account_id=all&page_size=100", 200),
        ["list with a query"] = new("GET", "/v3/signature_request/list?query=legal%40acme.example", 200),
        ["list page beyond the end"] = new("GET", "/v3/signature_request/list?page=50", 200),
        ["list bad page size"] = new("GET", "/v3/signature_request/list?page_size=0", 400),
        ["list unsupported query"] = new("GET", "/v3/signature_request/list?query=NOT+complete%3Atrue", 400),
        ["list of an unknown account"] = new("GET", "/v3/signature_request/list?account_id=ffffffffffffffffffffffffffffffffffffffff", 403),
        ["get awaiting"] = new("GET", $"/v3/signature_request/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 200),
        ["get partially signed"] = new("GET", $"/v3/signature_request/{IdOf(Alpha, RequestStates.PartiallySigned)}", 200),
        ["get complete"] = new("GET", $"/v3/signature_request/{IdOf(Alpha, RequestStates.Complete)}", 200),
        ["get declined"] = new("GET", $"/v3/signature_request/{IdOf(Alpha, RequestStates.Declined)}", 200),
        ["get error"] = new("GET", $"/v3/signature_request/{IdOf(Alpha, RequestStates.Error)}", 200),
        ["get while a cancel is queued"] = new("GET", $"/v3/signature_request/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 200,
            Config: new { cancel_delay_ms = 600_000 }, Before: $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.AwaitingSignature)}"),
        ["get canceled"] = new("GET", $"/v3/signature_request/{IdOf(Alpha, RequestStates.Canceled)}", 410),
        ["get unknown"] = new("GET", "/v3/signature_request/ffffffffffffffffffffffffffffffffffffffff", 404),
        ["get foreign"] = new("GET", $"/v3/signature_request/{IdOf(Beta, RequestStates.AwaitingSignature)}", 403),
        ["cancel"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 200),
        ["cancel with a token"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.PartiallySigned)}", 200, Auth: AlphaToken),
        ["cancel complete"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.Complete)}", 400),
        ["cancel canceled"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.Canceled)}", 410),
        ["cancel unknown"] = new("POST", "/v3/signature_request/cancel/not-an-id", 404),
        ["cancel foreign"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Beta, RequestStates.AwaitingSignature)}", 403),
        ["cancel over the rate limit"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 429,
            Config: new { rate_limit = new { limit = 1 } }, Before: "/v3/account"),
        ["cancel conflict"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 409, Config: new { faults = new { http409 = 1.0 } }),
        ["cancel maintenance"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 503, Config: new { faults = new { http503 = 1.0 } }),
        ["cancel server error"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 500, Config: new { faults = new { http500 = 1.0 } }),
        ["cancel trickled"] = new("POST", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 200, Config: new { faults = new { trickle = 1.0 } }),
        ["get trickled"] = new("GET", $"/v3/signature_request/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 200, Config: new { faults = new { trickle = 1.0 } }),
        ["remove complete"] = new("POST", $"/v3/signature_request/remove/{IdOf(Alpha, RequestStates.Complete)}", 200),
        ["remove awaiting"] = new("POST", $"/v3/signature_request/remove/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 400),
        ["remove with a token"] = new("POST", $"/v3/signature_request/remove/{IdOf(Alpha, RequestStates.Complete)}", 403, Auth: AlphaToken),
        ["remove removed"] = new("POST", $"/v3/signature_request/remove/{IdOf(Alpha, RequestStates.Complete)}", 410,
            Before: $"/v3/signature_request/remove/{IdOf(Alpha, RequestStates.Complete)}"),
        ["wrong method"] = new("GET", $"/v3/signature_request/cancel/{IdOf(Alpha, RequestStates.AwaitingSignature)}", 405),
        ["unknown endpoint"] = new("GET", "/v3/no_such_endpoint", 404),
    };

    public static TheoryData<string> ScenarioNames => [.. Scenarios.Keys];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task The_answer_conforms_to_the_official_spec(string scenarioName)
    {
        var scenario = Scenarios[scenarioName];
        var contract = await OpenApiContract.GetAsync();
        await using var server = await EmulatorServer.StartAsync(Seed, new EmulatorConfig());
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress), Timeout = TimeSpan.FromMinutes(2) };
        if (scenario.Config is not null)
        {
            (await http.PostAsync("/__emulator/config", JsonContent(scenario.Config))).EnsureSuccessStatusCode();
        }

        if (scenario.Before is not null)
        {
            using var before = await SendAsync(http, scenario.Before.Contains("/cancel/") || scenario.Before.Contains("/remove/") ? "POST" : "GET", scenario.Before, AlphaKey);
        }

        using var response = await SendAsync(http, scenario.Method, scenario.Path, scenario.Auth ?? AlphaKey);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(scenario.Status, (int)response.StatusCode);
        Assert.Empty(contract.Check(new HttpMethod(scenario.Method), scenario.Path, response, body));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path, AuthenticationHeaderValue auth) =>
        http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Headers = { Authorization = auth } });

    private static StringContent JsonContent(object value) =>
        new(System.Text.Json.JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
