using System;
using HelloSign.Core;
using HelloSign.Core.Auth;

namespace HelloSign;

/// <summary>
/// A checked connection to one HelloSign account: its HTTP client (reused for every call) and its rate-limit
/// budget (shared by every runspace that uses this object). Commands lease it for their run, so closing it never
/// breaks one that is running. Holds no readable secret; ToString shows none.
/// </summary>
public sealed class HelloSignConnection
{
    private readonly ApiLeases _leases;
    private readonly HelloSignApi _api;

    public HelloSignConnection(HelloSignApi api, Account account)
    {
        _api = api ?? throw new ArgumentNullException(nameof(api));
        _leases = new ApiLeases(api);
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
    public int? RateLimit => _api.Pacer.LastLimit;

    public bool IsOpen => _leases.IsOpen;

    public Account Account { get; }

    /// <summary>
    /// The user holds this object (from -PassThru or Get-HelloSignConnection), perhaps for -Connection elsewhere:
    /// a reconnect then leaves it open instead of closing it.
    /// </summary>
    internal bool HandedOut { get; set; }

    /// <summary>A hold on the API for one command's run, or null once the connection is closed.</summary>
    internal ApiLease? TryLease() => _leases.TryAcquire();

    /// <summary>
    /// Refuses new commands at once; the HTTP client and the credential are disposed when the last running
    /// command on this connection ends.
    /// </summary>
    public void Close() => _leases.Close();

    public override string ToString() =>
        $"{EmailAddress ?? AccountId} ({AccountId}) at {ApiBaseUri} with {(AuthenticationMethod == AuthenticationMethod.ApiKey ? "an API key" : "an access token")}";

    /// <summary>
    /// A copy of the current OAuth refresh token (it changes with every renewal), for a runbook that stores it for its
    /// next run; null for a connection without one. A method, so that no view or string form ever shows it.
    /// Take it before Disconnect-HelloSign: a closed connection has none to give.
    /// </summary>
    public System.Security.SecureString? GetRefreshToken()
    {
        using var lease = TryLease() ?? throw new InvalidOperationException("The connection is closed; take the refresh token before Disconnect-HelloSign.");
        return lease.Api.Http.Credential.OAuth?.CopyRefreshToken();
    }
}
