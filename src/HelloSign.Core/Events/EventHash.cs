using System;
using System.Security.Cryptography;
using System.Text;

namespace HelloSign.Core.Events;

/// <summary>
/// The callback event signature: lowercase hex HMAC-SHA256 of event_time + event_type, keyed with the API key.
/// </summary>
public static class EventHash
{
    public static string Compute(byte[] apiKey, string eventTime, string eventType)
    {
        using var hmac = new HMACSHA256(apiKey);
        var digest = hmac.ComputeHash(Encoding.UTF8.GetBytes(eventTime + eventType));
        var hex = new StringBuilder(digest.Length * 2);
        foreach (var b in digest)
        {
            hex.Append(b.ToString("x2"));
        }

        return hex.ToString();
    }

    /// <summary>Compares in constant time (for equal lengths), so timing reveals nothing about the expected hash.</summary>
    public static bool Matches(byte[] apiKey, string eventTime, string eventType, string? givenHash)
    {
        if (givenHash is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(apiKey, eventTime, eventType));
        var given = Encoding.ASCII.GetBytes(givenHash.Trim().ToLowerInvariant());
        var difference = expected.Length ^ given.Length;
        for (var i = 0; i < expected.Length; i++)
        {
            difference |= expected[i] ^ (i < given.Length ? given[i] : 0);
        }

        return difference == 0;
    }
}
