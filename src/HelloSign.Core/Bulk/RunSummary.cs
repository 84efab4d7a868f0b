using System;
using System.Globalization;

namespace HelloSign.Core.Bulk;

/// <summary>
/// The counts of one bulk run, read from its <see cref="RunLedger"/> when the run ends: every value received
/// lands in exactly one of them.
/// </summary>
public sealed class RunSummary
{
    public RunSummary(string activity, RunLedger ledger, int retries, TimeSpan rateLimitWait, TimeSpan elapsed)
    {
        Activity = activity;
        Received = ledger.Received;
        Blank = ledger.Blank;
        Invalid = ledger.Invalid;
        Duplicates = ledger.Duplicates;
        Queued = ledger.Count(IdState.Queued);
        Canceled = ledger.Count(IdState.Canceled);
        Pending = ledger.Count(IdState.Pending);
        Removed = ledger.Count(IdState.Removed);
        Gone = ledger.Count(IdState.Gone);
        Read = ledger.Count(IdState.Read);
        Failed = ledger.Count(IdState.Failed);
        Skipped = ledger.Count(IdState.Skipped);
        Previewed = ledger.Count(IdState.Previewed);
        NotConfirmed = ledger.Count(IdState.NotConfirmed);
        NotSent = ledger.Count(IdState.NotSent);
        Abandoned = ledger.Count(IdState.Abandoned) + ledger.Count(IdState.InFlight) + ledger.Count(IdState.Admitted);
        Done = ledger.Answered;
        Retries = retries;
        RateLimitWait = rateLimitWait;
        Elapsed = elapsed;
    }

    /// <summary>What the run did, e.g. "Canceling signature requests".</summary>
    public string Activity { get; }

    /// <summary>Every value received, blank lines included: the sum of all the counts below.</summary>
    public int Received { get; }

    public int Queued { get; }
    public int Canceled { get; }
    public int Pending { get; }
    public int Removed { get; }
    public int Gone { get; }
    public int Read { get; }
    public int Failed { get; }
    public int Invalid { get; }
    public int Duplicates { get; }
    public int Blank { get; }
    public int NotConfirmed { get; }
    public int Previewed { get; }
    public int Skipped { get; }

    /// <summary>Not sent because a failure that every later id would share had ended the run.</summary>
    public int NotSent { get; }

    /// <summary>Stopped on the way (Ctrl+C or a terminating error): no answer is known.</summary>
    public int Abandoned { get; }

    public int Retries { get; }
    public TimeSpan RateLimitWait { get; }
    public TimeSpan Elapsed { get; }

    /// <summary>Ids that got an answer from the API (or a final error).</summary>
    public int Done { get; }

    public double RatePerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// Something a person should hear about without asking: skips, failures, warnings (gone, repeats), invalid
    /// values, waits or retries. A run where every id simply went through is quiet.
    /// </summary>
    public bool IsNoteworthy =>
        Skipped + Failed + Gone + Invalid + Duplicates + Pending + NotSent + Abandoned + Retries > 0 || RateLimitWait >= TimeSpan.FromSeconds(1);

    public override string ToString()
    {
        var parts = new[]
        {
            Part(Queued, "queued"), Part(Canceled, "canceled"), Part(Pending, "still pending"), Part(Removed, "removed"),
            Part(Gone, "gone"), Part(Read, "read"), Part(Failed, "failed"), Part(Invalid, "invalid"),
            Part(Duplicates, "duplicate", "duplicates"), Part(Blank, "blank"), Part(NotConfirmed, "not confirmed"),
            Part(Previewed, "previewed (-WhatIf)"), Part(Skipped, "skipped (journal)"), Part(NotSent, "not sent (run ended)"),
            Part(Abandoned, "stopped without an answer"),
        };
        var counts = string.Join(", ", Array.FindAll(parts, p => p.Length > 0));
        var rate = Done > 0 ? string.Format(CultureInfo.InvariantCulture, " ({0:0.0}/s)", RatePerSecond) : string.Empty;
        return string.Format(
            CultureInfo.InvariantCulture,
            "{0}: {1} received: {2}; {3} {4}; {5:0.0} s waiting on the rate limit; {6:0.0} s elapsed{7}.",
            Activity,
            Received,
            counts.Length > 0 ? counts : "nothing to do",
            Retries,
            Retries == 1 ? "retry" : "retries",
            RateLimitWait.TotalSeconds,
            Elapsed.TotalSeconds,
            rate);
    }

    private static string Part(int count, string name, string? plural = null) =>
        count == 0 ? string.Empty : string.Format(CultureInfo.InvariantCulture, "{0} {1}", count, count == 1 || plural is null ? name : plural);
}
