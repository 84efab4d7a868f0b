using System;
using HelloSign.Core.Errors;

namespace HelloSign.Core.Bulk;

public enum BulkEventKind
{
    /// <summary>An id's final state is known (success, failure, not sent); the ledger and journal already hold it.</summary>
    Outcome,
    /// <summary>A line from background work (verbose trace, or a warning about the run).</summary>
    Message,
    /// <summary>Nothing happened for a while: a chance to refresh progress with the live counts.</summary>
    Heartbeat,
    /// <summary>Completion waiting: paused between rounds until <see cref="BulkEvent{T}.Until"/>.</summary>
    Waiting,
}

/// <summary>Something a run has for the caller's thread, delivered there in order.</summary>
public sealed class BulkEvent<T>
{
    private BulkEvent(BulkEventKind kind)
    {
        Kind = kind;
    }

    public BulkEventKind Kind { get; private set; }

    public string Id { get; private set; } = string.Empty;

    /// <summary>The id's final state, for an outcome.</summary>
    public IdState State { get; private set; }

    /// <summary>What the API said, when it was asked (null for NotSent, or a crash).</summary>
    public ApiResult<T>? Result { get; private set; }

    public ApiFailure? Failure => Result?.Failure;

    /// <summary>A bug or unforeseen failure in the work for this id; it ends the run.</summary>
    public Exception? Exception { get; private set; }

    /// <summary>
    /// This failure ends the whole run (<see cref="RunEndingPolicy"/>, or a crash): nothing more is sent, and the
    /// caller should end the command with this error.
    /// </summary>
    public bool EndsRun { get; private set; }

    public WorkMessageLevel Level { get; private set; }

    /// <summary>The message's text; for an outcome, why it has this state when that is not plain (e.g. why still pending).</summary>
    public string? Message { get; private set; }

    /// <summary>For <see cref="BulkEventKind.Waiting"/>: when the next round starts.</summary>
    public DateTimeOffset Until { get; private set; }

    /// <summary>For <see cref="BulkEventKind.Waiting"/>: how many ids are still waited on.</summary>
    public int Remaining { get; private set; }

    public static BulkEvent<T> ForOutcome(string id, IdState state, ApiResult<T>? result, bool endsRun, string? why = null, Exception? exception = null) =>
        new(BulkEventKind.Outcome) { Id = id, State = state, Result = result, EndsRun = endsRun, Message = why, Exception = exception };

    public static BulkEvent<T> ForMessage(WorkMessageLevel level, string message) => new(BulkEventKind.Message) { Level = level, Message = message };

    public static BulkEvent<T> ForHeartbeat() => new(BulkEventKind.Heartbeat);

    public static BulkEvent<T> ForWaiting(DateTimeOffset until, int remaining) => new(BulkEventKind.Waiting) { Until = until, Remaining = remaining };
}
