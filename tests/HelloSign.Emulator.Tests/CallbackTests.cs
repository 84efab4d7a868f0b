using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class CallbackTests
{
    [Fact]
    public async Task Canceled_event_is_retried_until_the_receiver_gives_the_exact_reply()
    {
        var received = new ConcurrentQueue<(string? ContentType, string Json)>();
        // Almost right is wrong: a trailing newline and a 201 must both be retried.
        var replies = new ConcurrentQueue<IResult>([Results.Text("Hello API Event Received\n"), Results.Text(CallbackSender.ExpectedReply, statusCode: 201)]);
        await using var receiver = await StartReceiverAsync(async request =>
        {
            var form = await request.ReadFormAsync();
            received.Enqueue((request.ContentType, form["json"].ToString()));
            return replies.TryDequeue(out var reply) ? reply : Results.Text(CallbackSender.ExpectedReply);
        });
        var config = new EmulatorConfig { CallbackUrl = $"{receiver.Urls.Single()}/hook", CallbackRetryMs = 50, CancelDelayMs = 100, CancelDelayJitterMs = 0 };
        await using var emulator = await StartAsync(config);
        var id = SeededIds(Alpha, RequestStates.AwaitingSignature)[0];

        await emulator.CancelAsync(id, AlphaKey);
        var attempts = await WaitForAttemptsAsync(emulator, count: 3);

        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal([200, 201, 200], attempts.Select(a => a.GetProperty("status").GetInt32()));
        Assert.Equal([false, false, true], attempts.Select(a => a.GetProperty("reply_ok").GetBoolean()));
        Assert.All(attempts, a => Assert.Equal(id, a.GetProperty("signature_request_id").GetString()));

        var (contentType, json) = received.First();
        Assert.StartsWith("multipart/form-data", contentType);
        using var payload = JsonDocument.Parse(json);
        var evt = payload.RootElement.GetProperty("event");
        var eventTime = evt.GetProperty("event_time").GetString()!;
        Assert.Equal("signature_request_canceled", evt.GetProperty("event_type").GetString());
        Assert.Equal(EventHash.Compute(Alpha.ApiKeys[0], eventTime, "signature_request_canceled"), evt.GetProperty("event_hash").GetString());
        Assert.Equal(Alpha.AccountId, evt.GetProperty("event_metadata").GetProperty("reported_for_account_id").GetString());
        var request = payload.RootElement.GetProperty("signature_request");
        Assert.Equal(id, request.GetProperty("signature_request_id").GetString());
        Assert.Equal("", request.GetProperty("title").GetString());
        Assert.Equal(0, request.GetProperty("created_at").GetInt64());
        Assert.Equal(0, request.GetProperty("signatures").GetArrayLength());
        Assert.All(received, r => Assert.Equal(json, r.Json));
    }

    [Fact]
    public async Task Delivery_gives_up_after_the_configured_attempts()
    {
        await using var receiver = await StartReceiverAsync(_ => Task.FromResult(Results.Text("nope")));
        var config = new EmulatorConfig { CallbackUrl = $"{receiver.Urls.Single()}/hook", CallbackRetryMs = 20, CallbackMaxAttempts = 2, CancelDelayMs = 0, CancelDelayJitterMs = 0 };
        await using var emulator = await StartAsync(config);

        await emulator.CancelAsync(SeededIds(Alpha, RequestStates.AwaitingSignature)[0], AlphaKey);
        await WaitForAttemptsAsync(emulator, count: 2);
        await Task.Delay(200);

        Assert.Equal(2, (await emulator.AdminGetAsync("callbacks")).GetArrayLength());
    }

    private static async Task<List<JsonElement>> WaitForAttemptsAsync(TestEmulator emulator, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var attempts = (await emulator.AdminGetAsync("callbacks")).EnumerateArray().ToList();
            if (attempts.Count >= count || DateTime.UtcNow > deadline)
            {
                return attempts;
            }

            await Task.Delay(25);
        }
    }

    private static async Task<WebApplication> StartReceiverAsync(Func<HttpRequest, Task<IResult>> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/hook", handle);
        await app.StartAsync();
        return app;
    }
}
