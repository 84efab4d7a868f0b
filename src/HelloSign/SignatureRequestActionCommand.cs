using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core;
using HelloSign.Core.Bulk;
using HelloSign.Core.Errors;
using HelloSign.Core.Ids;
using HelloSign.Core.Journal;
using HelloSign.Core.Retry;

namespace HelloSign;

/// <summary>One id and what the API said about it.</summary>
internal sealed class IdOutcome
{
    public IdOutcome(string id, ApiResult<SignatureRequestActionStatus> result)
    {
        Id = id;
        Result = result;
    }

    public string Id { get; }
    public ApiResult<SignatureRequestActionStatus> Result { get; }
}

/// <summary>
/// The irreversible bulk actions (cancel, remove): ids from the pipeline are cleaned, de-duplicated, confirmed,
/// sent up to -ThrottleLimit at a time within the connection's rate limit, and each gets exactly one outcome:
/// a result, a warning (gone), or an error whose TargetObject is the id, so failures can be piped back in.
/// </summary>
public abstract class SignatureRequestActionCommand : HelloSignApiCmdlet
{
    /// <summary>Chosen by measurement (docs/benchmarks.md): enough to hide 100–300 ms of latency at the API's rate limits.</summary>
    public const int DefaultThrottleLimit = 4;

    private const int ProgressActivityId = 1;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly SignatureRequestIdFilter _ids = new();
    private HelloSignConnection? _connection;
    private HelloSignApi? _api;
    private BoundedWorkRunner<IdOutcome>? _runner;
    private Action<string>? _trace;
    private OutcomeJournal? _journal;
    private bool _whatIf;
    private TimeSpan _rateLimitWaitAtStart;
    private int? _total;
    private DateTime _lastProgress = DateTime.MinValue;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "signature_request_id")]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[] SignatureRequestId { get; set; } = Array.Empty<string>();

    /// <summary>Skips the confirmation prompt (-WhatIf still previews).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>
    /// A file that records each id's outcome as it becomes known. Re-running with the same journal skips the ids
    /// already done (Queued, Gone, Canceled, Removed) and retries the rest.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JournalPath { get; set; }

    /// <summary>"Cancel" or "Remove": the Action of each result.</summary>
    protected abstract string ActionName { get; }

    /// <summary>The ShouldProcess action text, e.g. "Cancel signature request (cannot be undone)".</summary>
    protected abstract string ConfirmText { get; }

    /// <summary>For progress and the summary, e.g. "Canceling signature requests".</summary>
    protected abstract string Activity { get; }

    /// <summary>What a 410 means for this action, shown as a warning.</summary>
    protected abstract string GoneMessage { get; }

    protected RunSummary Summary { get; private set; } = null!;

    protected HelloSignConnection ActiveConnection => _connection!;

    /// <summary>The connection's API, taken once: a Disconnect-HelloSign elsewhere can't pull it from under a running command.</summary>
    protected HelloSignApi Api => _api!;

    /// <summary>Sends the action for one id.</summary>
    protected abstract Task<ApiResult<SignatureRequestActionStatus>> ActAsync(HelloSignApi api, string id, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken);

    /// <summary>What to do about a failure specific to this action, or empty for the general advice.</summary>
    protected abstract string SpecificAdvice(ApiFailure failure);

    /// <summary>Called once before the first request, for checks that apply to the whole run.</summary>
    protected virtual void BeforeFirstRequest(HelloSignConnection connection)
    {
    }

    /// <summary>
    /// Handles a success (Queued, Removed, Gone); by default writes it with -PassThru. <paramref name="call"/>
    /// tells, among other things, whether an earlier attempt may have reached the server.
    /// </summary>
    protected virtual void OnSucceeded(SignatureRequestActionResult result, ApiCallResult? call)
    {
        if (PassThru)
        {
            WriteObject(result);
        }
    }

    /// <summary>Runs after every id has its outcome, before the summary (Stop -Wait polls here).</summary>
    protected virtual void AfterAllSent()
    {
    }

    protected override void BeginProcessing()
    {
        Summary = new RunSummary(Activity);
        // -WhatIf can't change during a run: read it once, not once per id.
        _whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        _connection = ResolveConnection();
        _api = _connection.Api;
        _runner = new BoundedWorkRunner<IdOutcome>(ThrottleLimit, CancelToken);
        _trace = TraceTo(_runner);
        _rateLimitWaitAtStart = _api.Pacer.TotalWaitTime;
        BeforeFirstRequest(_connection);
        if (JournalPath is not null)
        {
            OpenJournal(GetUnresolvedProviderPathFromPSPath(JournalPath));
        }
    }

    private void OpenJournal(string path)
    {
        // -WhatIf reads the journal to show what would be skipped, but neither creates, locks nor writes it.
        try
        {
            _journal = OutcomeJournal.Open(path, ActiveConnection.AccountId, ActionName, readOnly: _whatIf);
        }
        catch (JournalException e)
        {
            ThrowTerminatingError(new ErrorRecord(
                e,
                e.Problem == JournalProblem.InUse ? "JournalInUse" : "JournalForOtherRun",
                e.Problem == JournalProblem.InUse ? ErrorCategory.ResourceBusy : ErrorCategory.InvalidData,
                path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "JournalNotAccessible", ErrorCategory.WriteError, path));
        }

        foreach (var problem in _journal!.Problems)
        {
            WriteWarning($"Journal '{path}': {problem}.");
        }

        WriteVerbose($"Journal '{path}': {_journal.FinalCount} id(s) already have a final outcome and will be skipped without a request.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The run ended early (Ctrl+C, a terminating error, Select-Object -First): stop what is in flight, and
            // still journal the outcomes that arrived but were never read, so a re-run doesn't send them again.
            CancelOutstandingWork();
            if (_journal is not null && _runner is not null)
            {
                foreach (var arrived in _runner.Drain())
                {
                    if (arrived.IsResult)
                    {
                        TryJournal(arrived.Result!);
                    }
                }
            }

            _journal?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Records an outcome in the journal, if there is one (never under -WhatIf, which sends nothing).</summary>
    protected void Journal(string id, string outcome, string? error = null)
    {
        try
        {
            _journal?.Append(id, outcome, error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Losing the journal mid-run would make a re-run resend everything: stop rather than go on unrecorded.
            ThrowTerminatingError(new ErrorRecord(e, "JournalWriteFailed", ErrorCategory.WriteError, id));
        }
    }

    /// <summary>What the journal records for an outcome: the status, or Failed with the error's id.</summary>
    private static (string Outcome, string? Error) JournalEntryOf(IdOutcome outcome) =>
        outcome.Result.Failure is { } failure ? ("Failed", failure.ErrorId) : (outcome.Result.Value.ToString(), null);

    /// <summary>Journals without failing the caller: for the clean-up, where nothing can be reported any more.</summary>
    private void TryJournal(IdOutcome outcome)
    {
        try
        {
            var (entry, error) = JournalEntryOf(outcome);
            _journal!.Append(outcome.Id, entry, error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
        }
    }

    /// <summary>Skips an id the journal already has a final outcome for, writing that outcome with -PassThru.</summary>
    private bool SkipFromJournal(string id)
    {
        if (_journal?.Find(id) is not { IsFinal: true } entry)
        {
            return false;
        }

        Summary.Skipped++;
        if (PassThru && Enum.TryParse<SignatureRequestActionStatus>(entry.Outcome, out var status))
        {
            var result = NewResult(id, status, null);
            result.Time = entry.Time;
            result.FromJournal = true;
            WriteObject(result);
        }

        return true;
    }

    protected override void ProcessRecord()
    {
        // An array argument (not pipeline input) tells the total up front, for percent and ETA.
        if (!MyInvocation.ExpectingInput && _total is null)
        {
            _total = SignatureRequestId?.Length ?? 0;
        }

        foreach (var input in SignatureRequestId ?? Array.Empty<string>())
        {
            Summary.Received++;
            var (verdict, id, reason) = _ids.Accept(input);
            switch (verdict)
            {
                case IdFilterVerdict.Blank:
                    Summary.Blank++;
                    continue;
                case IdFilterVerdict.Invalid:
                    Summary.Invalid++;
                    WriteError(ErrorRecords.InvalidId(input, reason!));
                    continue;
                case IdFilterVerdict.Duplicate:
                    Summary.Duplicates++;
                    WriteWarning($"{id} was given more than once; it is sent only once.");
                    continue;
            }

            if (SkipFromJournal(id!) || !Approve(id!))
            {
                continue;
            }

            var api = Api;
            var options = CallOptions;
            var trace = _trace;
            foreach (var outcome in Pump(_runner!.Start(async token => new IdOutcome(id!, await ActAsync(api, id!, options, trace, token).ConfigureAwait(false)))))
            {
                Record(outcome);
            }

            ReportProgress(final: false);
        }

        foreach (var outcome in Pump(_runner!.Drain()))
        {
            Record(outcome);
        }
    }

    protected override void EndProcessing()
    {
        foreach (var outcome in Pump(_runner!.Finish()))
        {
            Record(outcome);
            ReportProgress(final: false);
        }

        AfterAllSent();
        ReportProgress(final: true);
        Summary.RateLimitWait = Api.Pacer.TotalWaitTime - _rateLimitWaitAtStart;
        WriteVerbose(Summary.ToString());
        WriteInformation(Summary, new[] { "HelloSign", "Summary" });
    }

    /// <summary>
    /// Confirms one id. -Force skips the prompt unless -Confirm or -WhatIf is also given. A host that cannot
    /// prompt ends the command before anything is sent, naming the switches that confirm in advance.
    /// </summary>
    private bool Approve(string id)
    {
        if (Force && !_whatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            return true;
        }

        try
        {
            if (ShouldProcess($"{ConfirmText}: {id}", $"{ConfirmText}: {id}?", ConfirmText, out var reason))
            {
                return true;
            }

            if (reason == ShouldProcessReason.WhatIf)
            {
                Summary.Previewed++;
            }
            else
            {
                Summary.NotConfirmed++;
            }

            return false;
        }
        catch (Exception e) when (e is PSInvalidOperationException or HostException or NotImplementedException or PSNotImplementedException)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException(
                    $"{ActionName} cannot be undone, so {MyInvocation.MyCommand.Name} asks for confirmation, but this host cannot prompt (it is non-interactive). Nothing was sent. Confirm in advance with -Force or -Confirm:$false, or preview with -WhatIf.",
                    e),
                "ConfirmationNotPossible",
                ErrorCategory.InvalidOperation,
                id));
            return false;
        }
    }

    private void Record(IdOutcome outcome)
    {
        var result = outcome.Result;
        Summary.Retries += result.Call.TransientRetries + result.Call.RateLimitRetries;
        foreach (var warning in result.Warnings)
        {
            WriteWarning($"{outcome.Id}: {warning}");
        }

        var (journalOutcome, journalError) = JournalEntryOf(outcome);
        Journal(outcome.Id, journalOutcome, journalError);
        if (result.Failure is { } failure)
        {
            WriteFailure(outcome.Id, failure, result.Call.Attempts);
            return;
        }

        var status = result.Value;
        if (status == SignatureRequestActionStatus.Gone)
        {
            Summary.Gone++;
            WriteWarning($"{outcome.Id}: {GoneMessage}");
        }
        else if (status == SignatureRequestActionStatus.Queued)
        {
            Summary.Queued++;
        }
        else if (status == SignatureRequestActionStatus.Removed)
        {
            Summary.Removed++;
        }

        OnSucceeded(NewResult(outcome.Id, status, result.Call), result.Call);
    }

    protected SignatureRequestActionResult NewResult(string id, SignatureRequestActionStatus status, ApiCallResult? call) => new()
    {
        SignatureRequestId = id,
        Action = ActionName,
        Status = status,
        Time = DateTime.UtcNow,
        Attempts = call?.Attempts ?? 0,
        RateLimitLimit = call?.RateLimit.Limit,
        RateLimitRemaining = call?.RateLimit.Remaining,
        RateLimitReset = call?.RateLimit.ResetAt?.UtcDateTime,
    };

    /// <summary>Writes one id's error; a refused key ends the run, since every later id would fail the same way.</summary>
    protected void WriteFailure(string id, ApiFailure failure, int attempts)
    {
        Summary.Failed++;
        var specific = SpecificAdvice(failure);
        var advice = specific.Length > 0 ? specific : ErrorRecords.GeneralAdvice(failure, attempts, $"$err.TargetObject | {MyInvocation.MyCommand.Name} -Force");
        var record = ErrorRecords.FromFailure(failure, $"Could not {ActionName.ToLowerInvariant()} signature request {id}", advice, id);
        if (failure.Kind is ApiFailureKind.Unauthorized or ApiFailureKind.Tls or ApiFailureKind.Redirect)
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    protected void ReportProgress(bool final)
    {
        var now = DateTime.UtcNow;
        if (!final && now - _lastProgress < ProgressInterval)
        {
            return;
        }

        _lastProgress = now;
        var done = Summary.Done;
        var record = new ProgressRecord(ProgressActivityId, Activity, ProgressStatus(done))
        {
            RecordType = final ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };

        if (_total is > 0 && Summary.RatePerSecond > 0)
        {
            var handled = Math.Min(Summary.Received, _total.Value);
            record.PercentComplete = Math.Min(100, (int)(100.0 * handled / _total.Value));
            record.SecondsRemaining = (int)Math.Ceiling((_total.Value - handled) / Summary.RatePerSecond);
        }

        WriteProgress(record);
    }

    private string ProgressStatus(int done) =>
        (_total is { } total ? $"{done} of {total} done" : $"{done} done") +
        $", {Summary.RatePerSecond:0.0}/s" +
        (Summary.Failed > 0 ? $", {Summary.Failed} failed" : string.Empty) +
        (_runner is { InFlight: > 0 } runner ? $", {runner.InFlight} in flight" : string.Empty);
}
