using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Auth;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Retry;
using HelloSign.Core.Tests.RateLimiting;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.Retry;

public class ApiCallerTests
{
    private const string Id = "fa5c8a0b0f492d768749333ad6fcc214c111e967";
    private static readonly DateTimeOffset Start = TestApi.Start;

    private static (HelloSignApi Api, FakeClock Clock) Create(ScriptedHandler handler)
    {
        var clock = new FakeClock(Start);
        return (TestApi.Create(handler, clock), clock);
    }

    private static readonly ApiCallOptions Options = new() { MaximumRetries = 3 };

    [Fact]
    public async Task A_cancel_posts_to_the_cancel_path_with_basic_auth_and_no_body()
    {
        var handler = new ScriptedHandler().ThenStatus(200);
        var (api, _) = Create(handler);

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.Equal(SignatureRequestActionStatus.Queued, result.Value);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.hellosign.com/v3/signature_request/cancel/" + Id, request.RequestUri!.ToString());
        Assert.Equal("Basic WU9VUl9BUElfS0VZOg==", request.Headers.Authorization!.ToString());
        Assert.StartsWith("HelloSign-Tests/1.0", request.Headers.UserAgent.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"warnings\":[{\"warning_msg\":\"m\",\"warning_name\":\"w\"}]}")]
    public async Task Empty_and_json_object_bodies_both_mean_queued(string body)
    {
        var (api, _) = Create(new ScriptedHandler().ThenStatus(200, body));

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(SignatureRequestActionStatus.Queued, result.Value);
    }

    [Fact]
    public async Task A_200_with_a_body_that_is_not_json_is_not_taken_for_queued()
    {
        var (api, _) = Create(new ScriptedHandler().ThenStatus(200, "<html>Welcome to the hotel wifi</html>", "text/html"));

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApiFailureKind.InvalidResponse, result.Failure!.Kind);
        Assert.Contains("unknown", result.Failure.Message);
    }

    [Fact]
    public async Task A_410_is_gone_not_a_failure()
    {
        var (api, _) = Create(new ScriptedHandler().ThenStatus(410, SpecExample.Read("Error410Response")));

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(SignatureRequestActionStatus.Gone, result.Value);
    }

    [Fact]
    public async Task Transient_faults_are_retried_with_growing_pauses_then_succeed()
    {
        var handler = new ScriptedHandler()
            .ThenStatus(500, "")
            .ThenStatus(502, "<html>Bad Gateway</html>", "text/html")
            .ThenThrow(new HttpRequestException("Connection reset by peer"))
            .ThenStatus(200);
        var (api, clock) = Create(handler);

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.Equal(SignatureRequestActionStatus.Queued, result.Value);
        Assert.Equal(4, result.Call.Attempts);
        Assert.Equal(3, result.Call.TransientRetries);
        Assert.Equal(3, clock.Delays.Count);
        Assert.True(clock.Delays[2] > clock.Delays[0]);
    }

    [Fact]
    public async Task After_the_last_retry_the_failure_carries_the_last_cause()
    {
        var handler = new ScriptedHandler();
        for (var i = 0; i < 4; i++)
        {
            handler.ThenStatus(503, "<html>maintenance</html>", "text/html");
        }

        var (api, _) = Create(handler);

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.Equal(ApiFailureKind.ServerError, result.Failure!.Kind);
        Assert.Equal(503, result.Failure.StatusCode);
        Assert.Equal(4, result.Call.Attempts);
    }

    [Fact]
    public async Task A_410_after_a_dropped_attempt_is_gone_and_flagged_as_possibly_ours()
    {
        var handler = new ScriptedHandler()
            .ThenThrow(new HttpRequestException("The response ended prematurely."))
            .ThenStatus(410, SpecExample.Read("Error410Response"));
        var (api, _) = Create(handler);

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.Equal(SignatureRequestActionStatus.Gone, result.Value);
        Assert.True(result.Call.EarlierAttemptMayHaveArrived);
    }

    [Fact]
    public async Task Rate_limiting_alone_never_fails_a_call_and_does_not_use_up_retries()
    {
        var handler = new ScriptedHandler();
        for (var i = 0; i < 10; i++)
        {
            handler.ThenStatus(429, SpecExample.Read("Error429Response"));
        }

        handler.ThenStatus(200);
        var (api, clock) = Create(handler);

        var result = await api.CancelAsync(Id, new ApiCallOptions { MaximumRetries = 0 }, null, CancellationToken.None);

        Assert.Equal(SignatureRequestActionStatus.Queued, result.Value);
        Assert.Equal(10, result.Call.RateLimitRetries);
        Assert.Equal(10, clock.Delays.Count);
    }

    /// <summary>
    /// Ten calls answered without rate-limit headers (a rate to learn from), then one answered 429 with only
    /// Retry-After: 1, as a gateway's token bucket does. Returns that call while it waits out its pause.
    /// </summary>
    private static async Task<(Task<ApiResult<SignatureRequestActionStatus>> Call, ScriptedHandler Handler, ManualClock Clock, HelloSignApi Api)> CallMeetingAGatewayRetryAfter(CancellationToken stop)
    {
        var clock = new ManualClock(Start);
        var handler = new ScriptedHandler();
        for (var i = 0; i < 10; i++)
        {
            handler.ThenStatus(200);
        }

        handler.ThenStatus(429, SpecExample.Read("Error429Response"), headers: new Dictionary<string, string> { ["Retry-After"] = "1" }).ThenStatus(200);
        var api = TestApi.Create(handler, clock);
        for (var i = 0; i < 10; i++)
        {
            await api.CancelAsync(Id, Options, null, CancellationToken.None);
        }

        var call = api.CancelAsync(Id, new ApiCallOptions().StoppingBeforeNextAttempt(stop), null, CancellationToken.None);
        await Condition.WaitUntilAsync(() => clock.PendingDelays == 1 || call.IsCompleted);
        Assert.False(call.IsCompleted, "the call did not wait out the Retry-After");
        Assert.Equal(11, handler.Requests.Count);
        return (call, handler, clock, api);
    }

    [Fact]
    public async Task A_short_Retry_After_once_a_rate_is_learned_is_waited_out_by_its_own_call_then_sent_again()
    {
        var (call, handler, clock, api) = await CallMeetingAGatewayRetryAfter(CancellationToken.None);
        using var _ = api;
        Assert.NotNull(api.Pacer.LearnedRate);
        Assert.Equal(TimeSpan.FromSeconds(1), api.Pacer.CurrentWait!.Value.Until - clock.UtcNow);

        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await call;

        Assert.Equal(SignatureRequestActionStatus.Queued, result.Value);
        Assert.Equal(1, result.Call.RateLimitRetries);
        Assert.Equal(12, handler.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), api.Pacer.TotalWaitTime);
    }

    [Fact]
    public async Task A_run_ending_while_a_call_waits_out_its_own_Retry_After_sends_nothing_more()
    {
        using var stop = new CancellationTokenSource();
        var (call, handler, _, api) = await CallMeetingAGatewayRetryAfter(stop.Token);
        using var __ = api;

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(11, handler.Requests.Count);
    }

    [Fact]
    public async Task A_429_with_a_reset_header_waits_until_the_reset()
    {
        var reset = Start.AddSeconds(30).ToUnixTimeSeconds().ToString();
        var handler = new ScriptedHandler()
            .ThenStatus(429, SpecExample.Read("Error429Response"), headers: new Dictionary<string, string> { ["X-RateLimit-Limit"] = "100", ["X-RateLimit-Remaining"] = "0", ["X-Ratelimit-Reset"] = reset })
            .ThenStatus(200);
        var (api, clock) = Create(handler);

        await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(30) + RateLimitPacer.ResetMargin, Assert.Single(clock.Delays));
    }

    [Theory]
    [InlineData(400, "signature_request_cancel_failed", ApiFailureKind.CannotCancel)]
    [InlineData(401, "unauthorized", ApiFailureKind.Unauthorized)]
    [InlineData(403, "forbidden", ApiFailureKind.Forbidden)]
    [InlineData(404, "not_found", ApiFailureKind.NotFound)]
    public async Task Permanent_errors_are_not_retried(int status, string name, ApiFailureKind kind)
    {
        var handler = new ScriptedHandler().ThenStatus(status, $"{{\"error\":{{\"error_msg\":\"m\",\"error_name\":\"{name}\"}}}}");
        var (api, _) = Create(handler);

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.Equal(kind, result.Failure!.Kind);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task The_trace_shows_method_path_and_status_but_never_the_key()
    {
        var lines = new List<string>();
        var (api, _) = Create(new ScriptedHandler().ThenStatus(200, "", headers: new Dictionary<string, string> { ["X-RateLimit-Limit"] = "100", ["X-RateLimit-Remaining"] = "99", ["X-Ratelimit-Reset"] = "1800000060" }));

        await api.CancelAsync(Id, Options, line => { lock (lines) lines.Add(line); }, CancellationToken.None);

        var all = string.Join("\n", lines);
        Assert.Contains("POST signature_request/cancel/" + Id, all);
        Assert.Contains("200", all);
        Assert.Contains("remaining 99", all);
        Assert.DoesNotContain("YOUR_API_KEY", all);
        Assert.DoesNotContain("WU9VUl9BUElfS0VZOg", all);
    }

    [Fact]
    public async Task The_account_is_read_from_the_spec_example()
    {
        var (api, _) = Create(new ScriptedHandler().ThenStatus(200, SpecExample.Read("AccountGetResponse")));

        var result = await api.GetAccountAsync(Options, null, CancellationToken.None);

        Assert.Equal("5008b25c7f67153e57d5a357b1687968068fb465", result.Value!.AccountId);
        Assert.Equal("me@dropboxsign.com", result.Value.EmailAddress);
        Assert.Equal(1250, result.Value.ApiSignatureRequestsLeft);
    }

    [Fact]
    public async Task A_list_page_is_read_from_the_spec_example_with_escaped_query()
    {
        var handler = new ScriptedHandler().ThenStatus(200, SpecExample.Read("SignatureRequestListResponse"));
        var (api, _) = Create(handler);

        var result = await api.ListSignatureRequestsAsync(2, 100, "complete:false AND title:a&b", "all", Options, null, CancellationToken.None);

        Assert.Equal(1, result.Value!.NumberOfPages);
        Assert.Equal(2, result.Value.Items.Count);
        Assert.Equal("d10338cad145e1cb68afc828", result.Value.Items[0].SignatureRequestId);
        var query = handler.Requests.Single().RequestUri!.Query;
        Assert.Contains("page=2", query);
        Assert.Contains("page_size=100", query);
        Assert.Contains("account_id=all", query);
        Assert.Contains("query=complete%3Afalse%20AND%20title%3Aa%26b", query);
    }
}
