using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using HelloSign.Core.Models;

namespace HelloSign;

/// <summary>A signature request as the API describes it. Times are UTC (offset +00:00).</summary>
public sealed class SignatureRequest
{
    public string SignatureRequestId { get; set; } = string.Empty;
    public string? Title { get; set; }
    public string? OriginalTitle { get; set; }
    public string? Subject { get; set; }
    public string? Message { get; set; }
    public string? RequesterEmailAddress { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public bool IsComplete { get; set; }
    public bool IsDeclined { get; set; }
    public bool HasError { get; set; }
    public bool TestMode { get; set; }
    public string? DetailsUrl { get; set; }
    public string? SigningUrl { get; set; }
    public string? FilesUrl { get; set; }
    public string[] CcEmailAddresses { get; set; } = Array.Empty<string>();
    public Signature[] Signatures { get; set; } = Array.Empty<Signature>();
    public IDictionary<string, object?> Metadata { get; set; } = new Dictionary<string, object?>();

    /// <summary>Not complete, not declined, no error: what Stop-HelloSignSignatureRequest can cancel.</summary>
    public bool IsIncomplete => !IsComplete && !IsDeclined && !HasError;

    /// <summary>Complete, Declined, Error or AwaitingSignature, derived from the flags.</summary>
    public string Status => IsComplete ? "Complete" : IsDeclined ? "Declined" : HasError ? "Error" : "AwaitingSignature";

    public static SignatureRequest FromJson(JsonElement json) => new()
    {
        SignatureRequestId = JsonReading.String(json, "signature_request_id") ?? string.Empty,
        Title = JsonReading.String(json, "title"),
        OriginalTitle = JsonReading.String(json, "original_title"),
        Subject = JsonReading.String(json, "subject"),
        Message = JsonReading.String(json, "message"),
        RequesterEmailAddress = JsonReading.String(json, "requester_email_address"),
        CreatedAt = JsonReading.UnixTime(json, "created_at"),
        ExpiresAt = JsonReading.UnixTime(json, "expires_at"),
        IsComplete = JsonReading.Boolean(json, "is_complete") ?? false,
        IsDeclined = JsonReading.Boolean(json, "is_declined") ?? false,
        HasError = JsonReading.Boolean(json, "has_error") ?? false,
        TestMode = JsonReading.Boolean(json, "test_mode") ?? false,
        DetailsUrl = JsonReading.String(json, "details_url"),
        SigningUrl = JsonReading.String(json, "signing_url"),
        FilesUrl = JsonReading.String(json, "files_url"),
        CcEmailAddresses = JsonReading.Strings(json, "cc_email_addresses"),
        Signatures = JsonReading.Objects(json, "signatures").Select(Signature.FromJson).ToArray(),
        Metadata = JsonReading.Object(json, "metadata") is { } metadata
            ? (IDictionary<string, object?>)JsonReading.ToPlainValue(metadata)!
            : new Dictionary<string, object?>(),
    };

    public override string ToString() => SignatureRequestId;
}
