using System;
using HelloSign.Core;
using HelloSign.Core.Auth;

namespace HelloSign;

/// <summary>
/// A checked connection to one HelloSign account: its HTTP client (reused for every call) and its rate-limit
/// budget (shared by every runspace that uses this object). Holds no readable secret; ToString shows none.
/// </summary>
public sealed class HelloSignConnection
{
    private HelloSignApi? _api;

    public HelloSignConnection(HelloSignApi api, Account account)
    {
        _api = api ?? throw new ArgumentNullException(nameof(api));
        Account = account ?? throw new ArgumentNullException(nameof(account));
        ApiBaseUri = api.Http.BaseUri;
        AuthenticationMethod = api.Http.AuthenticationMethod;
        ConnectedAt = DateTime.UtcNow;
    }

    public string AccountId => Account.AccountId;
    public string? EmailAddress => Account.EmailAddress;
    public Uri ApiBaseUri { get; }
    public AuthenticationMethod AuthenticationMethod { get; }

    /// <summary>When Connect-HelloSign checked the credentials (UTC).</summary>
    public DateTime ConnectedAt { get; }

    /// <summary>The requests-per-window limit the API last reported for this account, if any.</summary>
    public int? RateLimit => _api?.Pacer.LastLimit;

    public bool IsOpen => _api is not null;

    public Account Account { get; }

    /// <summary>The API behind this connection; throws once the connection has been closed.</summary>
    internal HelloSignApi Api => _api ?? throw new ObjectDisposedException(nameof(HelloSignConnection), "This connection was closed by Disconnect-HelloSign. Run Connect-HelloSign again.");

    /// <summary>Closes the HTTP client and forgets the credential.</summary>
    public void Close()
    {
        var api = _api;
        _api = null;
        api?.Dispose();
    }

    public override string ToString() =>
        $"{EmailAddress ?? AccountId} ({AccountId}) at {ApiBaseUri} with {(AuthenticationMethod == AuthenticationMethod.ApiKey ? "an API key" : "an access token")}";

    /// <summary>
    /// A copy of the current OAuth refresh token (it changes with every renewal), for a runbook that stores it for its
    /// next run; null for a connection without one. A method, so that no view or string form ever shows it.
    /// </summary>
    public System.Security.SecureString? GetRefreshToken() => Api.Http.Credential.OAuth?.CopyRefreshToken();
}
