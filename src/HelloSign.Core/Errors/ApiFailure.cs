using System.Globalization;
using System.Linq;
using System.Text;

namespace HelloSign.Core.Errors;

/// <summary>A failed call: what the API (or the network) said, and what kind of failure that is.</summary>
public sealed class ApiFailure
{
    public ApiFailure(ApiFailureKind kind, int? statusCode, string? errorName, string message)
    {
        Kind = kind;
        StatusCode = statusCode;
        ErrorName = errorName;
        Message = message;
    }

    public ApiFailureKind Kind { get; }

    /// <summary>The HTTP status, or null when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>The API's error_name, when the body had one.</summary>
    public string? ErrorName { get; }

    /// <summary>The API's error_msg, or a description of what went wrong.</summary>
    public string Message { get; }

    /// <summary>
    /// A stable identifier to filter errors by: the API's error_name in PascalCase when it gave one
    /// (signature_request_cancel_failed → SignatureRequestCancelFailed), else the failure kind.
    /// </summary>
    public string ErrorId => ErrorName is { Length: > 0 } name && ToPascalCase(name) is { Length: > 0 } id ? id : Kind.ToString();

    /// <summary>Worth trying again after a pause: the same request may well succeed.</summary>
    public bool IsTransient => Kind is ApiFailureKind.ServerError or ApiFailureKind.Conflict or ApiFailureKind.Timeout
        or ApiFailureKind.Network or ApiFailureKind.InvalidResponse;

    /// <summary>"HTTP 404 not_found" or "Timeout": the cause in a few words.</summary>
    public string Cause => StatusCode is { } status
        ? string.Join(" ", new[] { "HTTP " + status.ToString(CultureInfo.InvariantCulture), ErrorName }.Where(part => !string.IsNullOrEmpty(part)))
        : Kind.ToString();

    public override string ToString() => $"{Cause}: {Message}";

    /// <summary>Letters and digits only, so a hostile error_name can't forge an odd-looking ErrorId.</summary>
    internal static string ToPascalCase(string name)
    {
        var builder = new StringBuilder();
        var upperNext = true;
        foreach (var c in name.Take(64))
        {
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9')
            {
                builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            else
            {
                upperNext = true;
            }
        }

        return builder.ToString();
    }
}
