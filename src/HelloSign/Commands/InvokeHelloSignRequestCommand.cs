using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using HelloSign.Core;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.Models;

namespace HelloSign.Commands;

/// <summary>
/// Any API call the module has no cmdlet for, through the same connection, rate-limit budget, retries and secret
/// hygiene as the typed cmdlets. The path is checked before anything is sent, so the key only ever goes to the
/// connection's base URI.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "HelloSignRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PSObject), typeof(string))]
public sealed class InvokeHelloSignRequestCommand : HelloSignApiCmdlet
{
    /// <summary>Without -Query page_size, -All asks for the largest page the API allows: fewer calls.</summary>
    private const int AllPageSize = 100;

    private HttpMethod _method = HttpMethod.Get;
    private byte[]? _jsonBody;
    private string? _outFile;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Path { get; set; } = string.Empty;

    [Parameter]
    [ValidateSet("GET", "POST", "PUT", "DELETE", IgnoreCase = true)]
    public string Method { get; set; } = "GET";

    /// <summary>Query parameters, encoded by the module; null values are left out.</summary>
    [Parameter]
    public IDictionary? Query { get; set; }

    /// <summary>Sent as JSON: a hashtable or object (converted like ConvertTo-Json), or a string that is JSON already.</summary>
    [Parameter]
    public object? Body { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    [Parameter]
    public SwitchParameter All { get; set; }

    [Parameter]
    public SwitchParameter Raw { get; set; }

    protected override void BeginProcessing()
    {
        _method = new HttpMethod(Method.ToUpperInvariant());
        if (All && OutFile is not null)
        {
            ThrowInvalidArgument("AllWithOutFile", "-All writes the items of every page; -OutFile saves one response. Use one or the other.");
        }

        if (All && _method != HttpMethod.Get)
        {
            ThrowInvalidArgument("AllNeedsGet", "-All follows the pages of a list endpoint, which is read with GET.");
        }

        if (Body is not null && _method == HttpMethod.Get)
        {
            ThrowInvalidArgument("BodyWithGet", "A GET sends no body: pass its parameters with -Query, or use -Method POST.");
        }

        if (Body is not null)
        {
            _jsonBody = ToJson(Body);
        }

        if (OutFile is not null)
        {
            _outFile = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
        }

        OpenConnection();
    }

    protected override void ProcessRecord()
    {
        ApiPath path;
        try
        {
            path = ApiPath.FromUser(Path, QueryParameters(page: null));
        }
        catch (ArgumentException e)
        {
            // Shown without the parts where a pasted key would sit, so it stays out of $Error and transcripts.
            var shown = UserApiPath.Redact(Path);
            WriteError(new ErrorRecord(new ArgumentException($"Refused the path '{shown}' without sending anything: {e.Message}", e), "InvalidApiPath", ErrorCategory.InvalidArgument, shown));
            return;
        }

        var action = _outFile is null ? _method.Method : $"{_method.Method}, saving the response to {_outFile}";
        var changesSomething = _method != HttpMethod.Get || _outFile is not null;
        if (changesSomething && !ShouldProcess(path.Relative, action))
        {
            return;
        }

        if (All)
        {
            WriteAllPages();
        }
        else if (_outFile is not null)
        {
            Download(path, _outFile);
        }
        else if (Send(new ApiRequest(_method, path, repeatable: _method == HttpMethod.Get, _jsonBody)) is { } response)
        {
            WriteBody(response);
        }
    }

    /// <summary>Sends one request; returns the successful response, or null after writing (or throwing) its error.</summary>
    private ApiResponse? Send(ApiRequest request)
    {
        var api = Api;
        var options = CallOptions;
        var result = RunSingle((trace, token) => api.InvokeAsync(request, options, trace, token));
        WritePacerWarnings();
        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        if (result.Failure is not { } failure)
        {
            return result.Value;
        }

        var record = ErrorRecords.FromFailure(failure, $"{request.Method.Method} {request.Path.Relative} failed", Advice(failure, request, result.Call.Attempts), Path);
        if (RunEndingPolicy.EndsRun(failure))
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
        return null;
    }

    private static string Advice(ApiFailure failure, ApiRequest request, int attempts) => failure.Kind switch
    {
        ApiFailureKind.NotFound => "Check the path against the API reference, and any id in it.",
        ApiFailureKind.Conflict => $"Gave up after {attempts} attempt(s) while the API was busy with an identical request.",
        _ when failure.IsTransient && !request.Repeatable =>
            $"A {request.Method.Method} that may have reached the API is not sent again, since the API has no idempotency keys: check whether it took effect before repeating it.",
        _ when failure.IsTransient => $"Gave up after {attempts} attempt(s); try again later (-MaxRetry, -TimeoutSec).",
        _ => ErrorRecords.GeneralAdvice(failure, attempts, "Invoke-HelloSignRequest"),
    };

    /// <summary>Saves a successful body into the file via a temporary file beside it, so a failed download leaves the old file as it was.</summary>
    private void Download(ApiPath path, string outFile)
    {
        var partial = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(outFile) ?? ".", $".{System.IO.Path.GetFileName(outFile)}.{Guid.NewGuid():N}.partial");
        try
        {
            if (Directory.Exists(outFile))
            {
                throw new IOException("It is a directory.");
            }

            File.WriteAllBytes(partial, Array.Empty<byte>());
        }
        catch (Exception e) when (IsFileProblem(e))
        {
            WriteOutFileError(outFile, e, "Nothing was sent.");
            return;
        }

        try
        {
            var response = Send(new ApiRequest(_method, path, repeatable: _method == HttpMethod.Get, _jsonBody, () => new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None)));
            if (response is null)
            {
                return;
            }

            try
            {
                if (File.Exists(outFile))
                {
                    File.Replace(partial, outFile, null);
                }
                else
                {
                    File.Move(partial, outFile);
                }
            }
            catch (Exception e) when (IsFileProblem(e))
            {
                WriteOutFileError(outFile, e, "The response arrived but could not be saved.");
                return;
            }

            WriteVerbose($"Saved the response ({response.ContentType ?? "no content type"}, {new FileInfo(outFile).Length} bytes) to {outFile}.");
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }

    private static bool IsFileProblem(Exception e) => e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    private void WriteOutFileError(string outFile, Exception e, string consequence) =>
        WriteError(new ErrorRecord(new IOException($"Cannot write '{outFile}': {e.Message} {consequence}", e), "OutFileNotWritable", ErrorCategory.WriteError, outFile));

    /// <summary>Follows list_info from page 1 to the last, writing each item once.</summary>
    private void WriteAllPages()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var path = ApiPath.FromUser(Path, QueryParameters(page));
            if (Send(new ApiRequest(_method, path, repeatable: true)) is not { } response)
            {
                return;
            }

            if (ListPage.TryRead(response.Body) is not { } listed)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"-All follows list_info pages, but the answer to {path.Relative} is not a page of a list endpoint (an object with list_info and one array). Run it without -All."),
                    "NotAListEndpoint",
                    ErrorCategory.InvalidResult,
                    Path));
                return;
            }

            WriteProgress(new ProgressRecord(1, $"Reading {Path}", $"Page {page} of {Math.Max(page, listed.NumberOfPages)}")
            {
                PercentComplete = Math.Min(100, 100 * page / Math.Max(1, listed.NumberOfPages)),
            });

            // An item created while paging shifts the pages; don't write it twice.
            var fresh = listed.Items.Where(seen.Add).ToList();
            if (Raw)
            {
                fresh.ForEach(WriteObject);
            }
            else if (fresh.Count > 0)
            {
                WriteJson("[" + string.Join(",", fresh) + "]");
            }

            if (listed.IsLast)
            {
                break;
            }
        }

        WriteProgress(new ProgressRecord(1, $"Reading {Path}", "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>Nothing for an empty body; the text with -Raw; else the JSON as ConvertFrom-Json gives it.</summary>
    private void WriteBody(ApiResponse response)
    {
        if (response.Body.Trim().Length == 0)
        {
            return;
        }

        if (Raw)
        {
            WriteObject(response.Body);
            return;
        }

        if (!JsonReading.IsJson(response.Body))
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException($"The API answered {response.StatusText} with {response.ContentType ?? "no content type"}, which is not JSON: save it with -OutFile, or read it as text with -Raw."),
                "ResponseNotJson",
                ErrorCategory.InvalidResult,
                Path));
            return;
        }

        WriteJson(response.Body);
    }

    private void WriteJson(string json)
    {
        foreach (var value in InvokeCommand.InvokeScript("param($json) Microsoft.PowerShell.Utility\\ConvertFrom-Json -InputObject $json", true, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, json))
        {
            // Windows PowerShell's ConvertFrom-Json writes an array as one object; PowerShell 7 enumerates it.
            WriteObject(value, enumerateCollection: true);
        }
    }

    /// <summary>A string must already be JSON; anything else is converted as ConvertTo-Json would.</summary>
    private byte[] ToJson(object body)
    {
        var value = body is PSObject wrapped ? wrapped.BaseObject : body;
        if (value is string text)
        {
            if (!JsonReading.IsJson(text))
            {
                ThrowInvalidArgument("BodyNotJson", "-Body is a string but not JSON. Pass a hashtable or object to have it converted, or a JSON text.");
            }

            return Encoding.UTF8.GetBytes(text);
        }

        var converted = InvokeCommand.InvokeScript("param($body) Microsoft.PowerShell.Utility\\ConvertTo-Json -InputObject $body -Depth 32 -Compress", true, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, body);
        return Encoding.UTF8.GetBytes(string.Concat(converted.Select(line => line.BaseObject)));
    }

    private IEnumerable<KeyValuePair<string, object?>> QueryParameters(int? page)
    {
        var parameters = (Query?.Keys.Cast<object>() ?? Enumerable.Empty<object>())
            .Select(key => new KeyValuePair<string, object?>(key?.ToString() ?? string.Empty, Query![key!] is PSObject wrapped ? wrapped.BaseObject : Query[key!]))
            .ToList();
        if (page is { } number)
        {
            parameters.RemoveAll(p => p.Key == "page");
            parameters.Add(new("page", number));
            if (!parameters.Any(p => p.Key == "page_size"))
            {
                parameters.Add(new("page_size", AllPageSize));
            }
        }

        return parameters;
    }

    private void ThrowInvalidArgument(string errorId, string message) =>
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, Path));
}
