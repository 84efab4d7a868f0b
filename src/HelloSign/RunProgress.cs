using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using HelloSign.Core.Bulk;

namespace HelloSign;

/// <summary>
/// The progress bar of a run, drawn from its ledger: done, failed and in flight, the rate, and percent and time
/// remaining when the total is known. Refreshed on every event and every heartbeat of the engine (at most four
/// times a second), so it stays live while the run waits.
/// </summary>
public sealed class RunProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Cmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private readonly RunLedger _ledger;
    private readonly int? _total;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private TimeSpan? _last;

    public RunProgress(Cmdlet cmdlet, int activityId, string activity, RunLedger ledger, int? total)
    {
        _cmdlet = cmdlet;
        _activityId = activityId;
        _activity = activity;
        _ledger = ledger;
        _total = total;
    }

    /// <summary>What the run is waiting for right now, if anything (e.g. "the rate limit until 14:02:00 (42 s)").</summary>
    public Func<string?>? WaitingFor { get; set; }

    public void Report(int inFlight, string? status = null)
    {
        var now = _elapsed.Elapsed;
        if (_last is { } last && now - last < Interval)
        {
            return;
        }

        _last = now;
        var done = _ledger.Answered;
        var rate = now.TotalSeconds > 0 ? done / now.TotalSeconds : 0;
        var text = status ?? Describe(done, rate, inFlight);
        var record = new ProgressRecord(_activityId, _activity, text);
        if (_total is > 0 && status is null)
        {
            // Everything admitted and not waiting for an answer is settled: skipped, previewed, invalid...
            var settled = Math.Min(_ledger.Received - inFlight, _total.Value);
            record.PercentComplete = Math.Min(100, Math.Max(0, (int)(100.0 * settled / _total.Value)));
            if (rate > 0)
            {
                record.SecondsRemaining = (int)Math.Ceiling((_total.Value - settled) / rate);
            }
        }

        _cmdlet.WriteProgress(record);
    }

    public void Complete() =>
        _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });

    private string Describe(int done, double rate, int inFlight)
    {
        var text = (_total is { } total ? $"{done} of {total} done" : $"{done} done") +
            string.Format(CultureInfo.InvariantCulture, ", {0:0.0}/s", rate);
        var failed = _ledger.Count(IdState.Failed);
        if (failed > 0)
        {
            text += $", {failed} failed";
        }

        if (inFlight > 0)
        {
            text += $", {inFlight} in flight";
        }

        if (WaitingFor?.Invoke() is { } waiting)
        {
            text += $"; waiting for {waiting}";
        }

        return text;
    }
}
