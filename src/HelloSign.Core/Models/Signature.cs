using System;
using System.Text.Json;
using HelloSign.Core.Models;

namespace HelloSign;

/// <summary>One signer's part in a signature request.</summary>
public sealed class Signature
{
    public string? SignatureId { get; set; }
    public string? SignerEmailAddress { get; set; }
    public string? SignerName { get; set; }
    public string? SignerRole { get; set; }
    public int? Order { get; set; }

    /// <summary>awaiting_signature, signed, declined, on_hold, ...: an open set, kept as the API sends it.</summary>
    public string? StatusCode { get; set; }

    public DateTimeOffset? SignedAt { get; set; }
    public DateTimeOffset? LastViewedAt { get; set; }
    public DateTimeOffset? LastRemindedAt { get; set; }
    public string? DeclineReason { get; set; }
    public bool? HasPin { get; set; }
    public string? Error { get; set; }

    internal static Signature FromJson(JsonElement json) => new()
    {
        SignatureId = JsonReading.String(json, "signature_id"),
        SignerEmailAddress = JsonReading.String(json, "signer_email_address"),
        SignerName = JsonReading.String(json, "signer_name"),
        SignerRole = JsonReading.String(json, "signer_role"),
        Order = JsonReading.Int32(json, "order"),
        StatusCode = JsonReading.String(json, "status_code"),
        SignedAt = JsonReading.UnixTime(json, "signed_at"),
        LastViewedAt = JsonReading.UnixTime(json, "last_viewed_at"),
        LastRemindedAt = JsonReading.UnixTime(json, "last_reminded_at"),
        DeclineReason = JsonReading.String(json, "decline_reason"),
        HasPin = JsonReading.Boolean(json, "has_pin"),
        Error = JsonReading.String(json, "error"),
    };

    public override string ToString() => $"{SignerEmailAddress} ({StatusCode})";
}
