using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HelloSign.Emulator;

/// <summary>
/// How long an accepted cancel stays queued: cancel_delay_ms plus a jitter drawn per request id from the
/// config's seed, so one run repeats exactly while requests in a bulk run still complete at different times.
/// </summary>
internal static class CancelDelay
{
    // Without a configured seed every emulator process draws differently, as unseeded fault dice do.
    private static readonly int UnseededSalt = Random.Shared.Next();

    public static int For(EmulatorConfig config, string signatureRequestId)
    {
        if (config.CancelDelayJitterMs == 0)
        {
            return config.CancelDelayMs;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{config.Seed ?? UnseededSalt}:{signatureRequestId}"));
        var draw = BinaryPrimitives.ReadUInt32LittleEndian(hash) % ((uint)config.CancelDelayJitterMs + 1);
        return config.CancelDelayMs + (int)draw;
    }
}
