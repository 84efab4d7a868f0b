namespace HelloSign.Emulator;

/// <summary>What an operation on one signature request came to; the API layer maps it to a status code.</summary>
internal enum RequestOutcome
{
    Ok,
    NotFound,
    Forbidden,
    Deleted,
    CannotCancel,
    CannotRemove,
}

/// <summary>
/// All signature requests and the rules for reading, canceling and removing them.
/// Requests arrive concurrently, so every access goes through one lock; each operation is short.
/// </summary>
internal sealed class EmulatorState
{
    private readonly Lock _gate = new();
    private readonly SeedData _seed;
    private Dictionary<string, SignatureRequestRecord> _requests = [];
    private int _generatedCount;

    public EmulatorState(SeedData seed)
    {
        _seed = seed;
        Reset();
    }

    /// <summary>Back to exactly what the seed describes; generated requests are dropped and their numbering restarts.</summary>
    public void Reset()
    {
        var requests = _seed.SignatureRequests.ToDictionary(r => r.SignatureRequestId, r => new SignatureRequestRecord(r), StringComparer.Ordinal);
        lock (_gate)
        {
            _requests = requests;
            _generatedCount = 0;
        }
    }

    public RequestOutcome Get(string id, string accountId, out SignatureRequestResponse? response)
    {
        lock (_gate)
        {
            var outcome = Access(id, accountId, UnixTime.NowMs(), out var record);
            response = outcome == RequestOutcome.Ok ? SignatureRequestResponse.From(record!) : null;
            return outcome;
        }
    }

    /// <summary>Queues a cancel: it counts as done <paramref name="cancelDelayMs"/> later (the real API is asynchronous too).</summary>
    public RequestOutcome Cancel(string id, string accountId, int cancelDelayMs, out long completesAtMs)
    {
        completesAtMs = 0;
        lock (_gate)
        {
            var nowMs = UnixTime.NowMs();
            var outcome = Access(id, accountId, nowMs, out var record);
            if (outcome != RequestOutcome.Ok)
            {
                return outcome;
            }

            // A cancel that is still pending is already "deleted" as far as a second cancel is concerned.
            if (record!.State == RequestStates.Canceled)
            {
                return RequestOutcome.Deleted;
            }

            if (!RequestStates.IsCancelable(record.State))
            {
                return RequestOutcome.CannotCancel;
            }

            record.State = RequestStates.Canceled;
            record.CancelCount++;
            record.CanceledAtMs = nowMs;
            record.CancelCompletesAtMs = completesAtMs = nowMs + cancelDelayMs;
            return RequestOutcome.Ok;
        }
    }

    public RequestOutcome Remove(string id, string accountId)
    {
        lock (_gate)
        {
            var outcome = Access(id, accountId, UnixTime.NowMs(), out var record);
            if (outcome != RequestOutcome.Ok)
            {
                return outcome;
            }

            if (!RequestStates.IsRemovable(record!.State))
            {
                return RequestOutcome.CannotRemove;
            }

            record.Removed = true;
            return RequestOutcome.Ok;
        }
    }

    /// <summary>One page of the visible requests matching <paramref name="include"/>, newest first.</summary>
    public (int Total, List<SignatureRequestResponse> Page) List(Func<SignatureRequestRecord, bool> include, int page, int pageSize)
    {
        lock (_gate)
        {
            var nowMs = UnixTime.NowMs();
            var matches = _requests.Values
                .Where(r => !r.IsGone(nowMs) && include(r))
                .OrderByDescending(r => r.Seed.CreatedAt)
                .ThenBy(r => r.Id, StringComparer.Ordinal)
                .ToList();
            var pageItems = matches
                .Skip((page - 1) * pageSize)
                .Take(pageSize)
                .Select(SignatureRequestResponse.From)
                .ToList();
            return (matches.Count, pageItems);
        }
    }

    /// <summary>Adds <paramref name="count"/> requests with ids that are the same on every run (SHA-1 of "gen-&lt;n&gt;").</summary>
    public List<string> Generate(int count, string accountId, string requesterEmail, string state)
    {
        var ids = new List<string>(count);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var record = new SignatureRequestRecord(GeneratedRequests.Create(++_generatedCount, accountId, requesterEmail, state));
                _requests[record.Id] = record;
                ids.Add(record.Id);
            }
        }

        return ids;
    }

    public List<RequestStateView> Snapshot()
    {
        lock (_gate)
        {
            var nowMs = UnixTime.NowMs();
            return _requests.Values.Select(r => RequestStateView.From(r, nowMs)).ToList();
        }
    }

    public RequestStateView? Snapshot(string id)
    {
        lock (_gate)
        {
            return _requests.TryGetValue(id, out var record) ? RequestStateView.From(record, UnixTime.NowMs()) : null;
        }
    }

    /// <summary>The checks every single-request operation starts with: exists, belongs to the caller, not gone.</summary>
    private RequestOutcome Access(string id, string accountId, long nowMs, out SignatureRequestRecord? record)
    {
        if (!_requests.TryGetValue(id, out record))
        {
            return RequestOutcome.NotFound;
        }

        if (record.AccountId != accountId)
        {
            return RequestOutcome.Forbidden;
        }

        return record.IsGone(nowMs) ? RequestOutcome.Deleted : RequestOutcome.Ok;
    }
}
