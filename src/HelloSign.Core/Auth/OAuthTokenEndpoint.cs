using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.Models;
using HelloSign.Core.RateLimiting;

namespace HelloSign.Core.Auth;

/// <summary>What one refresh brought: a new access token, maybe a new refresh token, and how long the access token lives.</summary>
internal sealed class OAuthTokens : IDisposable
{
    public OAuthTokens(SecureString accessToken, SecureString? refreshToken, TimeSpan? lifetime)
    {
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        Lifetime = lifetime;
    }

    public SecureString AccessToken { get; }

    /// <summary>Null when the response brought none (then the old one stays).</summary>
    public SecureString? RefreshToken { get; }

    public TimeSpan? Lifetime { get; }

    public void Dispose()
    {
        AccessToken.Dispose();
        RefreshToken?.Dispose();
    }
}

/// <summary>
/// POST {OAuth base}/oauth/token?refresh (the spec's oauthTokenRefresh): trades a refresh token for new tokens.
/// Its own HTTP client, so the client secret and refresh token only ever go to the OAuth host, never to the API;
/// redirects are not followed.
/// </summary>
public sealed class OAuthTokenEndpoint : IDisposable
{
    public static readonly Uri Default = new("https://app.hellosign.com/");

    /// <summary>The module's own ErrorName (and so the ErrorId) for a refresh that failed.</summary>
    public const string RefreshFailedName = "OAuthRefreshFailed";

    private const int MaximumAttempts = 3;

    // expires_in is documented as seconds but also as "epoch time": a value this large can only be a Unix time.
    private const long SmallestUnixTime = 1_000_000_000;

    private readonly HttpClient _http;
    private readonly string _clientId;
    private readonly SecureString _clientSecret;
    private readonly TimeSpan _timeout;
    private readonly Clock _clock;
    private readonly Random _jitter = new();

    public OAuthTokenEndpoint(Uri baseUri, string clientId, SecureString clientSecret, string userAgent, TimeSpan timeout, HttpMessageHandler? handler = null, Clock? clock = null)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new ArgumentException("The client id is empty.", nameof(clientId));
        }

        if (clientSecret is null || clientSecret.Length == 0)
        {
            throw new ArgumentException("The client secret is empty.", nameof(clientSecret));
        }

        BaseUri = ApiEndpoint.Validate(baseUri, "OAuth base URI", Default);
        TokenUri = new Uri(BaseUri, "oauth/token?refresh");
        _clientId = clientId.Trim();
        _clientSecret = clientSecret.Copy();
        _clientSecret.MakeReadOnly();
        _timeout = timeout;
        _clock = clock ?? Clock.System;
        _http = new HttpClient(handler ?? HelloSignHttpClient.CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri BaseUri { get; }

    /// <summary>Where refreshes are posted: shown in messages (it holds no secret).</summary>
    public Uri TokenUri { get; }

    /// <summary>
    /// One refresh, tried again after transient faults (no answer, 429, 5xx). Returns the tokens, or the failure and
    /// whether it is final (the refresh token or client was refused, so trying again cannot help).
    /// </summary>
    internal async Task<(OAuthTokens? Tokens, ApiFailure? Failure, bool Refused)> RefreshAsync(SecureString refreshToken, CancellationToken cancellationToken)
    {
        var cause = string.Empty;
        for (var attempt = 1; ; attempt++)
        {
            var (status, body, transport) = await PostAsync(refreshToken, cancellationToken).ConfigureAwait(false);
            if (status is >= 200 and <= 299)
            {
                return ReadTokens(body) is { } tokens
                    ? (tokens, null, false)
                    : (null, Failed($"the token endpoint {TokenUri} answered HTTP {status} without an access_token"), false);
            }

            if (status is >= 300 and < 400)
            {
                return (null, Failed($"the token endpoint {TokenUri} answered with a redirect (HTTP {status}), which is not followed so that the secrets stay with that host; check -OAuthBaseUri"), true);
            }

            if (status is >= 400 and < 500 and not 429)
            {
                var (name, message) = ApiErrorMapper.ReadErrorBody(body);
                var said = WithoutSecrets(string.Join(": ", new[] { name, message }.Where(part => !string.IsNullOrEmpty(part))), refreshToken);
                said = said.Length == 0 ? string.Empty : " " + said;
                return (null, Failed($"the token endpoint {TokenUri} refused the refresh token or the client (HTTP {status}{said})"), true);
            }

            cause = transport ?? $"HTTP {status}";
            if (attempt >= MaximumAttempts)
            {
                return (null, Failed($"the token endpoint {TokenUri} gave no usable answer in {MaximumAttempts} attempts (last: {cause})"), false);
            }

            await _clock.Delay(RateLimitPacer.Backoff(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), _jitter), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(int Status, string Body, string? Transport)> PostAsync(SecureString refreshToken, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(_timeout);
        var body = BuildBody(refreshToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, TokenUri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            using var abortBody = timeoutSource.Token.Register(response.Dispose);
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var (text, _) = await BoundedBodyReader.ReadAsync(stream, BoundedBodyReader.MaximumErrorBodyBytes, timeoutSource.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, text, null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or HttpRequestException or IOException or ObjectDisposedException)
        {
            return (0, string.Empty, e is OperationCanceledException or ObjectDisposedException ? $"no answer within {_timeout.TotalSeconds:0.###} s" : e.Message);
        }
        finally
        {
            Array.Clear(body, 0, body.Length);
        }
    }

    /// <summary>The token endpoint's text with the secrets we sent it masked, in case it (or a proxy) echoes them.</summary>
    private string WithoutSecrets(string text, SecureString refreshToken)
    {
        foreach (var secret in new[] { ApiCredential.Reveal(refreshToken).Trim(), ApiCredential.Reveal(_clientSecret).Trim() })
        {
            if (secret.Length > 0 && text.Contains(secret))
            {
                text = text.Replace(secret, "[redacted]");
            }
        }

        return text;
    }

    /// <summary>The OAuthTokenRefreshRequest as JSON bytes; the caller clears them after sending.</summary>
    private byte[] BuildBody(SecureString refreshToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("grant_type", "refresh_token");
            writer.WriteString("refresh_token", ApiCredential.Reveal(refreshToken).Trim());
            writer.WriteString("client_id", _clientId);
            writer.WriteString("client_secret", ApiCredential.Reveal(_clientSecret).Trim());
            writer.WriteEndObject();
        }

        var bytes = buffer.ToArray();
        Array.Clear(buffer.GetBuffer(), 0, (int)buffer.Length);
        return bytes;
    }

    /// <summary>The OAuthTokenResponse, or null when it has no access token; never throws.</summary>
    private OAuthTokens? ReadTokens(string body) =>
        JsonReading.TryRead(body, root => root.ValueKind == JsonValueKind.Object ? ReadTokens(root) : null, out var tokens) ? tokens : null;

    private OAuthTokens? ReadTokens(JsonElement root)
    {
        if (JsonReading.String(root, "access_token") is not { Length: > 0 } access)
        {
            return null;
        }

        var refresh = JsonReading.String(root, "refresh_token") is { Length: > 0 } text ? ApiCredential.ToSecureString(text) : null;
        return new OAuthTokens(ApiCredential.ToSecureString(access), refresh, ReadLifetime(root));
    }

    private TimeSpan? ReadLifetime(JsonElement root)
    {
        if (!root.TryGetProperty("expires_in", out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds <= 0)
        {
            return null;
        }

        var lifetime = seconds >= SmallestUnixTime
            ? DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253_402_300_799)) - _clock.UtcNow
            : TimeSpan.FromSeconds(seconds);

        // An expiry already past says nothing usable (a skewed clock): rely on the API's 401 instead of refreshing per call.
        return lifetime > TimeSpan.Zero ? lifetime : null;
    }

    private static ApiFailure Failed(string what) =>
        new(ApiFailureKind.Unauthorized, null, RefreshFailedName, $"The OAuth access token could not be refreshed: {what}.");

    public void Dispose()
    {
        _http.Dispose();
        _clientSecret.Dispose();
    }
}
