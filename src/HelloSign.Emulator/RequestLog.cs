using System.Diagnostics;

namespace HelloSign.Emulator;

/// <summary>One /v3 request as the admin log shows it. Times are milliseconds since the emulator started.</summary>
internal sealed record RequestLogEntry(
    long Seq,
    string Method,
    string Path,
    string Query,
    string AuthScheme,
    string? AccountId,
    int Status,
    string? Fault,
    double StartedAtMs,
    double EndedAtMs,
    string? UserAgent);

internal sealed record RequestStats(long TotalRequests, int MaxInFlight, int InFlight);

/// <summary>
/// Records every /v3 request and how many ran at once (to prove a client's concurrency).
/// A request gets its sequence number on arrival and its immutable entry when it ends.
/// </summary>
internal sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly List<RequestLogEntry> _entries = [];
    private long _lastSeq;
    private long _clearedThroughSeq;
    private long _total;
    private int _inFlight;
    private int _maxInFlight;

    public double ElapsedMs => _uptime.Elapsed.TotalMilliseconds;

    public (long Seq, double StartedAtMs) Begin()
    {
        lock (_gate)
        {
            _total++;
            _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
            return (++_lastSeq, ElapsedMs);
        }
    }

    public void End(RequestLogEntry entry)
    {
        lock (_gate)
        {
            _inFlight--;
            // A request that arrived before the last clear belongs to the cleared history.
            if (entry.Seq > _clearedThroughSeq)
            {
                _entries.Add(entry);
            }
        }
    }

    /// <summary>Entries in arrival order (they are added in completion order).</summary>
    public List<RequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries.OrderBy(e => e.Seq)];
        }
    }

    public RequestStats Stats()
    {
        lock (_gate)
        {
            return new RequestStats(_total, _maxInFlight, _inFlight);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _clearedThroughSeq = _lastSeq;
            _total = 0;
            _maxInFlight = _inFlight;
        }
    }
}
