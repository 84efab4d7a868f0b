namespace HelloSign.Core.Errors;

/// <summary>Why a call failed, in terms a caller can act on. The cmdlets map it to an ErrorCategory.</summary>
public enum ApiFailureKind
{
    /// <summary>400: the API refused the request as malformed.</summary>
    BadRequest,
    /// <summary>400 signature_request_cancel_failed: completed, declined, or not the sender's to cancel.</summary>
    CannotCancel,
    /// <summary>400 signature_request_remove_failed: not complete yet, or not a party to it.</summary>
    CannotRemove,
    /// <summary>401: the key or token is wrong; every later call will fail the same way.</summary>
    Unauthorized,
    /// <summary>402: the account's plan doesn't allow it.</summary>
    PaymentRequired,
    /// <summary>403: not allowed for this account.</summary>
    Forbidden,
    /// <summary>404: no such request for this account.</summary>
    NotFound,
    /// <summary>409: an identical request is in progress.</summary>
    Conflict,
    /// <summary>410: canceled or deleted.</summary>
    Gone,
    /// <summary>429: over the rate limit.</summary>
    RateLimited,
    /// <summary>5xx: the service failed.</summary>
    ServerError,
    /// <summary>Another 4xx the module has no special meaning for.</summary>
    OtherClientError,
    /// <summary>A 3xx: the module never follows redirects, so credentials stay with the API host.</summary>
    Redirect,
    /// <summary>A response the API would not send: not JSON where JSON was due, truncated, or an unexpected status.</summary>
    InvalidResponse,
    /// <summary>No response within the per-request timeout.</summary>
    Timeout,
    /// <summary>Connection refused, reset or dropped.</summary>
    Network,
    /// <summary>TLS handshake or certificate failure.</summary>
    Tls,
}
