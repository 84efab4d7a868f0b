using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using HelloSign.Core;
using HelloSign.Core.Bulk;
using HelloSign.Core.Errors;
using HelloSign.Core.Models;

namespace HelloSign.Commands;

/// <summary>
/// Cancels incomplete signature requests (POST /signature_request/cancel/{id}). The API only queues a cancel;
/// -Wait polls until each request answers 410, within the same rate-limit budget.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "HelloSignSignatureRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SignatureRequestActionResult))]
public sealed class StopHelloSignSignatureRequestCommand : SignatureRequestActionCommand
{
    private readonly Dictionary<string, SignatureRequestActionResult> _awaitingCompletion = new(StringComparer.Ordinal);

    /// <summary>After queuing, wait until each cancel has completed (the request answers 410).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>How long -Wait waits before reporting the rest as still pending (the API's docs allow 60 minutes).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int WaitTimeoutSec { get; set; } = 3600;

    protected override string ActionName => "Cancel";
    protected override string ConfirmText => "Cancel signature request";
    protected override string Activity => "Canceling signature requests";
    protected override string GoneMessage => "nothing left to cancel: the API says it was already canceled or deleted (410).";
    protected override IdState DoneState => IdState.Queued;

    protected override BulkRun<SignatureRequestActionStatus>.Sender Action(HelloSignApi api) => api.CancelAsync;

    protected override string SpecificAdvice(ApiFailure failure) => failure.Kind == ApiFailureKind.CannotCancel
        ? "It is completed, declined, or not this account's to cancel (only the sender or the owner of its API app can). To remove your access to a completed request, use Remove-HelloSignSignatureRequest."
        : string.Empty;

    protected override void OnSucceeded(SignatureRequestActionResult result, ApiResult<SignatureRequestActionStatus> call)
    {
        // A 410 after an attempt that may have reached the server can be our own queued cancel: wait for it too.
        var mayBeOurs = result.Status == SignatureRequestActionStatus.Gone && call.Call.EarlierAttemptMayHaveArrived;
        if (Wait && (result.Status == SignatureRequestActionStatus.Queued || mayBeOurs))
        {
            _awaitingCompletion[result.SignatureRequestId] = result;
            return;
        }

        base.OnSucceeded(result, call);
    }

    /// <summary>Waits for every queued cancel to complete, in rounds, within the same budget and run-ending policy.</summary>
    protected override void AfterAllSent(BulkRunSettings settings)
    {
        if (_awaitingCompletion.Count == 0)
        {
            return;
        }

        var waitProgress = new RunProgress(this, 2, "Waiting for cancels to complete", Ledger, null) { WaitingFor = RateLimitWait };
        var waiter = new CompletionWaiter(settings, TimeSpan.FromSeconds(WaitTimeoutSec));
        Guarded(() => waiter.Wait(_awaitingCompletion.Keys, Ledger, Api.GetSignatureRequestAsync, e => OnWaitEvent(e, waitProgress), Journal));
        waitProgress.Complete();
    }

    private void OnWaitEvent(BulkEvent<SignatureRequest> e, RunProgress waitProgress)
    {
        WritePacerWarnings();
        switch (e.Kind)
        {
            case BulkEventKind.Message:
                WriteMessage(e.Level, e.Message!);
                break;
            case BulkEventKind.Waiting:
                var seconds = Math.Max(0, (e.Until - DateTimeOffset.UtcNow).TotalSeconds);
                waitProgress.Report(0, string.Format(CultureInfo.InvariantCulture, "{0} still pending; next check at {1:HH:mm:ss} ({2:0} s)", e.Remaining, e.Until.ToLocalTime(), seconds));
                break;
            case BulkEventKind.Outcome when e.Exception is { } exception:
                ThrowTerminatingError(ErrorRecords.Unexpected(exception, e.Id));
                break;
            case BulkEventKind.Outcome when e.EndsRun:
                // The cancels were queued all the same: say so for each before the error ends the command.
                foreach (var id in new List<string>(_awaitingCompletion.Keys))
                {
                    Write(id, _awaitingCompletion[id].Status, null);
                }

                WriteFailure(e.Id, e.Failure!, e.Result!.Call.Attempts, endsRun: true);
                break;
            case BulkEventKind.Outcome:
                Conclude(e);
                break;
        }
    }

    private void Conclude(BulkEvent<SignatureRequest> polled)
    {
        if (polled.State == IdState.Canceled)
        {
            _awaitingCompletion[polled.Id].Attempts += polled.Result?.Call.Attempts ?? 0;
            Write(polled.Id, SignatureRequestActionStatus.Canceled, null);
        }
        else if (polled.State == IdState.Pending)
        {
            Write(polled.Id, SignatureRequestActionStatus.Pending, polled.Message);
        }
        else
        {
            // Not confirmed either way (the run was stopped first): it stays as the cancel left it.
            Write(polled.Id, _awaitingCompletion[polled.Id].Status, null);
        }
    }

    /// <summary>Writes a result held back for -Wait, now that its status is settled.</summary>
    private void Write(string id, SignatureRequestActionStatus status, string? warning)
    {
        var result = _awaitingCompletion[id];
        _awaitingCompletion.Remove(id);
        result.Status = status;
        result.Time = DateTimeOffset.UtcNow;
        if (warning is not null)
        {
            WriteWarning($"{id}: {warning}");
        }

        if (PassThru)
        {
            WriteObject(result);
        }
    }
}
