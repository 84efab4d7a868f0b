using System;

namespace HelloSign.Core.Journal;

/// <summary>What a journal line says became of an id. Written by name, so the file stays readable.</summary>
public enum JournalOutcome
{
    Queued,
    Gone,
    Canceled,
    Removed,
    Failed,
}

/// <summary>One line of a journal: an id's outcome, as JSON on a line of its own.</summary>
public sealed class JournalEntry
{
    public JournalEntry(string id, JournalOutcome outcome, string? error, DateTime time, string accountId, string action)
    {
        Id = id;
        Outcome = outcome;
        Error = error;
        Time = time;
        AccountId = accountId;
        Action = action;
    }

    public string Id { get; }

    public JournalOutcome Outcome { get; }

    /// <summary>The ErrorId of a failure.</summary>
    public string? Error { get; }

    public DateTime Time { get; }
    public string AccountId { get; }

    /// <summary>Cancel or Remove: a journal serves one kind of run.</summary>
    public string Action { get; }

    /// <summary>An outcome that needs no further request: the id is skipped on a re-run. Only failures are retried.</summary>
    public bool IsFinal => Outcome != JournalOutcome.Failed;
}
