using System;

namespace HelloSign;

/// <summary>What became of one id given to Stop- or Remove-HelloSignSignatureRequest.</summary>
public enum SignatureRequestActionStatus
{
    /// <summary>The API accepted the cancel and queued it; it completes asynchronously.</summary>
    Queued,
    /// <summary>Nothing left to act on: the API answered 410 (already canceled or deleted).</summary>
    Gone,
    /// <summary>With -Wait: the cancel completed (the request now answers 410).</summary>
    Canceled,
    /// <summary>With -Wait: still readable when the wait ran out; check again or retry the cancel.</summary>
    Pending,
    /// <summary>Your access to the completed request was removed.</summary>
    Removed,
}

/// <summary>One id's outcome, written with -PassThru. Times are UTC (offset +00:00, which Export-Csv keeps).</summary>
public sealed class SignatureRequestActionResult
{
    public string SignatureRequestId { get; set; } = string.Empty;

    /// <summary>Cancel or Remove.</summary>
    public string Action { get; set; } = string.Empty;

    public SignatureRequestActionStatus Status { get; set; }

    /// <summary>When the outcome became known.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>Requests sent for this id, retries included (0 when the outcome came from a journal).</summary>
    public int Attempts { get; set; }

    public int? RateLimitLimit { get; set; }
    public int? RateLimitRemaining { get; set; }
    public DateTimeOffset? RateLimitReset { get; set; }

    /// <summary>True when the outcome was read from a journal of an earlier run and nothing was sent.</summary>
    public bool FromJournal { get; set; }

    public override string ToString() => $"{SignatureRequestId} {Status}";
}
