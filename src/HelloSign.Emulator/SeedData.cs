using System.Text.Json;

namespace HelloSign.Emulator;

/// <summary>The --seed file: the accounts and signature requests the emulator starts with (and returns to on reset).</summary>
internal sealed record SeedData
{
    public IReadOnlyList<SeedAccount> Accounts { get; init; } = [];
    public IReadOnlyList<SeedSignatureRequest> SignatureRequests { get; init; } = [];

    public static SeedData Load(string path)
    {
        SeedData? seed;
        try
        {
            seed = JsonSerializer.Deserialize<SeedData>(File.ReadAllText(path), EmulatorJson.Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Seed file '{path}' is not valid: {ex.Message}", ex);
        }

        if (seed is null)
        {
            throw new InvalidDataException($"Seed file '{path}' is empty.");
        }

        seed.Validate();
        return seed;
    }

    /// <summary>Rejects seeds the emulator could not serve consistently (duplicates, dangling owners, unknown states).</summary>
    private void Validate()
    {
        if (Accounts.Count == 0)
        {
            throw new InvalidDataException("The seed needs at least one account.");
        }

        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in Accounts)
        {
            if (account.ApiKeys.Count == 0)
            {
                // The first API key signs callback events, so every account needs one.
                throw new InvalidDataException($"Account {account.AccountId} has no api_keys.");
            }

            foreach (var secret in account.ApiKeys.Concat(account.AccessTokens))
            {
                if (string.IsNullOrWhiteSpace(secret) || !secrets.Add(secret))
                {
                    throw new InvalidDataException($"Account {account.AccountId} has an empty or duplicated API key or access token.");
                }
            }
        }

        var accountIds = Accounts.Select(a => a.AccountId).ToHashSet(StringComparer.Ordinal);
        if (accountIds.Count != Accounts.Count)
        {
            throw new InvalidDataException("Account ids in the seed must be unique.");
        }

        var requestIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in SignatureRequests)
        {
            if (!requestIds.Add(request.SignatureRequestId))
            {
                throw new InvalidDataException($"Signature request {request.SignatureRequestId} appears twice in the seed.");
            }

            if (!accountIds.Contains(request.AccountId))
            {
                throw new InvalidDataException($"Signature request {request.SignatureRequestId} belongs to unknown account {request.AccountId}.");
            }

            if (!RequestStates.IsKnown(request.State))
            {
                throw new InvalidDataException($"Signature request {request.SignatureRequestId} has unknown state '{request.State}'.");
            }
        }
    }
}

internal sealed record SeedAccount
{
    public required string AccountId { get; init; }
    public required string EmailAddress { get; init; }
    public IReadOnlyList<string> ApiKeys { get; init; } = [];
    public IReadOnlyList<string> AccessTokens { get; init; } = [];
}

internal sealed record SeedSignatureRequest
{
    public required string SignatureRequestId { get; init; }
    public required string AccountId { get; init; }
    public string Title { get; init; } = "";
    public string? Subject { get; init; }
    public string? Message { get; init; }
    public string? RequesterEmailAddress { get; init; }
    public long CreatedAt { get; init; }
    public long? ExpiresAt { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Names of the uploaded files: the API searches them (filename:), though GET does not show them.</summary>
    public IReadOnlyList<string> FileNames { get; init; } = [];
    public string State { get; init; } = RequestStates.AwaitingSignature;
    public IReadOnlyList<SeedSignature> Signatures { get; init; } = [];
}

internal sealed record SeedSignature
{
    public required string SignerEmailAddress { get; init; }
    public string? SignerName { get; init; }
    public string StatusCode { get; init; } = RequestStates.AwaitingSignature;
    public long? SignedAt { get; init; }
}
