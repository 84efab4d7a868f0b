namespace HelloSign.Emulator;

// The signature_request_canceled event as Dropbox Sign posts it (form field "json"), and the record of each delivery attempt.

internal sealed record EventCallback(CallbackEvent Event, SignatureRequestResponse SignatureRequest);

internal sealed record CallbackEvent(string EventTime, string EventType, string EventHash, EventMetadata EventMetadata);

internal sealed record EventMetadata(string? RelatedSignatureId, string? ReportedForAccountId, string? ReportedForAppId, string? EventMessage);

/// <summary>One POST to the callback URL. Status 0 means no HTTP answer (connection failed or timed out).</summary>
internal sealed record CallbackAttempt(
    string SignatureRequestId,
    int Attempt,
    int Status,
    bool ReplyOk,
    string? Error,
    string EventTime,
    long AttemptedAtMs);

/// <summary>A cancel whose completion must be announced: what to send, where, and how persistently.</summary>
internal sealed record CallbackJob(
    string SignatureRequestId,
    SeedAccount Account,
    string Url,
    long DueAtMs,
    int RetryMs,
    int MaxAttempts);
