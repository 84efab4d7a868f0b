using System.Security.Cryptography;
using System.Text;

namespace HelloSign.Emulator;

/// <summary>The event_hash of a callback: lowercase hex HMAC-SHA256 keyed with the account's API key over event_time + event_type.</summary>
internal static class EventHash
{
    public static string Compute(string apiKey, string eventTime, string eventType) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiKey), Encoding.UTF8.GetBytes(eventTime + eventType)));
}
