using System;
using System.Collections.Concurrent;
using System.Globalization;
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
    private readonly ConcurrentQueue<string> _pacerWarnings = new();
    private ApiCallOptions? _callOptions;
    private ApiLease? _lease;
    private IDisposable? _pacerWatch;

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
        // The pacer warns from any thread (an implausible reset time, once per command); written here, on ours.
        _pacerWatch = Api.Pacer.WatchWarnings(_pacerWarnings.Enqueue);
    }

    /// <summary>Writes the warnings the connection's pacer had for this command since the last call.</summary>
    protected void WritePacerWarnings()
    {
        while (_pacerWarnings.TryDequeue(out var warning))
        {
            WriteWarning(warning);
        }
    }

    /// <summary>What the rate limit is holding this command for, for the progress bar, when it is a second or more.</summary>
    protected string? RateLimitWait()
    {
        if (Api.Pacer.CurrentWait is not { } wait)
        {
            return null;
        }

        var seconds = (wait.Until - DateTimeOffset.UtcNow).TotalSeconds;
        return seconds < 1
            ? null
            : string.Format(CultureInfo.InvariantCulture, "the rate limit until {0:HH:mm:ss} ({1:0} s)", wait.Until.ToLocalTime(), Math.Ceiling(seconds));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pacerWatch?.Dispose();
            _pacerWatch = null;
            _lease?.Dispose();
            _lease = null;
        }

        base.Dispose(disposing);
    }
}
