using System.Diagnostics;

namespace HelloSign.Emulator;

/// <summary>The API's error bodies, {"error":{"error_msg","error_name"}}; built once since they never change.</summary>
internal static class ApiErrors
{
    public static readonly IResult Unauthorized = Error(401, "unauthorized", "Unauthorized user. No credentials supplied.");
    public static readonly IResult Forbidden = Error(403, "forbidden", "You do not have access to this resource.");
    public static readonly IResult ApiKeyRequired = Error(403, "forbidden", "This endpoint can only be used with API key authentication.");
    public static readonly IResult NotFound = Error(404, "not_found", "Not found.");

    // Worded apart from NotFound so that "no such endpoint" never reads as "no such signature request".
    public static readonly IResult UnknownEndpoint = Error(404, "not_found", "No API endpoint has this path (or the emulator does not implement it).");
    public static readonly IResult AccountNotFound = Error(404, "not_found", "No account has this account_id or email_address.");
    public static readonly IResult Conflict = Error(409, "conflict", "An identical request is already being processed.");
    public static readonly IResult Deleted = Error(410, "deleted", "This resource has been deleted.");
    public static readonly IResult ExceededRate = Error(429, "exceeded_rate", "Too many requests.");
    public static readonly IResult Unknown = Error(500, "unknown", "An unknown error occurred.");
    public static readonly IResult Maintenance = Error(503, "maintenance", "Dropbox Sign is down for maintenance. Please try again shortly.");

    public static readonly IResult CancelFailed = Error(
        400, "signature_request_cancel_failed", "Either you are not the requester or the request can no longer be cancelled.");

    public static readonly IResult RemoveFailed = Error(
        400, "signature_request_remove_failed", "The signature request is not yet fully executed, so access to it cannot be removed.");

    public static IResult BadRequest(string message) => Error(400, "bad_request", message);

    public static IResult MethodNotSupported(string method) =>
        Error(405, "method_not_supported", $"The {method} method is not supported by this endpoint; the Allow header lists those that are.");

    public static IResult For(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.NotFound => NotFound,
        RequestOutcome.Forbidden => Forbidden,
        RequestOutcome.Deleted => Deleted,
        RequestOutcome.CannotCancel => CancelFailed,
        RequestOutcome.CannotRemove => RemoveFailed,
        _ => throw new UnreachableException($"{outcome} is not an error."),
    };

    private static IResult Error(int status, string name, string message) =>
        Results.Json(new ErrorResponse(new ErrorDetail(message, name)), contentType: "application/json", statusCode: status);
}
