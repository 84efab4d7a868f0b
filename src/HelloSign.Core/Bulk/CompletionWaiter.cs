using System;
using System.Collections.Generic;
using HelloSign.Core.Errors;
using HelloSign.Core.Journal;
using HelloSign.Core.Models;
using HelloSign.Core.RateLimiting;

namespace HelloSign.Core.Bulk;

/// <summary>
/// Confirms asynchronous cancels (-Wait): polls every id still waited on, round after round with growing pauses,
/// until each answers 410 (Canceled) or the deadline passes (Pending). Each round is a <see cref="BulkRun{T}"/>,
/// so the poll shares the run's concurrency, pacing, run-ending policy and journal.
/// </summary>
public sealed class CompletionWaiter
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    private readonly BulkRunSettings _settings;
    private readonly TimeSpan _timeout;
    private readonly Random _jitter;

    public CompletionWaiter(BulkRunSettings settings, TimeSpan timeout, Random? jitter = null)
    {
        _settings = settings;
        _timeout = timeout;
        _jitter = jitter ?? new Random();
    }

    /// <summary>A read of a request being canceled: gone is done, readable is still queued, a failed read leaves it pending.</summary>
    public static IdState StateAfterPoll(ApiResult<SignatureRequest> polled) => polled.Failure switch
    {
        null => IdState.Queued,
        { Kind: ApiFailureKind.Gone } => IdState.Canceled,
        { } failure when RunEndingPolicy.EndsRun(failure) => IdState.Queued,
        _ => IdState.Pending,
    };

    /// <summary>
    /// Waits for <paramref name="ids"/> (in the ledger as Queued, or Gone after an attempt that may have been ours).
    /// Delivers an outcome for each (Canceled or Pending with the reason; after a run-ending failure, which it
    /// delivers too, the rest as they are, unconfirmed), and Waiting events between rounds.
    /// </summary>
    public void Wait(IReadOnlyCollection<string> ids, RunLedger ledger, BulkRun<SignatureRequest>.Sender poll, Action<BulkEvent<SignatureRequest>> deliver, OutcomeJournal? journal = null)
    {
        var clock = _settings.Clock;
        var deadline = clock.UtcNow + _timeout;
        var waiting = new List<string>(ids);
        var ended = false;
        var checkedAtDeadline = false;
        for (var round = 1; waiting.Count > 0 && !ended && !checkedAtDeadline; round++)
        {
            var left = deadline - clock.UtcNow;
            if (left < TimeSpan.Zero)
            {
                break;
            }

            var pause = RateLimitPacer.Backoff(round, FirstPause, LongestPause, _jitter);
            var last = pause >= left;
            checkedAtDeadline = last;
            Pause(clock.UtcNow + (last ? left : pause), waiting.Count, deliver);

            var stillWaiting = new List<string>();
            using (var run = new BulkRun<SignatureRequest>(_settings, ledger, StateAfterPoll, poll, Forward, journal))
            {
                foreach (var id in waiting)
                {
                    // A round over thousands of ids takes long: one overtaken by the deadline stops there, the
                    // rest staying waited on; the last round, which starts at the deadline, checks every id once.
                    if (run.HasEnded || (!last && clock.UtcNow >= deadline))
                    {
                        stillWaiting.Add(id);
                        continue;
                    }

                    run.Submit(id);
                }

                run.Complete();
            }

            waiting = stillWaiting;

            void Forward(BulkEvent<SignatureRequest> polled)
            {
                if (polled.Kind != BulkEventKind.Outcome)
                {
                    deliver(polled);
                }
                else if (polled.EndsRun)
                {
                    ended = true;
                    deliver(polled);
                }
                else if (polled.State == IdState.Queued)
                {
                    stillWaiting.Add(polled.Id);
                }
                else if (polled.State == IdState.Pending)
                {
                    deliver(BulkEvent<SignatureRequest>.ForOutcome(polled.Id, IdState.Pending, polled.Result, endsRun: false,
                        why: $"the cancel was queued, but checking on it failed ({polled.Failure}); check again with Get-HelloSignSignatureRequest."));
                }
                else
                {
                    deliver(polled);
                }
            }
        }

        foreach (var id in waiting)
        {
            if (ended)
            {
                // Queued it is, and stays: the run ended before the cancel could be confirmed.
                deliver(BulkEvent<SignatureRequest>.ForOutcome(id, ledger.StateOf(id), null, endsRun: false, why: "queued, but not confirmed: the run ended first."));
                continue;
            }

            ledger.Set(id, IdState.Pending);
            deliver(BulkEvent<SignatureRequest>.ForOutcome(id, IdState.Pending, null, endsRun: false,
                why: $"still pending after {_timeout.TotalSeconds:0} s: check again with Get-HelloSignSignatureRequest, or retry the cancel."));
        }
    }

    /// <summary>Sleeps until <paramref name="until"/>, a heartbeat at a time, so progress stays live and Ctrl+C is heard.</summary>
    private void Pause(DateTimeOffset until, int remaining, Action<BulkEvent<SignatureRequest>> deliver)
    {
        var clock = _settings.Clock;
        for (var left = until - clock.UtcNow; left > TimeSpan.Zero; left = until - clock.UtcNow)
        {
            deliver(BulkEvent<SignatureRequest>.ForWaiting(until, remaining));
            clock.Delay(left < _settings.HeartbeatInterval ? left : _settings.HeartbeatInterval, _settings.Interrupt).GetAwaiter().GetResult();
        }
    }
}
