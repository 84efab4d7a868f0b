using System;

namespace HelloSign.Core.Bulk;

public enum WorkMessageLevel
{
    Verbose,
    Debug,
    Warning,
}

/// <summary>Something a background task has for the pipeline thread: a message, a result, or an unexpected exception.</summary>
public sealed class WorkEvent<TResult>
{
    private WorkEvent(WorkMessageLevel level, string? message, TResult? result, bool isResult, Exception? exception)
    {
        Level = level;
        Message = message;
        Result = result;
        IsResult = isResult;
        Exception = exception;
    }

    public WorkMessageLevel Level { get; }
    public string? Message { get; }
    public TResult? Result { get; }
    public bool IsResult { get; }

    /// <summary>A bug or an unforeseen failure in a task; the caller decides whether it ends the run.</summary>
    public Exception? Exception { get; }

    public static WorkEvent<TResult> ForMessage(WorkMessageLevel level, string message) => new(level, message, default, false, null);
    public static WorkEvent<TResult> ForResult(TResult result) => new(default, null, result, true, null);
    public static WorkEvent<TResult> ForException(Exception exception) => new(default, null, default, false, exception);
}
