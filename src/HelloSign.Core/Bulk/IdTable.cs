using System;
using System.Collections.Generic;

namespace HelloSign.Core.Bulk;

/// <summary>
/// The distinct ids of a run with one byte of state each, small enough for a million streamed ids: a 40-hex id
/// (what the API issues) is kept as its 20 bytes in open-addressing tables, about 25–37 bytes per id with the
/// tables' slack; ids of other lengths (the parser allows 20–64 digits) go to an ordinary dictionary.
/// The packed ids are spread over 256 segments by hash, each growing on its own, so growing never needs the
/// whole table twice over at once. Not thread-safe: the run touches it only on the caller's thread.
/// </summary>
internal sealed class IdTable
{
    private const int PackedLength = 40;
    private const int KeyBytes = PackedLength / 2;
    private const double MaximumLoad = 0.85;
    private const int SegmentCount = 256;

    private readonly Dictionary<string, byte> _other = new(StringComparer.Ordinal);
    private readonly byte[] _scratch = new byte[KeyBytes];
    private readonly Segment[] _segments = new Segment[SegmentCount];
    private int _packedCount;

    public IdTable()
    {
        for (var i = 0; i < SegmentCount; i++)
        {
            _segments[i] = new Segment(16);
        }
    }

    public int Count => _packedCount + _other.Count;

    /// <summary>Bytes held by the packed tables, for the memory budget's test.</summary>
    public long ReservedBytes
    {
        get
        {
            var total = 0L;
            foreach (var segment in _segments)
            {
                total += segment.Keys.LongLength + segment.States.LongLength;
            }

            return total;
        }
    }

    /// <summary>One open-addressing table: keys packed back to back, and a state byte per slot (0: empty, else state + 1).</summary>
    private sealed class Segment
    {
        public Segment(int capacity)
        {
            Keys = new byte[capacity * KeyBytes];
            States = new byte[capacity];
        }

        public byte[] Keys;
        public byte[] States;
        public int Count;
    }

    public bool TryGet(string id, out byte state)
    {
        if (!TryPack(id))
        {
            return _other.TryGetValue(id, out state);
        }

        var segment = SegmentOf(_scratch, out var hash);
        var slot = Find(segment.Keys, segment.States, _scratch, hash);
        state = segment.States[slot] == 0 ? (byte)0 : (byte)(segment.States[slot] - 1);
        return segment.States[slot] != 0;
    }

    /// <summary>Adds an id with its state; false (and no change) when it is already there.</summary>
    public bool TryAdd(string id, byte state)
    {
        if (!TryPack(id))
        {
            if (_other.ContainsKey(id))
            {
                return false;
            }

            _other[id] = state;
            return true;
        }

        var segment = SegmentOf(_scratch, out var hash);
        var slot = Find(segment.Keys, segment.States, _scratch, hash);
        if (segment.States[slot] != 0)
        {
            return false;
        }

        if (segment.Count + 1 > segment.States.Length * MaximumLoad)
        {
            Grow(segment);
            slot = Find(segment.Keys, segment.States, _scratch, hash);
        }

        Buffer.BlockCopy(_scratch, 0, segment.Keys, slot * KeyBytes, KeyBytes);
        segment.States[slot] = (byte)(state + 1);
        segment.Count++;
        _packedCount++;
        return true;
    }

    /// <summary>Changes the state of an id that is already there.</summary>
    public void Set(string id, byte state)
    {
        if (!TryPack(id))
        {
            if (!_other.ContainsKey(id))
            {
                throw new KeyNotFoundException($"{id} is not in the table.");
            }

            _other[id] = state;
            return;
        }

        var segment = SegmentOf(_scratch, out var hash);
        var slot = Find(segment.Keys, segment.States, _scratch, hash);
        if (segment.States[slot] == 0)
        {
            throw new KeyNotFoundException($"{id} is not in the table.");
        }

        segment.States[slot] = (byte)(state + 1);
    }

    public IEnumerable<KeyValuePair<string, byte>> Entries()
    {
        foreach (var segment in _segments)
        {
            for (var slot = 0; slot < segment.States.Length; slot++)
            {
                if (segment.States[slot] != 0)
                {
                    yield return new KeyValuePair<string, byte>(Unpack(segment.Keys, slot), (byte)(segment.States[slot] - 1));
                }
            }
        }

        foreach (var other in _other)
        {
            yield return other;
        }
    }

    /// <summary>Packs a 40-digit lower-case hex id into the scratch key; false for any other form.</summary>
    private bool TryPack(string id)
    {
        if (id.Length != PackedLength)
        {
            return false;
        }

        for (var i = 0; i < KeyBytes; i++)
        {
            var high = Nibble(id[2 * i]);
            var low = Nibble(id[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            _scratch[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int Nibble(char c) => c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : -1;

    private static string Unpack(byte[] keys, int slot)
    {
        const string Digits = "0123456789abcdef";
        var chars = new char[PackedLength];
        for (var i = 0; i < KeyBytes; i++)
        {
            var b = keys[(slot * KeyBytes) + i];
            chars[2 * i] = Digits[b >> 4];
            chars[(2 * i) + 1] = Digits[b & 0xF];
        }

        return new string(chars);
    }

    private Segment SegmentOf(byte[] key, out ulong hash)
    {
        hash = Hash(key);
        // The top byte picks the segment; the rest, the slot within it.
        return _segments[(int)(hash >> 56)];
    }

    /// <summary>The slot holding <paramref name="key"/>, or the empty slot where it belongs (linear probing).</summary>
    private static int Find(byte[] keys, byte[] states, byte[] key, ulong hash)
    {
        var capacity = states.Length;
        var slot = (int)((hash & 0x00FF_FFFF_FFFF_FFFFUL) % (ulong)capacity);
        while (states[slot] != 0 && !SameKey(keys, slot, key))
        {
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }

        return slot;
    }

    private static bool SameKey(byte[] keys, int slot, byte[] key)
    {
        var offset = slot * KeyBytes;
        for (var i = 0; i < KeyBytes; i++)
        {
            if (keys[offset + i] != key[i])
            {
                return false;
            }
        }

        return true;
    }

    private static ulong Hash(byte[] key)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        // FNV-1a's top bits hardly depend on the last bytes, and the top byte picks the segment: mix every bit
        // into every other (murmur3's finalizer), so ids differing only at the end spread over all segments.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }

    private static void Grow(Segment segment)
    {
        // By half, not double: keeps the slack (and so the bytes per id) low right after growing.
        var capacity = segment.States.Length + (segment.States.Length / 2);
        var keys = new byte[capacity * KeyBytes];
        var states = new byte[capacity];
        var key = new byte[KeyBytes];
        for (var slot = 0; slot < segment.States.Length; slot++)
        {
            if (segment.States[slot] == 0)
            {
                continue;
            }

            Buffer.BlockCopy(segment.Keys, slot * KeyBytes, key, 0, KeyBytes);
            var target = Find(keys, states, key, Hash(key));
            Buffer.BlockCopy(key, 0, keys, target * KeyBytes, KeyBytes);
            states[target] = segment.States[slot];
        }

        segment.Keys = keys;
        segment.States = states;
    }
}
