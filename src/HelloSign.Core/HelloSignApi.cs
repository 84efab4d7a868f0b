using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.Models;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Retry;
using HelloSign.Core.Text;

namespace HelloSign.Core;

/// <summary>The outcome of one API operation: a value, or the failure, with the call's details and the API's warnings.</summary>
public sealed class ApiResult<T>
{
    internal ApiResult(T? value, ApiFailure? failure, ApiCallResult call, IReadOnlyList<string> warnings)
    {
        Value = value;
        Failure = failure;
        Call = call;
        Warnings = warnings;
    }

    public T? Value { get; }
    public ApiFailure? Failure { get; }
    public ApiCallResult Call { get; }

    /// <summary>The API's "warnings" (warning_name: warning_msg); never a reason to fail.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool Succeeded => Failure is null;
}

/// <summary>
/// The API operations the module uses, over one connection's HTTP client and rate-limit budget.
/// Each answers in the API's own terms; what to tell the user is the cmdlets' business.
/// </summary>
public sealed class HelloSignApi : IDisposable
{
    private readonly ApiCaller _caller;

    public HelloSignApi(HelloSignHttpClient http, RateLimitPacer? pacer = null, Clock? clock = null)
    {
        Http = http;
        Pacer = pacer ?? new RateLimitPacer(clock);
        _caller = new ApiCaller(http, Pacer, clock);
    }

    public HelloSignHttpClient Http { get; }
    public RateLimitPacer Pacer { get; }

    public Task<ApiResult<Account>> GetAccountAsync(ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken) =>
        ReadAsync(HttpMethod.Get, ApiPath.Account(), options, trace, root => JsonReading.Object(root, "account") is { } account ? Account.FromJson(account) : null, cancellationToken);

    public Task<ApiResult<SignatureRequest>> GetSignatureRequestAsync(string id, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken) =>
        ReadAsync(HttpMethod.Get, ApiPath.Get(id), options, trace, root => JsonReading.Object(root, "signature_request") is { } request ? SignatureRequest.FromJson(request) : null, cancellationToken);

    public Task<ApiResult<SignatureRequestPage>> ListSignatureRequestsAsync(int page, int pageSize, string? query, string? accountId, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken) =>
        ReadAsync(HttpMethod.Get, ApiPath.List(page, pageSize, query, accountId), options, trace, ReadPage, cancellationToken);

    /// <summary>POST /signature_request/cancel/{id}: Queued on 200, Gone on 410, else the failure.</summary>
    public Task<ApiResult<SignatureRequestActionStatus>> CancelAsync(string id, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken) =>
        ActAsync(ApiPath.Cancel(id), SignatureRequestActionStatus.Queued, options, trace, cancellationToken);

    /// <summary>POST /signature_request/remove/{id}: Removed on 200, Gone on 410, else the failure.</summary>
    public Task<ApiResult<SignatureRequestActionStatus>> RemoveAsync(string id, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken) =>
        ActAsync(ApiPath.Remove(id), SignatureRequestActionStatus.Removed, options, trace, cancellationToken);

    /// <summary>
    /// Any API call (Invoke-HelloSignRequest): the response as it came, with the API's warnings when the body is a
    /// JSON object. A success body longer than the bound is a failure, since part of it would be lost.
    /// </summary>
    public async Task<ApiResult<ApiResponse>> InvokeAsync(ApiRequest request, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken)
    {
        var call = await _caller.CallAsync(request, options, trace, cancellationToken).ConfigureAwait(false);
        if (call.Failure is { } failure)
        {
            return new ApiResult<ApiResponse>(null, failure, call, Array.Empty<string>());
        }

        var response = call.Response!;
        if (response.BodyTruncated)
        {
            return new ApiResult<ApiResponse>(null, ApiErrorMapper.UnexpectedSuccessBody(response), call, Array.Empty<string>());
        }

        var warnings = JsonReading.TryRead(response.Body, root => root.ValueKind == JsonValueKind.Object ? ReadWarnings(root) : null, out var read) && read is not null
            ? read
            : Array.Empty<string>();
        return new ApiResult<ApiResponse>(response, null, call, warnings);
    }

    private async Task<ApiResult<SignatureRequestActionStatus>> ActAsync(ApiPath path, SignatureRequestActionStatus done, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken)
    {
        var call = await _caller.CallAsync(HttpMethod.Post, path, options, trace, cancellationToken).ConfigureAwait(false);
        if (call.Failure is { Kind: ApiFailureKind.Gone })
        {
            return new ApiResult<SignatureRequestActionStatus>(SignatureRequestActionStatus.Gone, null, call, Array.Empty<string>());
        }

        if (call.Failure is { } failure)
        {
            return new ApiResult<SignatureRequestActionStatus>(default, failure, call, Array.Empty<string>());
        }

        // The API answers an empty body (or {}); any JSON object is fine. Anything else leaves the outcome unknown.
        var response = call.Response!;
        if (response.Body.Trim().Length == 0)
        {
            return new ApiResult<SignatureRequestActionStatus>(done, null, call, Array.Empty<string>());
        }

        return JsonReading.TryRead(response.Body, root => root.ValueKind == JsonValueKind.Object ? ReadWarnings(root) : null, out var warnings) && warnings is not null
            ? new ApiResult<SignatureRequestActionStatus>(done, null, call, warnings)
            : new ApiResult<SignatureRequestActionStatus>(default, ApiErrorMapper.UnexpectedSuccessBody(response), call, Array.Empty<string>());
    }

    private async Task<ApiResult<T>> ReadAsync<T>(HttpMethod method, ApiPath path, ApiCallOptions options, Action<string>? trace, Func<JsonElement, T?> read, CancellationToken cancellationToken)
        where T : class
    {
        var call = await _caller.CallAsync(method, path, options, trace, cancellationToken).ConfigureAwait(false);
        if (call.Failure is { } failure)
        {
            return new ApiResult<T>(null, failure, call, Array.Empty<string>());
        }

        var response = call.Response!;
        if (!response.BodyTruncated &&
            JsonReading.TryRead(response.Body, root => root.ValueKind == JsonValueKind.Object ? (Value: read(root), Warnings: ReadWarnings(root)) : default, out var parsed) &&
            parsed.Value is { } value)
        {
            return new ApiResult<T>(value, null, call, parsed.Warnings);
        }

        return new ApiResult<T>(null, ApiErrorMapper.UnexpectedSuccessBody(response), call, Array.Empty<string>());
    }

    private static SignatureRequestPage? ReadPage(JsonElement root)
    {
        if (JsonReading.Object(root, "list_info") is not { } info)
        {
            return null;
        }

        var items = JsonReading.Objects(root, "signature_requests").Select(SignatureRequest.FromJson).ToList();
        return new SignatureRequestPage(items, JsonReading.Int32(info, "page") ?? 1, JsonReading.Int32(info, "num_pages") ?? 1, JsonReading.Int32(info, "num_results"));
    }

    private static IReadOnlyList<string> ReadWarnings(JsonElement root) =>
        JsonReading.Objects(root, "warnings")
            .Select(w => SafeText.Flattened($"{JsonReading.String(w, "warning_name") ?? "warning"}: {JsonReading.String(w, "warning_msg")}"))
            .ToList();

    public void Dispose() => Http.Dispose();
}
