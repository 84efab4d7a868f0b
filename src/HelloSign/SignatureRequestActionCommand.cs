using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using HelloSign.Core;
using HelloSign.Core.Bulk;
using HelloSign.Core.Errors;
using HelloSign.Core.Journal;

namespace HelloSign;

/// <summary>
/// The irreversible bulk actions (cancel, remove), adapted from the Core engine: each value from the pipeline
/// is admitted (<see cref="IdAdmission"/>), confirmed here (ShouldProcess), sent by a <see cref="BulkRun{T}"/>,
/// and its outcome written as a result, a warning (gone) or an error whose TargetObject is the id.
/// </summary>
public abstract class SignatureRequestActionCommand : HelloSignApiCmdlet
{
    /// <summary>Chosen by measurement (docs/benchmarks.md): enough to hide 100–300 ms of latency at the API's rate limits.</summary>
    public const int DefaultThrottleLimit = 4;

    private readonly RunLedger _ledger = new();
    private IdAdmission _admission = null!;
    private OutcomeJournal? _journal;
    private BulkRun<SignatureRequestActionStatus>? _run;
    private RunProgress _progress = null!;
    private bool _whatIf;
    private TimeSpan _rateLimitWaitAtStart;
    private System.Diagnostics.Stopwatch _elapsed = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "signature_request_id")]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[] SignatureRequestId { get; set; } = Array.Empty<string>();

    // Bound from piped objects that carry them (this module's own, or rows with such columns), only so that a
    // confirmation or -WhatIf can name the request instead of showing a bare hex id. Hidden: not for typing.
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Title { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    [Alias("requester_email_address")]
    public string? RequesterEmailAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    [Alias("created_at")]
    public object? CreatedAt { get; set; }

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

    /// <summary>The action as a verb phrase, e.g. "Cancel signature request", for prompts and -WhatIf.</summary>
    protected abstract string ConfirmText { get; }

    /// <summary>For progress and the summary, e.g. "Canceling signature requests".</summary>
    protected abstract string Activity { get; }

    /// <summary>What a 410 means for this action, shown as a warning.</summary>
    protected abstract string GoneMessage { get; }

    /// <summary>The state a success leaves the id in (Queued for cancel, Removed for remove).</summary>
    protected abstract IdState DoneState { get; }

    protected RunLedger Ledger => _ledger;

    protected OutcomeJournal? Journal => _journal;

    protected RunProgress Progress => _progress;

    /// <summary>Sends the action for one id.</summary>
    protected abstract BulkRun<SignatureRequestActionStatus>.Sender Action(HelloSignApi api);

    /// <summary>What to do about a failure specific to this action, or empty for the general advice.</summary>
    protected abstract string SpecificAdvice(ApiFailure failure);

    /// <summary>Called once before the first request, for checks that apply to the whole run.</summary>
    protected virtual void BeforeFirstRequest(HelloSignConnection connection)
    {
    }

    /// <summary>Handles a success (Queued, Removed, Gone); by default writes it with -PassThru.</summary>
    protected virtual void OnSucceeded(SignatureRequestActionResult result, ApiResult<SignatureRequestActionStatus> call)
    {
        if (PassThru)
        {
            WriteObject(result);
        }
    }

    /// <summary>Runs after every id has its outcome, before the summary (Stop -Wait waits here).</summary>
    protected virtual void AfterAllSent(BulkRunSettings settings)
    {
    }

    protected BulkRunSettings NewRunSettings() => new(ThrottleLimit, CallOptions, CancelToken) { Trace = VerboseWanted };

    protected override void BeginProcessing()
    {
        _elapsed = System.Diagnostics.Stopwatch.StartNew();
        // -WhatIf can't change during a run: read it once, not once per id.
        _whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        OpenConnection();
        _rateLimitWaitAtStart = Api.Pacer.TotalWaitTime;
        BeforeFirstRequest(ActiveConnection);
        if (JournalPath is not null)
        {
            OpenJournal(GetUnresolvedProviderPathFromPSPath(JournalPath));
        }

        _admission = new IdAdmission(_ledger, _journal);
        // An array argument (not pipeline input) tells the total up front, for percent and time remaining.
        _progress = new RunProgress(this, 1, Activity, _ledger, MyInvocation.ExpectingInput ? null : SignatureRequestId?.Length) { WaitingFor = RateLimitWait };
        _run = new BulkRun<SignatureRequestActionStatus>(NewRunSettings(), _ledger, StateOf, Action(Api), OnEvent, _journal);
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

    private IdState StateOf(ApiResult<SignatureRequestActionStatus> result) =>
        result.Failure is not null ? IdState.Failed : result.Value == SignatureRequestActionStatus.Gone ? IdState.Gone : DoneState;

    protected override void ProcessRecord()
    {
        foreach (var input in SignatureRequestId ?? Array.Empty<string>())
        {
            var admitted = _admission.Admit(input);
            switch (admitted.Verdict)
            {
                case AdmissionVerdict.Invalid:
                    WriteError(ErrorRecords.InvalidId(input, admitted.Reason!));
                    break;
                case AdmissionVerdict.Duplicate:
                    WriteWarning($"{admitted.Id} was given more than once; it is sent only once.");
                    break;
                case AdmissionVerdict.AlreadyDone:
                    WriteSkipped(admitted.Id!, admitted.Journaled!);
                    break;
                case AdmissionVerdict.Ready when Approve(admitted.Id!, SignatureRequestId!.Length == 1):
                    Guarded(() => _run!.Submit(admitted.Id!));
                    break;
            }

            _progress.Report(_run!.InFlight);
        }
    }

    protected override void EndProcessing()
    {
        Guarded(_run!.Complete);
        AfterAllSent(NewRunSettings());
        WritePacerWarnings();
        _progress.Complete();
        var summary = new RunSummary(Activity, _ledger, _run.Retries, Api.Pacer.TotalWaitTime - _rateLimitWaitAtStart, _elapsed.Elapsed);
        WriteInformation(summary, new[] { "HelloSign", "Summary" });
        if (summary.IsNoteworthy)
        {
            // Skips, failures, repeats, retries and waits deserve a line at a default console, as Connect's does.
            WriteNotice(summary.ToString());
        }
        else
        {
            WriteVerbose(summary.ToString());
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // However the command ended: stop what has not gone out, and journal every outcome that arrived.
            _run?.Dispose();
            _journal?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Runs engine work, turning a journal that can't be written and Ctrl+C into the command's end.</summary>
    protected void Guarded(System.Action work)
    {
        try
        {
            Interruptible(work);
        }
        catch (JournalWriteException e)
        {
            // Losing the journal mid-run would make a re-run resend everything: stop rather than go on unrecorded.
            ThrowTerminatingError(new ErrorRecord(e, "JournalWriteFailed", ErrorCategory.WriteError, e.Id));
        }
    }

    /// <summary>An id the journal already has a final outcome for: nothing sent; written with -PassThru.</summary>
    private void WriteSkipped(string id, JournalEntry entry)
    {
        if (PassThru)
        {
            var result = NewResult(id, StatusOf(entry.Outcome), null);
            result.Time = entry.Time;
            result.FromJournal = true;
            WriteObject(result);
        }
    }

    private static SignatureRequestActionStatus StatusOf(JournalOutcome outcome) => outcome switch
    {
        JournalOutcome.Queued => SignatureRequestActionStatus.Queued,
        JournalOutcome.Gone => SignatureRequestActionStatus.Gone,
        JournalOutcome.Canceled => SignatureRequestActionStatus.Canceled,
        JournalOutcome.Removed => SignatureRequestActionStatus.Removed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Failures are not final: they are sent again."),
    };

    /// <summary>
    /// Confirms one id. -Force skips the prompt unless -Confirm or -WhatIf is also given. A host that cannot
    /// prompt ends the command before anything is sent, naming the switches that confirm in advance.
    /// </summary>
    private bool Approve(string id, bool describable)
    {
        if (Force && !_whatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            return true;
        }

        var request = describable ? RequestDescription.Of(id, Title, RequesterEmailAddress, CreatedAt) : id;
        try
        {
            if (ShouldProcess($"{ConfirmText} (cannot be undone): {request}", $"{ConfirmText} {request}?", "Confirm: this cannot be undone", out var reason))
            {
                return true;
            }

            _ledger.Set(id, reason == ShouldProcessReason.WhatIf ? IdState.Previewed : IdState.NotConfirmed);
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

    /// <summary>Maps one engine event to the pipeline: output, warning, error, verbose line or progress.</summary>
    private void OnEvent(BulkEvent<SignatureRequestActionStatus> e)
    {
        switch (e.Kind)
        {
            case BulkEventKind.Outcome:
                Write(e);
                break;
            case BulkEventKind.Message:
                WriteMessage(e.Level, e.Message!);
                break;
        }

        WritePacerWarnings();
        _progress.Report(_run?.InFlight ?? 0);
    }

    private void Write(BulkEvent<SignatureRequestActionStatus> outcome)
    {
        if (outcome.Exception is { } exception)
        {
            ThrowTerminatingError(ErrorRecords.Unexpected(exception, outcome.Id));
        }

        if (outcome.Result is not { } result)
        {
            return;
        }

        foreach (var warning in result.Warnings)
        {
            WriteWarning($"{outcome.Id}: {warning}");
        }

        if (result.Failure is { } failure)
        {
            WriteFailure(outcome.Id, failure, result.Call.Attempts, outcome.EndsRun);
            return;
        }

        if (outcome.State == IdState.Gone)
        {
            WriteWarning($"{outcome.Id}: {GoneMessage}");
        }

        OnSucceeded(NewResult(outcome.Id, result.Value, result), result);
    }

    protected SignatureRequestActionResult NewResult(string id, SignatureRequestActionStatus status, ApiResult<SignatureRequestActionStatus>? call) => new()
    {
        SignatureRequestId = id,
        Action = ActionName,
        Status = status,
        Time = DateTimeOffset.UtcNow,
        Attempts = call?.Call.Attempts ?? 0,
        RateLimitLimit = call?.Call.RateLimit.Limit,
        RateLimitRemaining = call?.Call.RateLimit.Remaining,
        RateLimitReset = call?.Call.RateLimit.ResetAt?.ToUniversalTime(),
    };

    /// <summary>Writes one id's error; one that ends the run (see <see cref="RunEndingPolicy"/>) ends the command.</summary>
    protected void WriteFailure(string id, ApiFailure failure, int attempts, bool endsRun)
    {
        var specific = SpecificAdvice(failure);
        var advice = specific.Length > 0 ? specific : ErrorRecords.GeneralAdvice(failure, attempts, $"$err.TargetObject | {MyInvocation.MyCommand.Name} -Force");
        var record = ErrorRecords.FromFailure(failure, $"Could not {ActionName.ToLowerInvariant()} signature request {id}", advice, id);
        if (endsRun)
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }
}
