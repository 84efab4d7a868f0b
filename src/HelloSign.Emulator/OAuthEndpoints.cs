using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace HelloSign.Emulator;

/// <summary>The API app whose OAuth tokens the emulator issues, and how long its access tokens live.</summary>
internal sealed record OAuthConfig
{
    public string ClientId { get; init; } = "emulator-client-id";

    public string ClientSecret { get; init; } = "emulator-client-secret";

    /// <summary>How long an issued access token is accepted.</summary>
    public int AccessTokenLifetimeSeconds { get; init; } = 3600;

    /// <summary>The expires_in the token response states; null states the true lifetime (a larger one makes tokens die unannounced).</summary>
    public int? ReportedLifetimeSeconds { get; init; }

    /// <summary>Delay before /oauth/token answers (to stop a client midway).</summary>
    public int TokenLatencyMs { get; init; }

    public string? FindProblem() =>
        string.IsNullOrEmpty(ClientId) || string.IsNullOrEmpty(ClientSecret) ? "oauth needs a client_id and a client_secret"
        : AccessTokenLifetimeSeconds < 1 || ReportedLifetimeSeconds < 1 ? "oauth lifetimes must be at least 1 second"
        : TokenLatencyMs < 0 ? "durations in milliseconds cannot be negative"
        : null;
}

/// <summary>The spec's OAuthTokenResponse.</summary>
internal sealed record OAuthTokenResponse(string AccessToken, string TokenType, string RefreshToken, int ExpiresIn, string? State);

internal sealed record OAuthIssued(IReadOnlyList<string> AccessTokens, IReadOnlyList<string> RefreshTokens);

internal sealed record OAuthStats(int InFlight);

/// <summary>One call of /oauth/token as GET /__emulator/oauth/log shows it; never a token or secret.</summary>
internal sealed record OAuthLogEntry(long Seq, string? GrantType, string? AccountId, int Status, string? ErrorName, double StartedAtMs, double EndedAtMs);

/// <summary>
/// The OAuth tokens issued since start (or reset): access tokens expire, refresh tokens rotate on every use
/// (the old one is dead at once), and every /oauth/token call is logged without its secrets.
/// </summary>
internal sealed class OAuthGrants
{
    private readonly ConcurrentDictionary<string, (string AccountId, long ExpiresAtMs)> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OAuthLogEntry> _log = new();
    private readonly ConcurrentQueue<string> _issuedAccessTokens = new();
    private readonly ConcurrentQueue<string> _issuedRefreshTokens = new();
    private long _seq;
    private int _inFlight;

    public OAuthTokenResponse Issue(string accountId, OAuthConfig config)
    {
        var access = NewToken();
        var refresh = NewToken();
        _accessTokens[access] = (accountId, UnixTime.NowMs() + config.AccessTokenLifetimeSeconds * 1000L);
        _refreshTokens[refresh] = accountId;
        _issuedAccessTokens.Enqueue(access);
        _issuedRefreshTokens.Enqueue(refresh);
        return new OAuthTokenResponse(access, "Bearer", refresh, config.ReportedLifetimeSeconds ?? config.AccessTokenLifetimeSeconds, null);
    }

    /// <summary>The account of a live refresh token, which is used up by this call; null if unknown, used or revoked.</summary>
    public string? Redeem(string refreshToken) => _refreshTokens.TryRemove(refreshToken, out var accountId) ? accountId : null;

    /// <summary>The account of an access token that has not expired yet.</summary>
    public string? FindLive(string accessToken) =>
        _accessTokens.TryGetValue(accessToken, out var grant) && UnixTime.NowMs() < grant.ExpiresAtMs ? grant.AccountId : null;

    /// <summary>Every refresh token of the account stops working (its access tokens live on until they expire).</summary>
    public void RevokeRefreshTokens(string accountId)
    {
        foreach (var (token, owner) in _refreshTokens)
        {
            if (owner == accountId)
            {
                _refreshTokens.TryRemove(token, out _);
            }
        }
    }

    public IEnumerable<string> Secrets() => _accessTokens.Keys.Concat(_refreshTokens.Keys);

    /// <summary>Every token issued since start or reset, expired and used ones included: what a secrets test looks for.</summary>
    public OAuthIssued Issued() => new([.. _issuedAccessTokens], [.. _issuedRefreshTokens]);

    public int InFlight => Volatile.Read(ref _inFlight);

    public long Begin()
    {
        Interlocked.Increment(ref _inFlight);
        return Interlocked.Increment(ref _seq);
    }

    public void End(OAuthLogEntry entry)
    {
        _log.Enqueue(entry);
        Interlocked.Decrement(ref _inFlight);
    }

    public List<OAuthLogEntry> Log() => [.. _log.OrderBy(e => e.Seq)];

    public void Clear()
    {
        _accessTokens.Clear();
        _refreshTokens.Clear();
        _issuedAccessTokens.Clear();
        _issuedRefreshTokens.Clear();
        _log.Clear();
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// POST /oauth/token?refresh at the emulator's root (as on app.hellosign.com, not under /v3): the spec's
/// oauthTokenRefresh, with a JSON or form body. Plus admin routes to issue a first grant (what the
/// authorization-code flow would give), revoke refresh tokens and read the OAuth log.
/// </summary>
internal static class OAuthEndpoints
{
    private static readonly IResult InvalidGrant = Error(400, "invalid_grant", "The refresh token is invalid, expired, used already or revoked.");
    private static readonly IResult InvalidClient = Error(401, "invalid_client", "Client authentication failed.");

    public static void MapOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/oauth/token", TokenAsync);
        var admin = app.MapGroup("/__emulator/oauth");
        admin.MapPost("/grant", (AccountBody? body, EmulatorRuntime runtime) => WithAccount(body, runtime, account => Results.Ok(runtime.Accounts.Grants.Issue(account.AccountId, runtime.Config.OAuth))));
        admin.MapPost("/revoke", (AccountBody? body, EmulatorRuntime runtime) => WithAccount(body, runtime, account =>
        {
            runtime.Accounts.Grants.RevokeRefreshTokens(account.AccountId);
            return Results.NoContent();
        }));
        admin.MapGet("/log", (EmulatorRuntime runtime) => runtime.Accounts.Grants.Log());
        admin.MapGet("/stats", (EmulatorRuntime runtime) => new OAuthStats(runtime.Accounts.Grants.InFlight));
        admin.MapGet("/issued", (EmulatorRuntime runtime) => runtime.Accounts.Grants.Issued());
    }

    /// <summary>{"account_id": …} naming a seeded account; the first account when omitted.</summary>
    internal sealed record AccountBody(string? AccountId);

    private static IResult WithAccount(AccountBody? body, EmulatorRuntime runtime, Func<SeedAccount, IResult> act) =>
        (body?.AccountId is { Length: > 0 } id ? runtime.Accounts.Find(id) : runtime.Accounts.First) is { } account ? act(account) : ApiErrors.NotFound;

    private static async Task<IResult> TokenAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var grants = runtime.Accounts.Grants;
        var seq = grants.Begin();
        var startedAtMs = runtime.Log.ElapsedMs;
        string? grantType = null;
        string? accountId = null;
        var (status, errorName) = (0, (string?)null);
        try
        {
            var config = runtime.Config.OAuth;
            var fields = await ReadFieldsAsync(context.Request);
            grantType = fields?.GetValueOrDefault("grant_type");
            if (config.TokenLatencyMs > 0)
            {
                await Task.Delay(config.TokenLatencyMs, context.RequestAborted);
            }

            IResult result;
            if (!context.Request.Query.ContainsKey("refresh") || fields is null || grantType != "refresh_token" || fields.GetValueOrDefault("refresh_token") is not { Length: > 0 } refreshToken)
            {
                (status, errorName, result) = (400, "invalid_request", Error(400, "invalid_request", "Only POST /oauth/token?refresh with grant_type=refresh_token and a refresh_token is emulated."));
            }
            else if (fields.GetValueOrDefault("client_id") != config.ClientId || fields.GetValueOrDefault("client_secret") != config.ClientSecret)
            {
                (status, errorName, result) = (401, "invalid_client", InvalidClient);
            }
            else if ((accountId = grants.Redeem(refreshToken)) is null || runtime.Accounts.IsRevoked(accountId))
            {
                (status, errorName, result) = (400, "invalid_grant", InvalidGrant);
            }
            else
            {
                (status, result) = (200, Results.Ok(grants.Issue(accountId, config)));
            }

            return result;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        finally
        {
            grants.End(new OAuthLogEntry(seq, grantType, accountId, status, errorName, startedAtMs, runtime.Log.ElapsedMs));
        }
    }

    /// <summary>The OAuthTokenRefreshRequest fields from a JSON object or a form; null when the body is neither.</summary>
    private static async Task<Dictionary<string, string>?> ReadFieldsAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return form.ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return document.RootElement.ValueKind != JsonValueKind.Object
                ? null
                : document.RootElement.EnumerateObject()
                    .Where(property => property.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(property => property.Name, property => property.Value.GetString()!, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string name, string message) =>
        Results.Json(new ErrorResponse(new ErrorDetail(message, name)), contentType: "application/json", statusCode: status);
}
