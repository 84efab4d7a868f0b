using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.Tests.TestSupport;

/// <summary>A clock whose delays return at once and move time forward, recording each wait.</summary>
internal sealed class FakeClock : Clock
{
    private readonly object _gate = new();
    private DateTimeOffset _now;

    public FakeClock(DateTimeOffset start) => _now = start;

    public List<TimeSpan> Delays { get; } = new();

    public override DateTimeOffset UtcNow
    {
        get { lock (_gate) { return _now; } }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) { _now += by; }
    }

    public override Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Delays.Add(delay);
            _now += delay;
        }

        return Task.CompletedTask;
    }
}
