using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.Tests.RateLimiting;

/// <summary>A clock whose delays stay pending until the test moves time past them, for tests of what happens mid-wait.</summary>
internal sealed class ManualClock : Clock
{
    private readonly object _gate = new();
    private readonly List<(DateTimeOffset Due, TaskCompletionSource<bool> Done)> _pending = new();
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset start) => _now = start;

    public override DateTimeOffset UtcNow
    {
        get { lock (_gate) { return _now; } }
    }

    /// <summary>Delays started and not yet over or canceled.</summary>
    public int PendingDelays
    {
        get { lock (_gate) { return _pending.FindAll(p => !p.Done.Task.IsCompleted).Count; } }
    }

    public override Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        lock (_gate)
        {
            _pending.Add((_now + delay, done));
        }

        return done.Task;
    }

    public void Advance(TimeSpan by)
    {
        List<TaskCompletionSource<bool>> due;
        lock (_gate)
        {
            _now += by;
            var now = _now;
            due = _pending.FindAll(p => p.Due <= now).ConvertAll(p => p.Done);
            _pending.RemoveAll(p => p.Due <= now);
        }

        due.ForEach(done => done.TrySetResult(true));
    }

}
