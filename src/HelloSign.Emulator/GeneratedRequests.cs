namespace HelloSign.Emulator;

/// <summary>Builds the bulk requests of POST /__emulator/generate: plausible, and identical on every run.</summary>
internal static class GeneratedRequests
{
    /// <summary>2025-01-01T00:00:00Z; request n is created n minutes later.</summary>
    private const long FirstCreatedAt = 1735689600;

    public static SeedSignatureRequest Create(int number, string accountId, string requesterEmail, string state)
    {
        var createdAt = FirstCreatedAt + number * 60L;
        return new SeedSignatureRequest
        {
            SignatureRequestId = DeterministicId.Hex($"gen-{number}", 40),
            AccountId = accountId,
            Title = $"Generated request {number}",
            Subject = $"Please sign generated request {number}",
            Message = "Created by the emulator's generate endpoint.",
            RequesterEmailAddress = requesterEmail,
            CreatedAt = createdAt,
            State = state,
            Signatures = SignersFor(number, state, signedAt: createdAt + 3600),
        };
    }

    /// <summary>Signer statuses consistent with the request state (one signer, two when partially signed).</summary>
    private static SeedSignature[] SignersFor(int number, string state, long signedAt)
    {
        SeedSignature Signer(int index, string statusCode) => new()
        {
            SignerEmailAddress = $"signer{number}-{index}@example.test",
            SignerName = $"Signer {number}-{index}",
            StatusCode = statusCode,
            SignedAt = statusCode == "signed" ? signedAt : null,
        };

        return state switch
        {
            RequestStates.PartiallySigned => [Signer(1, "signed"), Signer(2, RequestStates.AwaitingSignature)],
            RequestStates.Complete => [Signer(1, "signed")],
            RequestStates.Declined => [Signer(1, RequestStates.Declined)],
            _ => [Signer(1, RequestStates.AwaitingSignature)],
        };
    }
}
