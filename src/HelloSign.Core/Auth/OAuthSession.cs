using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Errors;

namespace HelloSign.Core.Auth;

/// <summary>
/// The OAuth side of a connection: the current access token and when to renew it, the refresh token, and at most
/// one refresh at a time however many requests, commands and runspaces share the connection; every request that
/// waited then goes on with the new token.
/// </summary>
public sealed class OAuthSession : IDisposable
{
    private static readonly Task<ApiFailure?> NoFailure = Task.FromResult<ApiFailure?>(null);

    // Renew this long before the token runs out (at most a tenth of its lifetime), so a request never races the expiry.
    private static readonly TimeSpan RenewalMargin = TimeSpan.FromSeconds(60);

    private readonly object _gate = new();
    private readonly OAuthTokenEndpoint _endpoint;
    private readonly Clock _clock;
    private readonly CancellationTokenSource _closing = new();
    private SecureString? _accessToken;
    private SecureString _refreshToken;
    private DateTimeOffset? _renewAt;
    private long _version;
    private Task<ApiFailure?>? _refreshing;
    private ApiFailure? _refused;
    private bool _disposed;

    /// <param name="accessToken">The access token to start with; null to get one with the first request.</param>
    public OAuthSession(OAuthTokenEndpoint endpoint, SecureString refreshToken, SecureString? accessToken = null, Clock? clock = null)
    {
        if (refreshToken is null || refreshToken.Length == 0)
        {
            throw new ArgumentException("The refresh token is empty.", nameof(refreshToken));
        }

        if (accessToken is { Length: 0 })
        {
            throw new ArgumentException("The access token is empty.", nameof(accessToken));
        }

        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _clock = clock ?? Clock.System;
        _refreshToken = ReadOnlyCopy(refreshToken);
        _accessToken = accessToken is null ? null : ReadOnlyCopy(accessToken);
    }

    public Uri TokenUri => _endpoint.TokenUri;

    /// <summary>How many refreshes succeeded: a request remembers it, so a 401 can tell whether a newer token exists.</summary>
    public long TokenVersion
    {
        get { lock (_gate) { return _version; } }
    }

    /// <summary>When the access token will be renewed ahead of its expiry; null while its lifetime is unknown.</summary>
    public DateTimeOffset? RenewAt
    {
        get { lock (_gate) { return _renewAt; } }
    }

    /// <summary>A copy of the current refresh token, for a caller that stores it for the next run (and disposes it).</summary>
    public SecureString CopyRefreshToken()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _refreshToken.Copy();
        }
    }

    /// <summary>The current access token in plain text, for the Authorization header only; empty before the first refresh.</summary>
    internal string RevealAccessToken()
    {
        lock (_gate)
        {
            return _accessToken is null || _disposed ? string.Empty : ApiCredential.Reveal(_accessToken).Trim();
        }
    }

    /// <summary>
    /// Renews the access token first if it is missing or about to expire. Returns the refresh's failure, or null
    /// when the current token can be used.
    /// </summary>
    public Task<ApiFailure?> EnsureFreshAsync(Action<string>? trace, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_refused is { } refused)
            {
                return Task.FromResult<ApiFailure?>(refused);
            }

            if (_accessToken is not null && (_renewAt is not { } renewAt || _clock.UtcNow < renewAt))
            {
                return NoFailure;
            }
        }

        return JoinRefreshAsync(_accessToken is null ? "Getting an OAuth access token" : "The OAuth access token is about to expire: refreshing it", trace, cancellationToken);
    }

    /// <summary>
    /// After a 401 for a request sent with token version <paramref name="rejectedVersion"/>: refreshes, unless a newer
    /// token arrived meanwhile. Null means "repeat the request with the current token".
    /// </summary>
    public Task<ApiFailure?> RefreshAfterRejectionAsync(long rejectedVersion, Action<string>? trace, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_refused is { } refused)
            {
                return Task.FromResult<ApiFailure?>(refused);
            }

            if (_version != rejectedVersion)
            {
                return NoFailure;
            }
        }

        return JoinRefreshAsync("The API refused the OAuth access token (HTTP 401): refreshing it and repeating the request once", trace, cancellationToken);
    }

    private async Task<ApiFailure?> JoinRefreshAsync(string reason, Action<string>? trace, CancellationToken cancellationToken)
    {
        Task<ApiFailure?> refreshing;
        bool started;
        lock (_gate)
        {
            if (_disposed)
            {
                return Closed();
            }

            started = _refreshing is null;
            // The refresh belongs to the connection, not to the request that noticed: Ctrl+C in one command must not
            // abandon a refresh whose answer (with the rotated refresh token) every other user of the connection needs.
            refreshing = _refreshing ??= Task.Run(RefreshAsync);
        }

        trace?.Invoke(started ? $"{reason} at {_endpoint.TokenUri}." : "Waiting for the OAuth token refresh already under way.");
        var failure = await WaitAsync(refreshing, cancellationToken).ConfigureAwait(false);
        trace?.Invoke(failure is null ? $"OAuth access token renewed{(RenewAt is { } at ? $"; next renewal at {at.UtcDateTime:HH:mm:ss} UTC" : string.Empty)}." : failure.Message);
        return failure;
    }

    private async Task<ApiFailure?> RefreshAsync()
    {
        SecureString refreshToken;
        lock (_gate)
        {
            if (_disposed)
            {
                _refreshing = null;
                return Closed();
            }

            refreshToken = _refreshToken.Copy();
        }

        try
        {
            var (tokens, failure, refused) = await _endpoint.RefreshAsync(refreshToken, _closing.Token).ConfigureAwait(false);
            lock (_gate)
            {
                _refreshing = null;
                if (tokens is null || _disposed)
                {
                    tokens?.Dispose();
                    // A refused refresh token stays refused: nobody sends it again, so no loop and no error per request.
                    _refused = refused ? failure : null;
                    return failure ?? Closed();
                }

                _accessToken = Replace(_accessToken, tokens.AccessToken);
                if (tokens.RefreshToken is { } rotated)
                {
                    // Assume rotation: the old refresh token may be dead from now on.
                    _refreshToken = Replace(_refreshToken, rotated);
                }

                _renewAt = tokens.Lifetime is { } lifetime ? _clock.UtcNow + lifetime - Margin(lifetime) : null;
                _version++;
                return null;
            }
        }
        catch (Exception) when (Volatile.Read(ref _disposed))
        {
            // Closing the connection aborts the request, which the HTTP stack reports in several ways.
            lock (_gate)
            {
                _refreshing = null;
            }

            return Closed();
        }
        finally
        {
            refreshToken.Dispose();
        }
    }

    private static TimeSpan Margin(TimeSpan lifetime) =>
        TimeSpan.FromTicks(Math.Min(RenewalMargin.Ticks, lifetime.Ticks / 10));

    private static SecureString Replace(SecureString? current, SecureString next)
    {
        current?.Dispose();
        next.MakeReadOnly();
        return next;
    }

    private static SecureString ReadOnlyCopy(SecureString secret)
    {
        var copy = secret.Copy();
        copy.MakeReadOnly();
        return copy;
    }

    private static ApiFailure Closed() =>
        new(ApiFailureKind.Unauthorized, null, OAuthTokenEndpoint.RefreshFailedName, "The OAuth access token could not be refreshed: the connection was closed.");

    /// <summary>Waits for the shared refresh, or stops waiting (only this caller) when its token is cancelled.</summary>
    private static async Task<ApiFailure?> WaitAsync(Task<ApiFailure?> refreshing, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return await refreshing.ConfigureAwait(false);
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(refreshing, cancelled.Task).ConfigureAwait(false) != refreshing)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return await refreshing.ConfigureAwait(false);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(OAuthSession), "This connection was closed; run Connect-HelloSign again.");
        }
    }

    /// <summary>Ends a refresh in flight and forgets every secret.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _accessToken?.Dispose();
            _refreshToken.Dispose();
        }

        _closing.Cancel();
        _endpoint.Dispose();
        _closing.Dispose();
    }
}
