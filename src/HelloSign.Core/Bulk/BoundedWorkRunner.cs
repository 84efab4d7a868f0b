using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.Bulk;

/// <summary>
/// Runs up to N tasks at once for a caller that must stay on one thread (PowerShell's pipeline thread, where all
/// output, errors, progress and prompts have to happen). Tasks post messages and results into one queue that the
/// caller's thread takes from. The building block of <see cref="BulkRun{T}"/> and of single background calls;
/// commands use those, not this.
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

    /// <summary>Tasks started whose result (or exception) the caller has not taken yet. Caller's thread only.</summary>
    public int InFlight => _inFlight;

    public bool HasRoom => _inFlight < MaximumInFlight;

    /// <summary>Thread-safe: lets a task send a message to the caller's thread.</summary>
    public void Post(WorkMessageLevel level, string message) => _events.Add(WorkEvent<TResult>.ForMessage(level, message));

    /// <summary>Starts <paramref name="work"/> off the caller's thread; only when <see cref="HasRoom"/>.</summary>
    public void Start(Func<CancellationToken, Task<TResult>> work)
    {
        if (!HasRoom)
        {
            throw new InvalidOperationException($"{MaximumInFlight} tasks are already in flight: take a result first.");
        }

        _inFlight++;
        _ = RunAsync(work);
    }

    /// <summary>
    /// Takes the next message or result, waiting up to <paramref name="wait"/> (zero: not at all;
    /// <see cref="Timeout.InfiniteTimeSpan"/>: until there is one).
    /// Throws <see cref="OperationCanceledException"/> when the runner's token is cancelled while waiting.
    /// </summary>
    public bool TryTake(TimeSpan wait, out WorkEvent<TResult> workEvent)
    {
        var milliseconds = wait == Timeout.InfiniteTimeSpan ? Timeout.Infinite : wait <= TimeSpan.Zero ? 0 : (int)Math.Min(wait.TotalMilliseconds, int.MaxValue);
        return Counted(_events.TryTake(out workEvent!, milliseconds, _cancellationToken), workEvent);
    }

    /// <summary>Takes what is already there, without waiting and whatever the token says: for the clean-up after a stop.</summary>
    public bool TryTakeReady(out WorkEvent<TResult> workEvent) => Counted(_events.TryTake(out workEvent!), workEvent);

    /// <summary>A result or exception taken ends its task's place in flight.</summary>
    private bool Counted(bool taken, WorkEvent<TResult>? workEvent)
    {
        if (taken && (workEvent!.IsResult || workEvent.Exception is not null))
        {
            _inFlight--;
        }

        return taken;
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
