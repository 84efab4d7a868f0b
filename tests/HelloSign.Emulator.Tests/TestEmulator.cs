using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace HelloSign.Emulator.Tests;

/// <summary>
/// One emulator per test, started in-process on a free loopback port from tests/data/seed.json,
/// plus the few helpers every test needs to talk to it over real HTTP.
/// </summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    private readonly EmulatorServer _server;

    private TestEmulator(EmulatorServer server)
    {
        _server = server;
        Http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
    }

    public static SeedData Seed { get; } = SeedData.Load(Path.Combine(AppContext.BaseDirectory, "seed.json"));

    public static SeedAccount Alpha => Seed.Accounts[0];

    public static SeedAccount Beta => Seed.Accounts[1];

    /// <summary>For tests that need a cancel to be complete the moment it is accepted (the default queues it for seconds).</summary>
    public static EmulatorConfig SynchronousCancel { get; } = new() { CancelDelayMs = 0, CancelDelayJitterMs = 0 };

    public HttpClient Http { get; }

    public string HttpAddress => _server.HttpAddress;

    public static async Task<TestEmulator> StartAsync(EmulatorConfig? config = null) =>
        new(await EmulatorServer.StartAsync(Seed, config ?? new EmulatorConfig()));

    public static AuthenticationHeaderValue Basic(string apiKey) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(apiKey + ":")));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public static AuthenticationHeaderValue AlphaKey => Basic(Alpha.ApiKeys[0]);

    /// <summary>Ids of the seeded requests of <paramref name="account"/> in <paramref name="state"/>.</summary>
    public static List<string> SeededIds(SeedAccount account, string state) =>
        [.. Seed.SignatureRequests.Where(r => r.AccountId == account.AccountId && r.State == state).Select(r => r.SignatureRequestId)];

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? auth)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = auth;
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, AuthenticationHeaderValue? auth) => SendAsync(HttpMethod.Get, path, auth);

    public Task<HttpResponseMessage> CancelAsync(string id, AuthenticationHeaderValue? auth) =>
        SendAsync(HttpMethod.Post, $"/v3/signature_request/cancel/{id}", auth);

    public async Task<JsonElement> AdminGetAsync(string path) =>
        await Http.GetFromJsonAsync<JsonElement>($"/__emulator/{path}");

    /// <summary>Polls GET until it answers <paramref name="status"/>, so a test waits for the emulator, not for a guessed time.</summary>
    public async Task<HttpResponseMessage> WaitForStatusAsync(string path, int status, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var response = await GetAsync(path, AlphaKey);
            if ((int)response.StatusCode == status || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(50);
        }
    }

    public async Task AdminPostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync($"/__emulator/{path}", body, EmulatorJson.Options);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
    }
}

internal static class ResponseAssertions
{
    /// <summary>Asserts an API error: status, JSON content type and error_name.</summary>
    public static async Task AssertErrorAsync(this HttpResponseMessage response, int status, string errorName)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(errorName, body.GetProperty("error").GetProperty("error_name").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("error_msg").GetString()));
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
