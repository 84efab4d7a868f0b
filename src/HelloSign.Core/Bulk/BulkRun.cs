using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Errors;
using HelloSign.Core.Journal;
using HelloSign.Core.Retry;

namespace HelloSign.Core.Bulk;

/// <summary>How a run sends: concurrency, how hard each call tries, and what ends it from outside.</summary>
public sealed class BulkRunSettings
{
    public BulkRunSettings(int maximumInFlight, ApiCallOptions callOptions, CancellationToken interrupt)
    {
        MaximumInFlight = maximumInFlight;
        CallOptions = callOptions;
        Interrupt = interrupt;
    }

    public int MaximumInFlight { get; }
    public ApiCallOptions CallOptions { get; }

    /// <summary>Ctrl+C: everything stops at once, requests on the wire included.</summary>
    public CancellationToken Interrupt { get; }

    /// <summary>Whether background work should produce verbose trace lines (they cost to build).</summary>
    public bool Trace { get; set; }

    /// <summary>The longest the caller's thread waits without an event: its chance to refresh progress.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public Clock Clock { get; set; } = Clock.System;
}

/// <summary>A journal line could not be written; the run must stop rather than go on unrecorded.</summary>
public sealed class JournalWriteException : Exception
{
    public JournalWriteException(string id, Exception inner)
        : base($"Could not write the outcome of {id} to the journal: {inner.Message} The run stopped, so that nothing goes unrecorded.", inner)
    {
        Id = id;
    }

    public string Id { get; }
}

/// <summary>
/// Sends one API call per id with bounded concurrency, within the connection's pacing, and gives each id exactly
/// one final state: in the <see cref="RunLedger"/>, in the journal (when there is one), and as an
/// <see cref="BulkEventKind.Outcome"/> event delivered on the caller's thread. Eager: <see cref="Submit"/> returns
/// once the id is on its way, <see cref="Complete"/> once every id has its outcome, delivering events meanwhile.
/// A failure that <see cref="RunEndingPolicy"/> says every later id would share ends the run: requests waiting for
/// their turn stop, later ids are NotSent. <see cref="Dispose"/> (however the command ends) abandons what is left:
/// requests not yet on the wire are cancelled, those on the wire may finish (unless interrupted), and every
/// outcome that arrived is recorded, so a journaled re-run never sends it again.
/// </summary>
public sealed class BulkRun<T> : IDisposable
{
    public delegate Task<ApiResult<T>> Sender(string id, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken);

    private readonly BulkRunSettings _settings;
    private readonly RunLedger _ledger;
    private readonly Func<ApiResult<T>, IdState> _stateOf;
    private readonly Sender _send;
    private readonly Action<BulkEvent<T>> _deliver;
    private readonly OutcomeJournal? _journal;
    private readonly BoundedWorkRunner<Arrival> _runner;
    private readonly CancellationTokenSource _stopSending = new();
    private readonly CancellationTokenSource _abort;
    private readonly ApiCallOptions _callOptions;
    private readonly Action<string>? _trace;
    // The ids sent and not answered yet, with the state each had before (a queued cancel being checked keeps it).
    private readonly Dictionary<string, IdState> _onTheirWay = new(StringComparer.Ordinal);
    private bool _ended;
    private bool _abandoned;
    private bool _journalBroken;

    public BulkRun(BulkRunSettings settings, RunLedger ledger, Func<ApiResult<T>, IdState> stateOf, Sender send, Action<BulkEvent<T>> deliver, OutcomeJournal? journal = null)
    {
        _settings = settings;
        _ledger = ledger;
        _stateOf = stateOf;
        _send = send;
        _deliver = deliver;
        _journal = journal;
        _runner = new BoundedWorkRunner<Arrival>(settings.MaximumInFlight, settings.Interrupt);
        _abort = CancellationTokenSource.CreateLinkedTokenSource(settings.Interrupt);
        _callOptions = settings.CallOptions.StoppingBeforeNextAttempt(_stopSending.Token);
        _trace = settings.Trace ? line => _runner.Post(WorkMessageLevel.Verbose, line) : null;
    }

    /// <summary>Retries (transient and rate-limit) over every call so far.</summary>
    public int Retries { get; private set; }

    public int InFlight => _runner.InFlight;

    /// <summary>A failure every later id would share has ended the run (or it was abandoned).</summary>
    public bool HasEnded => _ended;

    /// <summary>Sends the call for <paramref name="id"/> (already in the ledger), waiting for a free slot first.</summary>
    public void Submit(string id)
    {
        if (_abandoned)
        {
            throw new InvalidOperationException("The run was abandoned.");
        }

        var before = _ledger.StateOf(id);
        while (!_ended && !_runner.HasRoom)
        {
            Step();
        }

        if (_ended)
        {
            // A fresh id was never sent; one that already had an outcome (a queued cancel being checked) keeps it.
            var unchanged = before == IdState.Admitted ? IdState.NotSent : before;
            _ledger.Set(id, unchanged);
            _deliver(BulkEvent<T>.ForOutcome(id, unchanged, null, endsRun: false));
            return;
        }

        _ledger.Set(id, IdState.InFlight);
        _onTheirWay[id] = before;
        var send = _send;
        var options = _callOptions;
        var trace = _trace;
        var abort = _abort.Token;
        _runner.Start(async _ =>
        {
            try
            {
                return new Arrival(id, before, await send(id, options, trace, abort).ConfigureAwait(false), null);
            }
            catch (Exception e)
            {
                return new Arrival(id, before, null, e);
            }
        });
        DeliverReady();
    }

    /// <summary>Waits until every id sent has its outcome, delivering events meanwhile.</summary>
    public void Complete()
    {
        while (_runner.InFlight > 0)
        {
            Step();
        }

        DeliverReady();
    }

    /// <summary>Abandons what is left (see the class summary). Safe to call more than once.</summary>
    public void Dispose()
    {
        if (_abandoned)
        {
            return;
        }

        _abandoned = true;
        _ended = true;
        _stopSending.Cancel();
        try
        {
            if (!_settings.Interrupt.IsCancellationRequested && _journal is not null)
            {
                // Not Ctrl+C: let requests already on the wire finish (each is bounded by its timeout), so that
                // their outcomes reach the journal instead of being cut off after the server acted on them.
                var grace = Stopwatch.StartNew();
                var allowed = _settings.CallOptions.Timeout + TimeSpan.FromSeconds(1);
                while (_runner.InFlight > 0 && grace.Elapsed < allowed && _runner.TryTake(allowed - grace.Elapsed, out var arrived))
                {
                    Handle(arrived, deliver: false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C during the grace period: stop waiting.
        }

        _abort.Cancel();
        // Whatever already arrived is recorded, Ctrl+C or not: taken without the (cancelled) interrupt token.
        while (_runner.TryTakeReady(out var arrived))
        {
            Handle(arrived, deliver: false);
        }

        foreach (var left in _onTheirWay)
        {
            _ledger.Set(left.Key, Unanswered(left.Value));
        }

        _onTheirWay.Clear();
    }

    private void Step()
    {
        if (_runner.TryTake(_settings.HeartbeatInterval, out var workEvent))
        {
            Handle(workEvent, deliver: true);
        }
        else
        {
            _deliver(BulkEvent<T>.ForHeartbeat());
        }
    }

    private void DeliverReady()
    {
        while (_runner.TryTake(TimeSpan.Zero, out var workEvent))
        {
            Handle(workEvent, deliver: true);
        }
    }

    private void Handle(WorkEvent<Arrival> workEvent, bool deliver)
    {
        if (workEvent.Exception is { } escaped)
        {
            // The work of Submit catches everything, so this is a bug in the engine itself.
            throw new InvalidOperationException("A bulk run's work failed outside its own error handling.", escaped);
        }

        if (!workEvent.IsResult)
        {
            if (deliver && workEvent.Message is { } message)
            {
                _deliver(BulkEvent<T>.ForMessage(workEvent.Level, message));
            }

            return;
        }

        var arrival = workEvent.Result!;
        _onTheirWay.Remove(arrival.Id);
        BulkEvent<T> outcome;
        if (arrival.Error is OperationCanceledException && (_stopSending.IsCancellationRequested || _abort.IsCancellationRequested))
        {
            // Stopped on its way because the run ended: whether the server saw it is unknown, so nothing is journaled.
            var state = Unanswered(arrival.Before);
            _ledger.Set(arrival.Id, state);
            outcome = BulkEvent<T>.ForOutcome(arrival.Id, state, null, endsRun: false);
        }
        else if (arrival.Error is { } error)
        {
            _ledger.Set(arrival.Id, IdState.Failed);
            outcome = BulkEvent<T>.ForOutcome(arrival.Id, IdState.Failed, null, endsRun: true, exception: error);
            End();
        }
        else
        {
            var result = arrival.Result!;
            Retries += result.Call.TransientRetries + result.Call.RateLimitRetries;
            var state = _stateOf(result);
            var endsRun = result.Failure is { } failure && RunEndingPolicy.EndsRun(failure);
            _ledger.Set(arrival.Id, state);
            if (endsRun)
            {
                End();
            }

            Journal(arrival.Id, arrival.Before, state, result, swallowErrors: !deliver);
            outcome = BulkEvent<T>.ForOutcome(arrival.Id, state, result, endsRun);
        }

        if (deliver)
        {
            _deliver(outcome);
        }
    }

    /// <summary>The state of an id whose call was stopped unanswered: the one it had, if that was already an outcome.</summary>
    private static IdState Unanswered(IdState before) => before == IdState.Admitted ? IdState.Abandoned : before;

    private void End()
    {
        _ended = true;
        _stopSending.Cancel();
    }

    private void Journal(string id, IdState before, IdState state, ApiResult<T> result, bool swallowErrors)
    {
        if (_journal is null || _journalBroken || state == before || JournalOutcomeOf(state) is not { } outcome)
        {
            return;
        }

        try
        {
            _journal.Append(id, outcome, result.Failure?.ErrorId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A failed write may have left half a line: nothing more goes after it, so the file stays readable.
            _journalBroken = true;
            if (!swallowErrors)
            {
                End();
                throw new JournalWriteException(id, e);
            }
        }
    }

    /// <summary>The states a journal records; the others need no line (Pending: Queued already is final).</summary>
    private static JournalOutcome? JournalOutcomeOf(IdState state) => state switch
    {
        IdState.Queued => JournalOutcome.Queued,
        IdState.Gone => JournalOutcome.Gone,
        IdState.Canceled => JournalOutcome.Canceled,
        IdState.Removed => JournalOutcome.Removed,
        IdState.Failed => JournalOutcome.Failed,
        _ => null,
    };

    private sealed class Arrival
    {
        public Arrival(string id, IdState before, ApiResult<T>? result, Exception? error)
        {
            Id = id;
            Before = before;
            Result = result;
            Error = error;
        }

        public string Id { get; }
        public IdState Before { get; }
        public ApiResult<T>? Result { get; }
        public Exception? Error { get; }
    }
}
