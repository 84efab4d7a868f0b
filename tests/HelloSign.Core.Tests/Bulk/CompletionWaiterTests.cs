using System;
using System.Collections.Generic;
using System.Threading;
using HelloSign.Core.Auth;
using HelloSign.Core.Bulk;
using HelloSign.Core.Http;
using HelloSign.Core.Models;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Retry;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.Bulk;

public class CompletionWaiterTests
{
    private const string Id = "fa5c8a0b0f492d768749333ad6fcc214c111e967";
    private static readonly DateTimeOffset Start = TestApi.Start;

    /// <summary>Readable (200) until <paramref name="canceledAt"/> on the fake clock, gone (410) from then on.</summary>
    private static List<BulkEvent<SignatureRequest>> WaitFor(TimeSpan canceledAt, TimeSpan timeout)
    {
        var clock = new FakeClock(Start);
        var handler = new ScriptedHandler();
        for (var i = 0; i < 100; i++)
        {
            handler.Then(_ => clock.UtcNow >= Start + canceledAt
                ? ScriptedHandler.Response(410, "{\"error\":{\"error_msg\":\"gone\",\"error_name\":\"deleted\"}}")
                : ScriptedHandler.Response(200, $"{{\"signature_request\":{{\"signature_request_id\":\"{Id}\"}}}}"));
        }

        using var api = TestApi.Create(handler, clock);
        var ledger = new RunLedger();
        ledger.Add(Id, IdState.Queued);
        var settings = new BulkRunSettings(1, new ApiCallOptions(), CancellationToken.None) { Clock = clock };
        var events = new List<BulkEvent<SignatureRequest>>();

        new CompletionWaiter(settings, timeout, new Random(7)).Wait(new[] { Id }, ledger, api.GetSignatureRequestAsync, events.Add);

        return events;
    }

    [Fact]
    public void A_cancel_that_completes_during_the_last_pause_is_found_by_the_check_at_the_deadline()
    {
        var events = WaitFor(canceledAt: TimeSpan.FromSeconds(4.9), timeout: TimeSpan.FromSeconds(5));

        var outcome = Assert.Single(events, e => e.Kind == BulkEventKind.Outcome);
        Assert.Equal(IdState.Canceled, outcome.State);
    }

    [Fact]
    public void One_still_readable_at_the_deadline_is_pending_and_waiting_events_name_the_next_check()
    {
        var events = WaitFor(canceledAt: TimeSpan.FromHours(1), timeout: TimeSpan.FromSeconds(5));

        var outcome = Assert.Single(events, e => e.Kind == BulkEventKind.Outcome);
        Assert.Equal(IdState.Pending, outcome.State);
        Assert.Contains("still pending after 5 s", outcome.Message);
        Assert.All(events.FindAll(e => e.Kind == BulkEventKind.Waiting), e => Assert.InRange(e.Until, Start, Start + TimeSpan.FromSeconds(5)));
    }
}
