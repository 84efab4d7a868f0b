using System;
using System.Collections.Generic;
using System.Management.Automation;
using HelloSign.Core;
using HelloSign.Core.Bulk;
using HelloSign.Core.Errors;

namespace HelloSign.Commands;

/// <summary>
/// Reads signature requests: by id (GET /signature_request/{id}), or by listing every page of
/// GET /signature_request/list with optional search and filters, so that what to cancel can be found and piped on.
/// </summary>
[Cmdlet(VerbsCommon.Get, "HelloSignSignatureRequest", DefaultParameterSetName = ListSet, SupportsPaging = true)]
[OutputType(typeof(SignatureRequest))]
public sealed class GetHelloSignSignatureRequestCommand : HelloSignApiCmdlet
{
    private const string ByIdSet = "ById";
    private const string ListSet = "List";
    private const int PageSize = 100;

    private readonly RunLedger _ledger = new();
    private IdAdmission _admission = null!;
    private BulkRun<SignatureRequest>? _run;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "signature_request_id")]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[] SignatureRequestId { get; set; } = Array.Empty<string>();

    /// <summary>The API's search syntax, passed through (e.g. 'title:NDA AND from:me').</summary>
    [Parameter(ParameterSetName = ListSet)]
    public string? Query { get; set; }

    /// <summary>Whose requests to list: a team member's account id, or 'all' for the whole team.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidatePattern("^(all|[0-9a-fA-F]{20,64})$")]
    public string? AccountId { get; set; }

    /// <summary>Only requests that can still be canceled: not complete, not declined, no error.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Incomplete { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    public DateTime? CreatedBefore { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    public DateTime? CreatedAfter { get; set; }

    [Parameter(ParameterSetName = ByIdSet)]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = SignatureRequestActionCommand.DefaultThrottleLimit;

    protected override void BeginProcessing()
    {
        if (ParameterSetName == ByIdSet && (PagingParameters.First != ulong.MaxValue || PagingParameters.Skip > 0 || PagingParameters.IncludeTotalCount))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-First, -Skip and -IncludeTotalCount page through a listing; with -SignatureRequestId every given id is read. Use Select-Object to take part of the output."),
                "PagingWithIds",
                ErrorCategory.InvalidArgument,
                null));
        }

        OpenConnection();
        if (ParameterSetName == ByIdSet)
        {
            _admission = new IdAdmission(_ledger);
            var settings = new BulkRunSettings(ThrottleLimit, CallOptions, CancelToken) { Trace = VerboseWanted };
            _run = new BulkRun<SignatureRequest>(settings, _ledger, read => read.Failure is null ? IdState.Read : IdState.Failed, Api.GetSignatureRequestAsync, OnEvent);
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != ByIdSet)
        {
            return;
        }

        foreach (var input in SignatureRequestId ?? Array.Empty<string>())
        {
            // Repeats are dropped quietly: reading twice would show the same thing.
            var admitted = _admission.Admit(input);
            if (admitted.Verdict == AdmissionVerdict.Invalid)
            {
                WriteError(ErrorRecords.InvalidId(input, admitted.Reason!));
            }
            else if (admitted.Verdict == AdmissionVerdict.Ready)
            {
                Interruptible(() => _run!.Submit(admitted.Id!));
            }
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ByIdSet)
        {
            Interruptible(_run!.Complete);
            return;
        }

        List();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _run?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void OnEvent(BulkEvent<SignatureRequest> e)
    {
        WritePacerWarnings();
        if (e.Kind == BulkEventKind.Message)
        {
            WriteMessage(e.Level, e.Message!);
        }
        else if (e.Kind == BulkEventKind.Outcome && e.Exception is { } exception)
        {
            ThrowTerminatingError(ErrorRecords.Unexpected(exception, e.Id));
        }
        else if (e.Kind == BulkEventKind.Outcome && e.Result is { } result)
        {
            Write(e.Id, result, e.EndsRun);
        }
    }

    private void Write(string id, ApiResult<SignatureRequest> result, bool endsRun)
    {
        foreach (var warning in result.Warnings)
        {
            WriteWarning($"{id}: {warning}");
        }

        if (result.Failure is { } failure)
        {
            var advice = failure.Kind == ApiFailureKind.Gone
                ? "It was canceled or deleted; there is nothing left to read."
                : ErrorRecords.GeneralAdvice(failure, result.Call.Attempts, "$err.TargetObject | Get-HelloSignSignatureRequest");
            var record = ErrorRecords.FromFailure(failure, $"Could not read signature request {id}", advice, id);
            if (endsRun)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
            return;
        }

        WriteObject(result.Value);
    }

    /// <summary>Follows every page (or until -First is met), filtering on the way; progress per page.</summary>
    private void List()
    {
        var api = Api;
        var options = CallOptions;
        var query = Incomplete ? Join(Query, "complete:false AND declined:false") : Query;
        var before = CreatedBefore?.ToUniversalTime();
        var after = CreatedAfter?.ToUniversalTime();
        var toSkip = PagingParameters.Skip;
        var toWrite = PagingParameters.First;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var matched = 0UL;
        int? reportedTotal = null;
        var listedEverything = false;

        for (var page = 1; toWrite > 0; page++)
        {
            var current = page;
            var result = RunSingle((trace, token) => api.ListSignatureRequestsAsync(current, PageSize, query, AccountId, options, trace, token));
            if (result.Failure is { } failure)
            {
                ThrowTerminatingError(ErrorRecords.FromFailure(failure, $"Could not list signature requests (page {current})", ErrorRecords.GeneralAdvice(failure, result.Call.Attempts, "Get-HelloSignSignatureRequest"), query));
            }

            WritePacerWarnings();
            foreach (var warning in result.Warnings)
            {
                WriteWarning(warning);
            }

            var listed = result.Value!;
            reportedTotal ??= listed.NumberOfResults;
            WriteProgress(new ProgressRecord(1, "Listing signature requests", $"Page {current} of {Math.Max(listed.NumberOfPages, current)}; {matched} matching so far")
            {
                PercentComplete = Math.Min(100, 100 * current / Math.Max(1, listed.NumberOfPages)),
            });

            foreach (var request in listed.Items)
            {
                // A request created while paging shifts the pages; don't show it twice.
                if (!seen.Add(request.SignatureRequestId) || !Matches(request, before, after))
                {
                    continue;
                }

                matched++;
                if (toSkip > 0)
                {
                    toSkip--;
                    continue;
                }

                WriteObject(request);
                if (--toWrite == 0)
                {
                    break;
                }
            }

            if (current >= listed.NumberOfPages || listed.Items.Count == 0)
            {
                listedEverything = true;
                break;
            }
        }

        WriteProgress(new ProgressRecord(1, "Listing signature requests", "Done") { RecordType = ProgressRecordType.Completed });
        if (PagingParameters.IncludeTotalCount)
        {
            // Exact when every page was read, or when the API's own count applies (no filter of ours on top);
            // otherwise only a lower bound.
            var filtered = Incomplete || CreatedBefore is not null || CreatedAfter is not null;
            WriteObject(listedEverything ? PagingParameters.NewTotalCount(matched, 1.0)
                : !filtered && reportedTotal is { } total ? PagingParameters.NewTotalCount((ulong)total, 1.0)
                : PagingParameters.NewTotalCount(matched, 0.0));
        }
    }

    private bool Matches(SignatureRequest request, DateTime? createdBefore, DateTime? createdAfter) =>
        (!Incomplete || request.IsIncomplete) &&
        (createdBefore is null || (request.CreatedAt is { } created && created < createdBefore)) &&
        (createdAfter is null || (request.CreatedAt is { } createdAt && createdAt > createdAfter));

    private static string Join(string? query, string clause) => string.IsNullOrWhiteSpace(query) ? clause : $"{query} AND {clause}";
}
