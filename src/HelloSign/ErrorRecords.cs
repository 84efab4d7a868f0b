using System;
using System.Management.Automation;
using HelloSign.Core.Errors;

namespace HelloSign;

/// <summary>Builds the module's ErrorRecords: a stable ErrorId, a category that fits the cause, the item as TargetObject.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord FromFailure(ApiFailure failure, string whatFailed, string advice, object? target) =>
        new(
            new HelloSignApiException($"{whatFailed}: {failure.Cause}: {failure.Message}{(advice.Length > 0 ? EndOfSentence(failure.Message) + advice : string.Empty)}", failure),
            failure.ErrorId,
            CategoryOf(failure.Kind),
            target);

    // A message from the network stack often ends without a full stop; the advice is a new sentence.
    private static string EndOfSentence(string message) => message.EndsWith(".", StringComparison.Ordinal) ? " " : ". ";

    public static ErrorRecord InvalidId(string input, string reason) =>
        new(new ArgumentException(reason), "InvalidSignatureRequestId", ErrorCategory.InvalidArgument, input);

    public static ErrorRecord NotConnected() =>
        new(
            new InvalidOperationException("Not connected to HelloSign: run Connect-HelloSign first, or pass a connection with -Connection."),
            "NotConnected",
            ErrorCategory.ConnectionError,
            null);

    public static ErrorRecord ConnectionClosed(HelloSignConnection connection) =>
        new(
            new InvalidOperationException($"The connection to {connection.AccountId} was closed (by Disconnect-HelloSign, or a Connect-HelloSign that replaced it). Commands already running on it finish normally; run Connect-HelloSign again for new ones."),
            "ConnectionClosed",
            ErrorCategory.ConnectionError,
            connection);

    public static ErrorRecord Unexpected(Exception exception, object? target) =>
        new(exception, "UnexpectedFailure", ErrorCategory.NotSpecified, target);

    public static ErrorCategory CategoryOf(ApiFailureKind kind) => kind switch
    {
        ApiFailureKind.BadRequest => ErrorCategory.InvalidArgument,
        ApiFailureKind.CannotCancel or ApiFailureKind.CannotRemove or ApiFailureKind.OtherClientError => ErrorCategory.InvalidOperation,
        ApiFailureKind.Unauthorized => ErrorCategory.AuthenticationError,
        ApiFailureKind.PaymentRequired or ApiFailureKind.Forbidden => ErrorCategory.PermissionDenied,
        ApiFailureKind.NotFound or ApiFailureKind.Gone => ErrorCategory.ObjectNotFound,
        ApiFailureKind.Conflict => ErrorCategory.ResourceBusy,
        ApiFailureKind.RateLimited => ErrorCategory.LimitsExceeded,
        ApiFailureKind.ServerError => ErrorCategory.ResourceUnavailable,
        ApiFailureKind.Redirect or ApiFailureKind.Tls => ErrorCategory.SecurityError,
        ApiFailureKind.InvalidResponse => ErrorCategory.ProtocolError,
        ApiFailureKind.Timeout => ErrorCategory.OperationTimeout,
        ApiFailureKind.Network => ErrorCategory.ConnectionError,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>What to do when an OAuth connection could not renew its access token.</summary>
    public const string RefreshAdvice =
        "Check -RefreshToken, -ClientId and -ClientSecret (a refresh token that was revoked, or used already by another run, needs the app to be authorized again), then run Connect-HelloSign -RefreshToken again.";

    /// <summary>What to do about a failure, whatever the operation was.</summary>
    public static string GeneralAdvice(ApiFailure failure, int attempts, string retryCommand) => failure.Kind switch
    {
        ApiFailureKind.Unauthorized when failure.ErrorName == Core.Auth.OAuthTokenEndpoint.RefreshFailedName => RefreshAdvice,
        ApiFailureKind.Unauthorized => "The API key or token was refused: check it, then run Connect-HelloSign again.",
        ApiFailureKind.PaymentRequired => "The account's plan does not allow this API call.",
        ApiFailureKind.Forbidden => "The connected account may not act on this request: only its sender, or the owner of the API app it was sent with, can.",
        ApiFailureKind.NotFound => "No signature request with this id is visible to the connected account: check the id, and the account (Get-HelloSignConnection).",
        ApiFailureKind.Tls => "Check the API address (-ApiBaseUri) and this machine's trusted certificates; certificate checks are never skipped.",
        ApiFailureKind.Timeout => $"Gave up after {attempts} attempt(s). A slow network may need a larger -TimeoutSec; retry the failed ids with: {retryCommand}",
        _ when failure.IsTransient => $"Gave up after {attempts} attempt(s). Retry the failed ids later with: {retryCommand}",
        _ => string.Empty,
    };
}
