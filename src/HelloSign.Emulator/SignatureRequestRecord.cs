using System.Security.Cryptography;
using System.Text;

namespace HelloSign.Emulator;

/// <summary>
/// One signature request as the emulator tracks it: the immutable seed description plus the
/// mutable cancel/remove bookkeeping. The mutable members are guarded by <see cref="EmulatorState"/>'s lock.
/// </summary>
internal sealed class SignatureRequestRecord
{
    public SignatureRequestRecord(SeedSignatureRequest seed)
    {
        Seed = seed;
        State = seed.State;
        SignatureIds = seed.Signatures.Select((_, order) => DeterministicId.Hex($"{seed.SignatureRequestId}:{order}", 32)).ToArray();
    }

    public SeedSignatureRequest Seed { get; }

    public string Id => Seed.SignatureRequestId;

    public string AccountId => Seed.AccountId;

    /// <summary>Stable signature ids, one per signer, so repeated GETs return the same values.</summary>
    public IReadOnlyList<string> SignatureIds { get; }

    public string State { get; set; }

    public int CancelCount { get; set; }

    /// <summary>Unix milliseconds of the accepted cancel; null when never canceled through the API.</summary>
    public long? CanceledAtMs { get; set; }

    /// <summary>Unix milliseconds from which the (asynchronous) cancel counts as done; 0 for requests seeded as canceled.</summary>
    public long CancelCompletesAtMs { get; set; }

    public bool Removed { get; set; }

    public bool IsCancelCompleted(long nowMs) => State == RequestStates.Canceled && nowMs >= CancelCompletesAtMs;

    /// <summary>Gone for its owner: answers 410 and is no longer listed.</summary>
    public bool IsGone(long nowMs) => Removed || IsCancelCompleted(nowMs);
}

/// <summary>Ids derived from a text, so generated data is the same on every run.</summary>
internal static class DeterministicId
{
    public static string Hex(string text, int length) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)))[..length];
}
