using System;
using System.Text.Json;
using HelloSign.Core.Http;
using HelloSign.Core.Models;
using HelloSign.Core.Text;

namespace HelloSign.Core.Errors;

/// <summary>Turns a non-success response, or a missing one, into an <see cref="ApiFailure"/>.</summary>
public static class ApiErrorMapper
{
    public static ApiFailure FromResponse(ApiResponse response)
    {
        var (name, message) = ReadErrorBody(response.Body);
        var kind = Classify(response.StatusCode, name);

        if (message is null)
        {
            // No JSON error: a proxy, gateway or load balancer answered, or the body was cut off.
            kind = kind is ApiFailureKind.ServerError or ApiFailureKind.RateLimited or ApiFailureKind.Redirect or ApiFailureKind.Gone or ApiFailureKind.Unauthorized
                ? kind
                : ApiFailureKind.InvalidResponse;
            message = DescribeNonJson(response);
        }

        if (kind == ApiFailureKind.Redirect)
        {
            message = $"The server redirected the request{(response.Location is { } to ? " to " + to.GetLeftPart(UriPartial.Authority) : string.Empty)}. Redirects are not followed, so that the key never travels to another host; check -ApiBaseUri.";
        }

        return new ApiFailure(kind, response.StatusCode, name, message);
    }

    public static ApiFailure FromTransport(TransportFailure failure) => new(
        failure.Kind switch
        {
            TransportFailureKind.Timeout => ApiFailureKind.Timeout,
            TransportFailureKind.Tls => ApiFailureKind.Tls,
            _ => ApiFailureKind.Network,
        },
        null,
        null,
        failure.Message);

    /// <summary>A 2xx whose body is not what the API sends: the outcome is unknown, never assumed.</summary>
    public static ApiFailure UnexpectedSuccessBody(ApiResponse response) => new(
        ApiFailureKind.InvalidResponse,
        response.StatusCode,
        null,
        $"The API answered {response.StatusText} but the body is not the JSON it sends ({DescribeContent(response)}), so whether it acted is unknown. Check the request's state before trying again.");

    public static ApiFailureKind Classify(int status, string? errorName)
    {
        if (status == 400 && errorName == "signature_request_cancel_failed") return ApiFailureKind.CannotCancel;
        if (status == 400 && errorName == "signature_request_remove_failed") return ApiFailureKind.CannotRemove;
        return status switch
        {
            >= 300 and < 400 => ApiFailureKind.Redirect,
            400 => ApiFailureKind.BadRequest,
            401 => ApiFailureKind.Unauthorized,
            402 => ApiFailureKind.PaymentRequired,
            403 => ApiFailureKind.Forbidden,
            404 => ApiFailureKind.NotFound,
            409 => ApiFailureKind.Conflict,
            410 => ApiFailureKind.Gone,
            429 => ApiFailureKind.RateLimited,
            >= 500 and < 600 => ApiFailureKind.ServerError,
            >= 400 and < 500 => ApiFailureKind.OtherClientError,
            _ => ApiFailureKind.InvalidResponse,
        };
    }

    /// <summary>
    /// Reads {"error":{"error_name":..,"error_msg":..}} from a body of any shape; never throws.
    /// Both are null when the body isn't such JSON.
    /// </summary>
    public static (string? Name, string? Message) ReadErrorBody(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        return JsonReading.TryRead(body, ReadError, out var error, maxDepth: 32) ? error : (null, null);
    }

    private static (string? Name, string? Message) ReadError(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("error", out var error) ||
            error.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var name = StringProperty(error, "error_name");
        var message = StringProperty(error, "error_msg");
        return (name, string.IsNullOrEmpty(message) && name is not null ? "The API gave no message." : message);
    }

    private static string? StringProperty(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString();
        return text is null ? null : SanitizeForDisplay(text);
    }

    /// <summary>Keeps API-supplied text to one readable line of bounded length.</summary>
    private static string SanitizeForDisplay(string text) => SafeText.Flattened(text);

    private static string DescribeNonJson(ApiResponse response) =>
        $"The response to HTTP {response.StatusCode} was not the API's JSON error ({DescribeContent(response)}); a proxy or gateway may have answered instead of the API.";

    private static string DescribeContent(ApiResponse response)
    {
        if (response.Body.Length == 0)
        {
            return "empty body";
        }

        var type = response.ContentType ?? "no content type";
        return response.BodyTruncated ? $"{type}, longer than the size read" : $"{type}, {response.Body.Length} characters";
    }
}
