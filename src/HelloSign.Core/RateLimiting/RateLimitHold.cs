using System;

namespace HelloSign.Core.RateLimiting;

/// <summary>What a 429 leads to: how long to wait and why, and whether every request waits or only the one answered.</summary>
public readonly struct RateLimitHold
{
    public RateLimitHold(TimeSpan wait, string reason, bool onlyThisRequest)
    {
        Wait = wait;
        Reason = reason;
        OnlyThisRequest = onlyThisRequest;
    }

    /// <summary>Zero when the learned rate alone paces the retry.</summary>
    public TimeSpan Wait { get; }

    public string Reason { get; }

    /// <summary>
    /// True when only the request answered waits (for its Retry-After) while the others go on at the learned rate;
    /// otherwise the pacer holds everyone itself.
    /// </summary>
    public bool OnlyThisRequest { get; }
}
