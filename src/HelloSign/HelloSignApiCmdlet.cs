using System;
using System.Management.Automation;
using HelloSign.Core.Retry;

namespace HelloSign;

/// <summary>
/// The cmdlets that call the API through a connection: the connection to use, and how hard each call tries.
/// </summary>
public abstract class HelloSignApiCmdlet : HelloSignCmdlet
{
    private ApiCallOptions? _callOptions;

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

    /// <summary>-Connection, or the runspace's connection; ends the command with "run Connect-HelloSign first" if neither.</summary>
    protected HelloSignConnection ResolveConnection() => RequireConnection(Connection);
}
