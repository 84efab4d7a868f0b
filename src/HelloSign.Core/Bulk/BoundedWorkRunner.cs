using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.Bulk;

/// <summary>
/// Runs up to N tasks at once for a caller that must stay on one thread (PowerShell's pipeline thread, where all
/// output, errors, progress and prompts have to happen). Tasks post messages and results into one queue;
/// the caller's thread drains it whenever it starts work, waits for a free slot, or finishes.
/// Input is never buffered beyond the N tasks in flight, so memory stays flat however many items stream through.
/// Not disposable on purpose: tasks abandoned by Ctrl+C may still report into the queue after the caller has gone.
/// </summary>
public sealed class BoundedWorkRunner<TResult>
{
    private readonly BlockingCollection<WorkEvent<TResult>> _events = new();
    private readonly CancellationToken _cancellationToken;
    private int _inFlight;

    public BoundedWorkRunner(int maximumInFlight, CancellationToken cancellationToken)
    {
        if (maximumInFlight < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maximumInFlight), "At least one task must be allowed in flight.");
        }

        MaximumInFlight = maximumInFlight;
        _cancellationToken = cancellationToken;
    }

    public int MaximumInFlight { get; }

    /// <summary>Tasks started and not yet reported back. Read on the caller's thread only.</summary>
    public int InFlight => _inFlight;

    /// <summary>Thread-safe: lets a task send a message to the caller's thread.</summary>
    public void Post(WorkMessageLevel level, string message) => _events.Add(WorkEvent<TResult>.ForMessage(level, message));

    /// <summary>
    /// Starts <paramref name="work"/> once a slot is free. While waiting for one it yields whatever the running
    /// tasks report; afterwards it yields what is already there without waiting.
    /// </summary>
    public IEnumerable<WorkEvent<TResult>> Start(Func<CancellationToken, Task<TResult>> work)
    {
        while (_inFlight >= MaximumInFlight)
        {
            yield return Take();
        }

        _inFlight++;
        _ = RunAsync(work);

        foreach (var ready in Drain())
        {
            yield return ready;
        }
    }

    /// <summary>Yields what the tasks have reported so far, without waiting.</summary>
    public IEnumerable<WorkEvent<TResult>> Drain()
    {
        while (_events.TryTake(out var ready))
        {
            yield return Account(ready);
        }
    }

    /// <summary>Waits for every started task, yielding what they report until the last has finished.</summary>
    public IEnumerable<WorkEvent<TResult>> Finish()
    {
        while (_inFlight > 0)
        {
            yield return Take();
        }

        foreach (var ready in Drain())
        {
            yield return ready;
        }
    }

    private WorkEvent<TResult> Take() => Account(_events.Take(_cancellationToken));

    private WorkEvent<TResult> Account(WorkEvent<TResult> workEvent)
    {
        if (workEvent.IsResult || workEvent.Exception is not null)
        {
            _inFlight--;
        }

        return workEvent;
    }

    private async Task RunAsync(Func<CancellationToken, Task<TResult>> work)
    {
        WorkEvent<TResult> outcome;
        try
        {
            // Off the caller's thread from the first line, so a slow synchronous start can't hold it up.
            await Task.Yield();
            outcome = WorkEvent<TResult>.ForResult(await work(_cancellationToken).ConfigureAwait(false));
        }
        catch (Exception exception)
        {
            outcome = WorkEvent<TResult>.ForException(exception);
        }

        _events.Add(outcome);
    }
}
