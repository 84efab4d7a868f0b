using System;
using System.Diagnostics;
using System.Globalization;

namespace HelloSign.Core.Bulk;

/// <summary>The counts of one bulk run. Every id in lands in exactly one of the outcome counts.</summary>
public sealed class RunSummary
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    public RunSummary(string activity)
    {
        Activity = activity;
    }

    /// <summary>What the run did, e.g. "Cancel signature requests".</summary>
    public string Activity { get; }

    /// <summary>Every value received, blank lines included: the sum of all the counts below.</summary>
    public int Received { get; set; }

    public int Queued { get; set; }
    public int Canceled { get; set; }
    public int Pending { get; set; }
    public int Removed { get; set; }
    public int Gone { get; set; }
    public int Failed { get; set; }
    public int Invalid { get; set; }
    public int Duplicates { get; set; }
    public int Blank { get; set; }
    public int NotConfirmed { get; set; }
    public int Previewed { get; set; }
    public int Skipped { get; set; }
    public int Retries { get; set; }
    public TimeSpan RateLimitWait { get; set; }

    public TimeSpan Elapsed => _elapsed.Elapsed;

    /// <summary>Ids that got an answer from the API (or a final error), for rate and progress.</summary>
    public int Done => Queued + Canceled + Pending + Removed + Gone + Failed;

    public double RatePerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    public override string ToString()
    {
        var parts = new[]
        {
            Part("queued", Queued), Part("canceled", Canceled), Part("still pending", Pending), Part("removed", Removed),
            Part("gone", Gone), Part("failed", Failed), Part("invalid", Invalid), Part("duplicates", Duplicates),
            Part("blank", Blank), Part("not confirmed", NotConfirmed), Part("previewed (-WhatIf)", Previewed), Part("skipped (journal)", Skipped),
        };
        var counts = string.Join(", ", Array.FindAll(parts, p => p.Length > 0));
        return string.Format(
            CultureInfo.InvariantCulture,
            "{0}: {6} received: {1}; {2} retries; {3:0.0} s waiting on the rate limit; {4:0.0} s elapsed ({5:0.0}/s).",
            Activity,
            counts.Length > 0 ? counts : "nothing to do",
            Retries,
            RateLimitWait.TotalSeconds,
            Elapsed.TotalSeconds,
            RatePerSecond,
            Received);
    }

    private static string Part(string name, int count) => count > 0 ? $"{count} {name}" : string.Empty;
}
