using System;
using System.Management.Automation;
using HelloSign.Core;
using HelloSign.Core.Retry;

namespace HelloSign;

/// <summary>
/// The cmdlets that call the API through a connection: the connection to use (leased for the command's run),
/// and how hard each call tries.
/// </summary>
public abstract class HelloSignApiCmdlet : HelloSignCmdlet
{
    private ApiCallOptions? _callOptions;
    private ApiLease? _lease;

    /// <summary>Retries after transient faults (5xx, 409, timeouts, dropped connections); 429s are always waited out.</summary>
    [Parameter]
    [ValidateRange(0, 20)]
    public int MaxRetry { get; set; } = ApiCallOptions.DefaultMaximumRetries;

    /// <summary>How long one request may take, its body included.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = (int)ApiCallOptions.DefaultTimeout.TotalSeconds;

    /// <summary>A connection from Connect-HelloSign -PassThru; by default, this runspace's.</summary>
    [Parameter]
    public HelloSignConnection? Connection { get; set; }

    protected ApiCallOptions CallOptions => _callOptions ??= new ApiCallOptions
    {
        MaximumRetries = MaxRetry,
        Timeout = TimeSpan.FromSeconds(TimeoutSec),
    };

    /// <summary>The connection this command runs on, once <see cref="OpenConnection"/> has leased it.</summary>
    protected HelloSignConnection ActiveConnection { get; private set; } = null!;

    /// <summary>The API of the leased connection: usable until this command ends, whatever Disconnect-HelloSign does meanwhile.</summary>
    protected HelloSignApi Api => _lease!.Api;

    /// <summary>
    /// Leases -Connection (or the runspace's connection) for this command's run; ends the command with
    /// NotConnected or ConnectionClosed when there is none to use.
    /// </summary>
    protected void OpenConnection()
    {
        _lease = LeaseConnection(Connection, out var connection);
        ActiveConnection = connection;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lease?.Dispose();
            _lease = null;
        }

        base.Dispose(disposing);
    }
}
