using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HelloSign.Emulator.Contract.Tests;

/// <summary>The signature_request_canceled event the emulator posts, checked against the spec's EventCallbackRequest.</summary>
public sealed class CallbackContractTests
{
    [Fact]
    public async Task The_canceled_event_conforms_to_the_official_spec()
    {
        var contract = await OpenApiContract.GetAsync();
        var payloads = new ConcurrentQueue<string>();
        await using var receiver = await StartReceiverAsync(payloads);
        var seed = SeedData.Load(Path.Combine(AppContext.BaseDirectory, "seed.json"));
        var account = seed.Accounts[0];
        var id = seed.SignatureRequests.First(r => r.AccountId == account.AccountId && r.State == RequestStates.AwaitingSignature).SignatureRequestId;
        var config = new EmulatorConfig { CallbackUrl = $"{receiver.Urls.Single()}/hook", CancelDelayMs = 0, CancelDelayJitterMs = 0 };
        await using var server = await EmulatorServer.StartAsync(seed, config);
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/v3/signature_request/cancel/{id}")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(account.ApiKeys[0] + ":"))) },
        };

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(cancel)).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? payload;
        while (!payloads.TryPeek(out payload) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(payload);
        Assert.Contains(id, payload);
        Assert.Empty(contract.CheckComponent("EventCallbackRequest", payload));
    }

    private static async Task<WebApplication> StartReceiverAsync(ConcurrentQueue<string> payloads)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            payloads.Enqueue((await request.ReadFormAsync())["json"].ToString());
            return Results.Text("Hello API Event Received");
        });
        await app.StartAsync();
        return app;
    }
}
