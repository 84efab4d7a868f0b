using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.RateLimiting;

namespace HelloSign.Core.Retry;

/// <summary>
/// Makes one logical call: waits its turn in the connection's rate-limit budget, sends, and tries again after
/// 429s (as often as it takes) and transient faults (up to a bound), with capped exponential backoff and jitter.
/// </summary>
public sealed class ApiCaller
{
    private readonly HelloSignHttpClient _http;
    private readonly RateLimitPacer _pacer;
    private readonly Clock _clock;
    private readonly Random _jitter;

    public ApiCaller(HelloSignHttpClient http, RateLimitPacer pacer, Clock? clock = null, Random? jitter = null)
    {
        _http = http;
        _pacer = pacer;
        _clock = clock ?? Clock.System;
        _jitter = jitter ?? new Random();
    }

    /// <summary>
    /// A call of the module's own: GETs, and cancel and remove, whose repeat only answers 410 (which the module reads
    /// as done), so every transient fault may be retried.
    /// </summary>
    /// <param name="trace">Hears, from any thread, a line per request, response, wait and retry (for -Verbose). Never a secret.</param>
    public Task<ApiCallResult> CallAsync(HttpMethod method, ApiPath path, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken) =>
        CallAsync(new ApiRequest(method, path, repeatable: true), options, trace, cancellationToken);

    /// <param name="trace">Hears, from any thread, a line per request, response, wait and retry (for -Verbose). Never a secret.</param>
    public async Task<ApiCallResult> CallAsync(ApiRequest request, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken)
    {
        var method = request.Method;
        var path = request.Path;
        var attempts = 0;
        var transientRetries = 0;
        var rateLimitRetries = 0;
        var mayHaveArrived = false;
        var repeatedWithRenewedToken = false;
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, options.StopBeforeNextAttempt);

        while (true)
        {
            waits.Token.ThrowIfCancellationRequested();
            // An OAuth token that is missing or about to expire is renewed first (one refresh for the whole connection).
            if (await _http.Credential.EnsureFreshAsync(trace, waits.Token).ConfigureAwait(false) is { } refreshFailure)
            {
                return new ApiCallResult(null, refreshFailure, attempts, transientRetries, rateLimitRetries, mayHaveArrived);
            }

            var tokenVersion = _http.Credential.TokenVersion;
            await _pacer.WaitForTurnAsync(trace, waits.Token).ConfigureAwait(false);
            if (waits.IsCancellationRequested)
            {
                // The run ended while this call had its turn: give the place back rather than send after the end.
                _pacer.Release(null);
                waits.Token.ThrowIfCancellationRequested();
            }

            attempts++;
            trace?.Invoke($"{method.Method} {path.Relative} (attempt {attempts})");

            (ApiResponse? response, TransportFailure? transport) sent;
            try
            {
                sent = await _http.SendAsync(request, options.Timeout, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _pacer.Release(null);
                throw;
            }

            var response = sent.response;
            _pacer.Release(response?.RateLimit, wasRateLimited: response?.StatusCode == 429);

            ApiFailure? failure;
            if (response is not null)
            {
                trace?.Invoke($"{method.Method} {path.Relative} -> {response.StatusText} in {response.Elapsed.TotalMilliseconds:0} ms; {response.RateLimit}");
                if (response.IsSuccess)
                {
                    return new ApiCallResult(response, null, attempts, transientRetries, rateLimitRetries, mayHaveArrived);
                }

                failure = ApiErrorMapper.FromResponse(response);
            }
            else
            {
                failure = ApiErrorMapper.FromTransport(sent.transport!);
                trace?.Invoke($"{method.Method} {path.Relative} -> no response after {sent.transport!.Elapsed.TotalMilliseconds:0} ms: {failure.Message}");
            }

            if (failure.Kind == ApiFailureKind.Unauthorized && !repeatedWithRenewedToken && _http.Credential.OAuth is { } oauth)
            {
                // A 401 means the API did not act, so even a cancel is safe to repeat: once, with a renewed token.
                repeatedWithRenewedToken = true;
                if (await oauth.RefreshAfterRejectionAsync(tokenVersion, trace, waits.Token).ConfigureAwait(false) is { } refused)
                {
                    return new ApiCallResult(response, refused, attempts, transientRetries, rateLimitRetries, mayHaveArrived);
                }

                continue;
            }

            if (failure.Kind == ApiFailureKind.RateLimited)
            {
                // Rate limiting alone never fails a call: wait as the API asks (or back off) and go again.
                rateLimitRetries++;
                var hold = _pacer.OnRateLimited(response!.RateLimit);
                if (hold.OnlyThisRequest)
                {
                    await _pacer.WaitOutAsync(hold, trace, waits.Token).ConfigureAwait(false);
                }

                continue;
            }

            // Without idempotency keys, a request that may have reached the API is sent again only if repeating it is harmless.
            var certainlyNotReceived = failure.Kind == ApiFailureKind.Conflict || sent.transport?.ConnectionRefused == true;
            if (!failure.IsTransient || transientRetries >= options.MaximumRetries || !(request.Repeatable || certainlyNotReceived))
            {
                return new ApiCallResult(response, failure, attempts, transientRetries, rateLimitRetries, mayHaveArrived);
            }

            // A 409 means the server is busy with an identical request; everything else here may have been acted on.
            mayHaveArrived |= failure.Kind != ApiFailureKind.Conflict;
            transientRetries++;
            var delay = RateLimitPacer.Backoff(transientRetries, options.FirstBackoff, options.MaximumBackoff, _jitter);
            trace?.Invoke($"{failure.Cause}; retry {transientRetries} of {options.MaximumRetries} in {delay.TotalSeconds:0.0} s.");
            await _clock.Delay(delay, waits.Token).ConfigureAwait(false);
        }
    }
}
