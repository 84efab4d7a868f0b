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

    /// <param name="trace">Hears, from any thread, a line per request, response, wait and retry (for -Verbose). Never a secret.</param>
    public async Task<ApiCallResult> CallAsync(HttpMethod method, ApiPath path, ApiCallOptions options, Action<string>? trace, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var transientRetries = 0;
        var rateLimitRetries = 0;
        var mayHaveArrived = false;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _pacer.WaitForTurnAsync(trace, cancellationToken).ConfigureAwait(false);
            attempts++;
            trace?.Invoke($"{method.Method} {path.Relative} (attempt {attempts})");

            (ApiResponse? response, TransportFailure? transport) sent;
            try
            {
                sent = await _http.SendAsync(method, path, options.Timeout, cancellationToken).ConfigureAwait(false);
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

            if (failure.Kind == ApiFailureKind.RateLimited)
            {
                // Rate limiting alone never fails a call: wait as the API asks (or back off) and go again.
                rateLimitRetries++;
                _pacer.OnRateLimited(response!.RateLimit);
                continue;
            }

            if (!failure.IsTransient || transientRetries >= options.MaximumRetries)
            {
                return new ApiCallResult(response, failure, attempts, transientRetries, rateLimitRetries, mayHaveArrived);
            }

            // A 409 means the server is busy with an identical request; everything else here may have been acted on.
            mayHaveArrived |= failure.Kind != ApiFailureKind.Conflict;
            transientRetries++;
            var delay = RateLimitPacer.Backoff(transientRetries, options.FirstBackoff, options.MaximumBackoff, _jitter);
            trace?.Invoke($"{failure.Cause}; retry {transientRetries} of {options.MaximumRetries} in {delay.TotalSeconds:0.0} s.");
            await _clock.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }
}
