using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Auth;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Retry;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.Auth;

public class OAuthSessionTests
{
    private const string Id = "fa5c8a0b0f492d768749333ad6fcc214c111e967";
    private static readonly DateTimeOffset Start = TestApi.Start;
    private static readonly ApiCallOptions Options = new() { MaximumRetries = 2 };

    /// <summary>
    /// Plays the token endpoint (app host) and the API (api host): the token endpoint hands out "access-N" and
    /// "refresh-N" and accepts only the latest refresh token; the API accepts only the latest access token.
    /// </summary>
    private sealed class FakeOAuthServer : HttpMessageHandler
    {
        private readonly object _gate = new();
        private int _generation;

        public int ExpiresIn { get; set; } = 3600;
        public bool RefuseRefresh { get; set; }
        public bool RejectEveryToken { get; set; }
        public TaskCompletionSource<bool>? HoldRefresh { get; set; }
        public ConcurrentQueue<JsonDocument> RefreshBodies { get; } = new();
        public ConcurrentQueue<(string Host, string Authorization)> ApiRequests { get; } = new();
        public int Refreshes => RefreshBodies.Count;

        public string CurrentAccessToken
        {
            get { lock (_gate) { return "access-" + _generation; } }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Host == "app.example.test")
            {
                Assert.Equal("/oauth/token", request.RequestUri.AbsolutePath);
                Assert.Equal("?refresh", request.RequestUri.Query);
                Assert.Null(request.Headers.Authorization);
                var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync());
                RefreshBodies.Enqueue(body);
                if (HoldRefresh is { } hold)
                {
                    await hold.Task;
                }

                lock (_gate)
                {
                    if (RefuseRefresh || body.RootElement.GetProperty("refresh_token").GetString() != "refresh-" + _generation)
                    {
                        return ScriptedHandler.Response(400, "{\"error\":{\"error_msg\":\"Invalid refresh token\",\"error_name\":\"invalid_grant\"}}");
                    }

                    _generation++;
                    return ScriptedHandler.Response(200, $"{{\"access_token\":\"access-{_generation}\",\"token_type\":\"Bearer\",\"refresh_token\":\"refresh-{_generation}\",\"expires_in\":{ExpiresIn},\"state\":null}}");
                }
            }

            var authorization = request.Headers.Authorization?.ToString() ?? string.Empty;
            ApiRequests.Enqueue((request.RequestUri.Host, authorization));
            return authorization == "Bearer " + CurrentAccessToken && !RejectEveryToken
                ? ScriptedHandler.Response(200)
                : ScriptedHandler.Response(401, "{\"error\":{\"error_msg\":\"Unauthorized user.\",\"error_name\":\"unauthorized\"}}");
        }
    }

    private static (HelloSignApi Api, OAuthSession Session, FakeClock Clock) Create(FakeOAuthServer server, string? accessToken = null)
    {
        var clock = new FakeClock(Start);
        var endpoint = new OAuthTokenEndpoint(new Uri("https://app.example.test"), "client-1", ApiCredential.ToSecureString("client-secret-1"), "HelloSign-Tests/1.0", TimeSpan.FromSeconds(5), server, clock);
        var session = new OAuthSession(endpoint, ApiCredential.ToSecureString("refresh-0"), accessToken is null ? null : ApiCredential.ToSecureString(accessToken), clock);
        return (TestApi.Create(server, clock, credential: new ApiCredential(session), baseUri: new Uri("https://api.example.test/v3")), session, clock);
    }

    [Fact]
    public async Task Without_an_access_token_the_first_call_gets_one_from_the_token_endpoint_only()
    {
        var server = new FakeOAuthServer();
        var (api, session, _) = Create(server);

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        var body = Assert.Single(server.RefreshBodies).RootElement;
        Assert.Equal("refresh_token", body.GetProperty("grant_type").GetString());
        Assert.Equal("refresh-0", body.GetProperty("refresh_token").GetString());
        Assert.Equal("client-1", body.GetProperty("client_id").GetString());
        Assert.Equal("client-secret-1", body.GetProperty("client_secret").GetString());
        Assert.Equal(("api.example.test", "Bearer access-1"), Assert.Single(server.ApiRequests));
        Assert.Equal("refresh-1", ApiCredential.Reveal(session.CopyRefreshToken()));
    }

    [Fact]
    public async Task A_token_is_renewed_a_little_before_it_expires_and_the_rotated_refresh_token_is_used_next()
    {
        var server = new FakeOAuthServer { ExpiresIn = 100 };
        var (api, session, clock) = Create(server);
        await api.CancelAsync(Id, Options, null, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(89));
        await api.CancelAsync(Id, Options, null, CancellationToken.None);
        Assert.Equal(1, server.Refreshes);

        // Ten seconds before expiry (a tenth of a 100 s lifetime) it is due.
        clock.Advance(TimeSpan.FromSeconds(2));
        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(2, server.Refreshes);
        Assert.Equal("refresh-1", server.RefreshBodies.Last().RootElement.GetProperty("refresh_token").GetString());
        Assert.All(server.ApiRequests, request => Assert.StartsWith("Bearer access-", request.Authorization));
        Assert.DoesNotContain(server.ApiRequests, request => request.Authorization == "Bearer access-0");
        Assert.Equal(Start + TimeSpan.FromSeconds(91 + 90), session.RenewAt);
    }

    [Fact]
    public async Task A_401_for_a_token_that_worked_refreshes_and_repeats_the_request_once()
    {
        var server = new FakeOAuthServer();
        var (api, _, _) = Create(server, accessToken: "revoked-by-the-server");

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Call.Attempts);
        Assert.Equal(1, server.Refreshes);
        Assert.Equal(new[] { "Bearer revoked-by-the-server", "Bearer access-1" }, server.ApiRequests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task A_401_with_the_renewed_token_too_ends_as_unauthorized_without_a_loop()
    {
        var server = new FakeOAuthServer { RejectEveryToken = true };
        var (api, _, _) = Create(server, accessToken: "old");

        var result = await api.CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.Equal(ApiFailureKind.Unauthorized, result.Failure!.Kind);
        Assert.Equal("Unauthorized", result.Failure.ErrorId);
        Assert.Equal(1, server.Refreshes);
        Assert.Equal(2, server.ApiRequests.Count);
        Assert.True(RunEndingPolicy.EndsRun(result.Failure));
    }

    [Fact]
    public async Task A_refused_refresh_ends_with_one_clear_failure_and_is_never_sent_again()
    {
        var server = new FakeOAuthServer { RefuseRefresh = true };
        var (api, _, _) = Create(server);

        var first = await api.CancelAsync(Id, Options, null, CancellationToken.None);
        var second = await api.GetAccountAsync(Options, null, CancellationToken.None);

        Assert.Equal(OAuthTokenEndpoint.RefreshFailedName, first.Failure!.ErrorId);
        Assert.True(RunEndingPolicy.EndsRun(first.Failure));
        Assert.Contains("could not be refreshed", first.Failure.Message);
        Assert.Contains("https://app.example.test/oauth/token?refresh", first.Failure.Message);
        Assert.Contains("invalid_grant", first.Failure.Message);
        Assert.DoesNotContain("refresh-0", first.Failure.Message);
        Assert.DoesNotContain("client-secret-1", first.Failure.Message);
        Assert.Same(first.Failure, second.Failure);
        Assert.Equal(1, server.Refreshes);
        Assert.Empty(server.ApiRequests);
    }

    [Fact]
    public async Task Many_concurrent_calls_on_an_expired_token_share_one_refresh_and_all_go_on_with_the_new_token()
    {
        var server = new FakeOAuthServer { HoldRefresh = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (api, session, _) = Create(server, accessToken: "expired");
        var calls = Enumerable.Range(0, 20).Select(_ => Task.Run(() => api.CancelAsync(Id, Options, null, CancellationToken.None))).ToList();

        // Every call has been refused once (or is waiting for the refresh) before the one refresh is let through.
        await Condition.WaitUntilAsync(() => server.Refreshes == 1 && server.ApiRequests.Count == 20);
        server.HoldRefresh.SetResult(true);
        var results = await Task.WhenAll(calls);

        Assert.All(results, result => Assert.True(result.Succeeded));
        Assert.Equal(1, server.Refreshes);
        Assert.Equal(1, session.TokenVersion);
        Assert.Equal(20, server.ApiRequests.Count(r => r.Authorization == "Bearer access-1"));
    }

    [Fact]
    public async Task Cancelling_one_waiting_call_does_not_abandon_the_refresh_the_others_wait_for()
    {
        var server = new FakeOAuthServer { HoldRefresh = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (api, _, _) = Create(server);
        using var stop = new CancellationTokenSource();
        var stopped = api.CancelAsync(Id, Options, null, stop.Token);
        var other = api.CancelAsync(Id, Options, null, CancellationToken.None);
        await Condition.WaitUntilAsync(() => server.Refreshes == 1);

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);
        server.HoldRefresh.SetResult(true);

        Assert.True((await other).Succeeded);
        Assert.Equal(1, server.Refreshes);
    }

    [Fact]
    public async Task Closing_the_connection_ends_a_refresh_in_flight_and_forgets_the_tokens()
    {
        var server = new FakeOAuthServer { HoldRefresh = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (api, session, _) = Create(server);
        var call = api.CancelAsync(Id, Options, null, CancellationToken.None);
        await Condition.WaitUntilAsync(() => server.Refreshes == 1);

        api.Dispose();
        server.HoldRefresh.SetResult(true);
        var result = await call;

        Assert.Equal(OAuthTokenEndpoint.RefreshFailedName, result.Failure!.ErrorId);
        Assert.Empty(server.ApiRequests);
        Assert.Throws<ObjectDisposedException>(() => session.CopyRefreshToken());
    }

    [Theory]
    [InlineData("https://app.example.test/path?x=1", "The OAuth base URI 'https://app.example.test/path' must not have a query")]
    [InlineData("http://app.example.test", "credentials would travel unencrypted")]
    public void The_OAuth_base_follows_the_rules_of_the_API_base(string uri, string reason)
    {
        var thrown = Assert.Throws<ArgumentException>(() => new OAuthTokenEndpoint(new Uri(uri), "client", ApiCredential.ToSecureString("secret"), "ua", TimeSpan.FromSeconds(1)));
        Assert.Contains(reason, thrown.Message);
    }

    [Fact]
    public async Task An_expires_in_that_is_a_unix_time_is_read_as_one()
    {
        var clock = new FakeClock(Start);
        var endpoint = new OAuthTokenEndpoint(new Uri("https://app.example.test"), "client-1", ApiCredential.ToSecureString("client-secret-1"), "ua", TimeSpan.FromSeconds(5), new ScriptedHandler().ThenStatus(200, $"{{\"access_token\":\"a\",\"expires_in\":{Start.ToUnixTimeSeconds() + 3600}}}"), clock);
        var session = new OAuthSession(endpoint, ApiCredential.ToSecureString("r"), clock: clock);

        Assert.Null(await session.EnsureFreshAsync(null, CancellationToken.None));

        Assert.Equal(Start + TimeSpan.FromSeconds(3600 - 60), session.RenewAt);
        Assert.Equal("r", ApiCredential.Reveal(session.CopyRefreshToken()));
    }

    [Fact]
    public async Task A_token_endpoint_that_echoes_the_secrets_has_them_masked_in_the_failure()
    {
        var echo = "{\"error\":{\"error_msg\":\"bad refresh-0 for client-secret-1\",\"error_name\":\"invalid_grant\"}}";
        var endpoint = new OAuthTokenEndpoint(new Uri("https://app.example.test"), "client-1", ApiCredential.ToSecureString("client-secret-1"), "ua", TimeSpan.FromSeconds(5), new ScriptedHandler().ThenStatus(400, echo));
        var session = new OAuthSession(endpoint, ApiCredential.ToSecureString("refresh-0"));

        var failure = await session.EnsureFreshAsync(null, CancellationToken.None);

        Assert.Contains("bad [redacted] for [redacted]", failure!.Message);
    }
}
