using System;
using System.Threading;

namespace HelloSign.Core.Retry;

/// <summary>How hard one call tries.</summary>
public sealed class ApiCallOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultMaximumRetries = 5;

    /// <summary>Retries after transient faults (5xx, 409, timeouts, dropped connections); 429s don't count.</summary>
    public int MaximumRetries { get; set; } = DefaultMaximumRetries;

    /// <summary>How long one attempt may take, body included.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>First pause after a transient fault; it doubles per retry, with jitter, up to <see cref="MaximumBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaximumBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Cancelled when the run this call belongs to is ending: the call then stops waiting for its turn or for a
    /// retry, but a request already on the wire is left to finish (only the call's own token aborts that).
    /// </summary>
    public CancellationToken StopBeforeNextAttempt { get; private set; }

    /// <summary>A copy of these options whose waits end when <paramref name="stop"/> is cancelled.</summary>
    public ApiCallOptions StoppingBeforeNextAttempt(CancellationToken stop) => new()
    {
        MaximumRetries = MaximumRetries,
        Timeout = Timeout,
        FirstBackoff = FirstBackoff,
        MaximumBackoff = MaximumBackoff,
        StopBeforeNextAttempt = stop,
    };
}
