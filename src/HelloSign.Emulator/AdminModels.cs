namespace HelloSign.Emulator;

// Bodies of the /__emulator admin API (snake_case like everything else).

/// <summary>Where one signature request stands. canceled_at_ms is Unix milliseconds (null if never canceled through the API).</summary>
internal sealed record RequestStateView(
    string SignatureRequestId,
    string AccountId,
    string State,
    int CancelCount,
    long? CanceledAtMs,
    bool CancelCompleted,
    bool Removed)
{
    public static RequestStateView From(SignatureRequestRecord record, long nowMs) => new(
        record.Id,
        record.AccountId,
        record.State,
        record.CancelCount,
        record.CanceledAtMs,
        record.IsCancelCompleted(nowMs),
        record.Removed);
}

internal sealed record GenerateRequest
{
    public int Count { get; init; }

    /// <summary>Owner of the new requests; the seed's first account when omitted.</summary>
    public string? AccountId { get; init; }

    public string State { get; init; } = RequestStates.AwaitingSignature;
}

internal sealed record GenerateResponse(IReadOnlyList<string> Ids);
