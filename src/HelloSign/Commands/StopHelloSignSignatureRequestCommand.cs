using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core;
using HelloSign.Core.Bulk;
using HelloSign.Core.Errors;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Retry;

namespace HelloSign.Commands;

/// <summary>
/// Cancels incomplete signature requests (POST /signature_request/cancel/{id}). The API only queues a cancel;
/// -Wait polls until each request answers 410, within the same rate-limit budget.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "HelloSignSignatureRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SignatureRequestActionResult))]
public sealed class StopHelloSignSignatureRequestCommand : SignatureRequestActionCommand
{
    private const int WaitProgressActivityId = 2;
    private readonly Dictionary<string, SignatureRequestActionResult> _awaitingCompletion = new(StringComparer.Ordinal);

    /// <summary>After queuing, wait until each cancel has completed (the request answers 410).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>How long -Wait waits before reporting the rest as still pending (the API's docs allow 60 minutes).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int WaitTimeoutSec { get; set; } = 3600;

    protected override string ActionName => "Cancel";
    protected override string ConfirmText => "Cancel signature request (cannot be undone)";
    protected override string Activity => "Canceling signature requests";
    protected override string GoneMessage => "nothing left to cancel: the API says it was already canceled or deleted (410).";

    protected override Task<ApiResult<SignatureRequestActionStatus>> ActAsync(HelloSignApi api, string id, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken) =>
        api.CancelAsync(id, options, trace, cancellationToken);

    protected override string SpecificAdvice(ApiFailure failure) => failure.Kind == ApiFailureKind.CannotCancel
        ? "It is completed, declined, or not this account's to cancel (only the sender or the owner of its API app can). To remove your access to a completed request, use Remove-HelloSignSignatureRequest."
        : string.Empty;

    protected override void OnSucceeded(SignatureRequestActionResult result, ApiCallResult? call)
    {
        // A 410 after an attempt that may have reached the server can be our own queued cancel: wait for it too.
        var mayBeOurs = result.Status == SignatureRequestActionStatus.Gone && call is { EarlierAttemptMayHaveArrived: true };
        if (Wait && (result.Status == SignatureRequestActionStatus.Queued || mayBeOurs))
        {
            _awaitingCompletion[result.SignatureRequestId] = result;
            return;
        }

        base.OnSucceeded(result, call);
    }

    /// <summary>Polls every queued id together, round after round with growing pauses, until each answers 410 or time runs out.</summary>
    protected override void AfterAllSent()
    {
        if (_awaitingCompletion.Count == 0)
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddSeconds(WaitTimeoutSec);
        var jitter = new Random();
        for (var round = 1; _awaitingCompletion.Count > 0; round++)
        {
            var pause = RateLimitPacer.Backoff(round, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter);
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            WriteProgress(new ProgressRecord(WaitProgressActivityId, "Waiting for cancels to complete", $"{_awaitingCompletion.Count} still pending; next check in {Math.Min(pause.TotalSeconds, left.TotalSeconds):0} s"));
            if (CancelToken.WaitHandle.WaitOne(pause < left ? pause : left))
            {
                throw new PipelineStoppedException();
            }

            PollOnce(deadline);
        }

        WriteProgress(new ProgressRecord(WaitProgressActivityId, "Waiting for cancels to complete", "Done") { RecordType = ProgressRecordType.Completed });
        foreach (var pending in _awaitingCompletion.Values)
        {
            ReportStillPending(pending, $"still pending after {WaitTimeoutSec} s: check again with Get-HelloSignSignatureRequest, or retry the cancel.");
        }
    }

    /// <summary>Reads each pending id once, stopping early at the deadline (a round over thousands of ids takes long).</summary>
    private void PollOnce(DateTime deadline)
    {
        var api = Api;
        var options = CallOptions;
        var runner = new BoundedWorkRunner<(string Id, ApiResult<SignatureRequest> Result)>(ThrottleLimit, CancelToken);
        var trace = TraceTo(runner);
        foreach (var id in _awaitingCompletion.Keys.ToList())
        {
            if (DateTime.UtcNow >= deadline)
            {
                break;
            }

            foreach (var polled in Pump(runner.Start(async token => (id, await api.GetSignatureRequestAsync(id, options, trace, token).ConfigureAwait(false)))))
            {
                Conclude(polled.Id, polled.Result);
            }
        }

        foreach (var polled in Pump(runner.Finish()))
        {
            Conclude(polled.Id, polled.Result);
        }
    }

    private void Conclude(string id, ApiResult<SignatureRequest> polled)
    {
        var queued = _awaitingCompletion[id];
        Summary.Retries += polled.Call.TransientRetries + polled.Call.RateLimitRetries;
        if (polled.Failure is { Kind: ApiFailureKind.Gone })
        {
            _awaitingCompletion.Remove(id);
            Uncount(queued);
            Summary.Canceled++;
            Journal(id, SignatureRequestActionStatus.Canceled.ToString());
            base.OnSucceeded(NewResult(id, SignatureRequestActionStatus.Canceled, polled.Call), polled.Call);
        }
        else if (polled.Failure is { } failure)
        {
            _awaitingCompletion.Remove(id);
            ReportStillPending(queued, $"the cancel was queued, but checking on it failed ({failure}).");
        }
    }

    private void ReportStillPending(SignatureRequestActionResult queued, string why)
    {
        Uncount(queued);
        Summary.Pending++;
        WriteWarning($"{queued.SignatureRequestId}: {why}");
        queued.Status = SignatureRequestActionStatus.Pending;
        queued.Time = DateTime.UtcNow;
        base.OnSucceeded(queued, null);
    }

    /// <summary>Takes an id waited on out of the count it had when it was sent (Queued, or Gone after a retry).</summary>
    private void Uncount(SignatureRequestActionResult sent)
    {
        if (sent.Status == SignatureRequestActionStatus.Gone)
        {
            Summary.Gone--;
        }
        else
        {
            Summary.Queued--;
        }
    }
}
