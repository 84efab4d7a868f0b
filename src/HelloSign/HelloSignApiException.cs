using System;
using HelloSign.Core.Errors;

namespace HelloSign;

/// <summary>
/// The exception inside every HelloSign ErrorRecord that came from the API or the network.
/// Its message says what happened and what to do; it never contains a key, token or Authorization header.
/// </summary>
public sealed class HelloSignApiException : Exception
{
    public HelloSignApiException(string message, ApiFailure failure)
        : base(message)
    {
        Kind = failure.Kind;
        StatusCode = failure.StatusCode;
        ErrorName = failure.ErrorName;
        ApiMessage = failure.Message;
    }

    public ApiFailureKind Kind { get; }

    /// <summary>The HTTP status, or null when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>The API's error_name, e.g. signature_request_cancel_failed.</summary>
    public string? ErrorName { get; }

    /// <summary>The API's error_msg, or what went wrong on the way.</summary>
    public string ApiMessage { get; }
}
