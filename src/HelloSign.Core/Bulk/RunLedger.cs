using System;
using System.Collections.Generic;

namespace HelloSign.Core.Bulk;

/// <summary>Where one distinct id of a run stands. Every state but <see cref="Admitted"/> and <see cref="InFlight"/> is final.</summary>
public enum IdState : byte
{
    /// <summary>Accepted and waiting to be confirmed and sent.</summary>
    Admitted,
    /// <summary>Sent (or waiting for its turn); no answer yet.</summary>
    InFlight,
    Queued,
    Gone,
    Removed,
    Canceled,
    /// <summary>With -Wait: queued, but still readable when the wait ran out or the check failed.</summary>
    Pending,
    /// <summary>Read by Get- by id.</summary>
    Read,
    Failed,
    /// <summary>The journal of an earlier run already has a final outcome for it: nothing sent.</summary>
    Skipped,
    /// <summary>-WhatIf: shown, not sent.</summary>
    Previewed,
    /// <summary>The user answered No at the prompt.</summary>
    NotConfirmed,
    /// <summary>The run had already ended (a failure every later id would share) before it was sent.</summary>
    NotSent,
    /// <summary>The run was stopped (Ctrl+C, a terminating error) before an answer came: whether it was sent is unknown.</summary>
    Abandoned,
}

/// <summary>
/// The one record of a run: each distinct id's state, plus the inputs that were not ids. The summary is read
/// from it, and the counts per state change only with the states themselves, so they cannot drift apart.
/// Used on the caller's thread only.
/// </summary>
public sealed class RunLedger
{
    private static readonly int StateCount = Enum.GetValues(typeof(IdState)).Length;

    private readonly IdTable _ids = new();
    private readonly int[] _counts = new int[StateCount];

    /// <summary>Blank values (empty lines): skipped quietly.</summary>
    public int Blank { get; private set; }

    /// <summary>Values that are not ids.</summary>
    public int Invalid { get; private set; }

    /// <summary>Repeats of an id already in the ledger.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Distinct ids.</summary>
    public int Distinct => _ids.Count;

    /// <summary>Every value received: each is a blank, an invalid value, a repeat, or one distinct id.</summary>
    public int Received => Blank + Invalid + Duplicates + Distinct;

    /// <summary>Bytes the per-id table holds, for the memory budget.</summary>
    public long ReservedBytes => _ids.ReservedBytes;

    public int Count(IdState state) => _counts[(int)state];

    /// <summary>Ids with an answer from the API, or a final error: for progress and the summary's rate.</summary>
    public int Answered =>
        Count(IdState.Queued) + Count(IdState.Gone) + Count(IdState.Removed) + Count(IdState.Canceled) +
        Count(IdState.Pending) + Count(IdState.Read) + Count(IdState.Failed);

    public void CountBlank() => Blank++;

    public void CountInvalid() => Invalid++;

    /// <summary>Adds a new id in <paramref name="state"/>; for an id already there, counts a duplicate and returns false.</summary>
    public bool Add(string id, IdState state)
    {
        if (!_ids.TryAdd(id, (byte)state))
        {
            Duplicates++;
            return false;
        }

        _counts[(int)state]++;
        return true;
    }

    public IdState StateOf(string id) =>
        _ids.TryGet(id, out var state) ? (IdState)state : throw new KeyNotFoundException($"{id} is not in this run.");

    public void Set(string id, IdState state)
    {
        var previous = StateOf(id);
        _ids.Set(id, (byte)state);
        _counts[(int)previous]--;
        _counts[(int)state]++;
    }

    public IEnumerable<KeyValuePair<string, IdState>> Entries()
    {
        foreach (var entry in _ids.Entries())
        {
            yield return new KeyValuePair<string, IdState>(entry.Key, (IdState)entry.Value);
        }
    }
}
