using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.RateLimiting;

namespace HelloSign.Core.Retry;

/// <summary>The end of a call after all its attempts: the last response (success or not), or the failure.</summary>
public sealed class ApiCallResult
{
    public ApiCallResult(ApiResponse? response, ApiFailure? failure, int attempts, int transientRetries, int rateLimitRetries, bool earlierAttemptMayHaveArrived)
    {
        Response = response;
        Failure = failure;
        Attempts = attempts;
        TransientRetries = transientRetries;
        RateLimitRetries = rateLimitRetries;
        EarlierAttemptMayHaveArrived = earlierAttemptMayHaveArrived;
    }

    /// <summary>The last response received, when there was one.</summary>
    public ApiResponse? Response { get; }

    /// <summary>Set when the call did not succeed (status not 2xx, or no response).</summary>
    public ApiFailure? Failure { get; }

    public int Attempts { get; }
    public int TransientRetries { get; }
    public int RateLimitRetries { get; }

    /// <summary>
    /// An earlier attempt failed in a way that leaves open whether the server acted on it
    /// (a timeout, a dropped connection, a 5xx): a later 410 may then be the effect of our own request.
    /// </summary>
    public bool EarlierAttemptMayHaveArrived { get; }

    public RateLimitInfo RateLimit => Response?.RateLimit ?? RateLimitInfo.None;
}
