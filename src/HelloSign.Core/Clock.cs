using System;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core;

/// <summary>Time and waiting, behind one seam so that pacing and backoff can be tested without sleeping.</summary>
public class Clock
{
    public static readonly Clock System = new();

    public virtual DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    public virtual Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
}
