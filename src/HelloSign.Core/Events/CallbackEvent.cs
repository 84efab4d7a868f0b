using System;

namespace HelloSign;

/// <summary>A callback event from HelloSign, read from the body a handler received. Times are UTC (offset +00:00).</summary>
public sealed class CallbackEvent
{
    /// <summary>The exact reply HelloSign expects from a handler; anything else makes it retry for days.</summary>
    public const string ExpectedReply = "Hello API Event Received";

    /// <summary>e.g. signature_request_canceled, signature_request_signed, callback_test (an open set).</summary>
    public string EventType { get; set; } = string.Empty;

    public DateTimeOffset? EventTime { get; set; }

    /// <summary>event_time exactly as received (the hash is computed over this text).</summary>
    public string EventTimeText { get; set; } = string.Empty;

    public string? EventHash { get; set; }

    /// <summary>True when event_hash was checked against the API key and matched.</summary>
    public bool IsVerified { get; set; }

    public string? SignatureRequestId { get; set; }

    /// <summary>event_metadata.reported_for_account_id.</summary>
    public string? AccountId { get; set; }

    /// <summary>event_metadata.reported_for_app_id: set for API-app callbacks.</summary>
    public string? AppId { get; set; }

    /// <summary>account_callback or app_callback, as the official SDK tells them apart.</summary>
    public string CallbackType => string.IsNullOrEmpty(AppId) ? "account_callback" : "app_callback";

    public string? RelatedSignatureId { get; set; }
    public string? EventMessage { get; set; }

    /// <summary>The signature request the event is about, when the event carries one.</summary>
    public SignatureRequest? SignatureRequest { get; set; }

    /// <summary>The JSON document as received.</summary>
    public string Json { get; set; } = string.Empty;

    /// <summary>The reply to send back: <see cref="ExpectedReply"/>.</summary>
    public string Reply => ExpectedReply;

    public override string ToString() => $"{EventType} {SignatureRequestId}".TrimEnd();
}
