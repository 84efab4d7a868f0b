using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using HelloSign.Core.Models;

namespace HelloSign.Core.Journal;

public enum JournalProblem
{
    /// <summary>Another run holds the journal's lock.</summary>
    InUse,
    /// <summary>The journal was written for another account or another kind of run.</summary>
    WrittenForOtherRun,
}

/// <summary>Why a journal can't be used; the message says what to do.</summary>
public sealed class JournalException : Exception
{
    public JournalException(JournalProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
    }

    public JournalProblem Problem { get; }
}

/// <summary>
/// A restart-safe record of a bulk run: one JSON object per line, appended and flushed to disk as each id's
/// outcome becomes known. A re-run reads it and skips every id whose outcome is final, so a killed job never
/// spends the rate limit twice. A lock file keeps two runs from sharing one journal at the same time.
/// </summary>
public sealed class OutcomeJournal : IDisposable
{
    private readonly Dictionary<string, JournalEntry> _latest = new(StringComparer.Ordinal);
    private FileStream? _writer;
    private FileStream? _lock;

    private OutcomeJournal(string path, string accountId, string action)
    {
        Path = path;
        AccountId = accountId;
        Action = action;
    }

    public string Path { get; }
    public string AccountId { get; }
    public string Action { get; }

    /// <summary>Lines that could not be read (a half-written last line from a killed process, usually).</summary>
    public IReadOnlyList<string> Problems => _problems;

    private readonly List<string> _problems = new();

    /// <summary>How many ids the journal held a final outcome for when it was opened.</summary>
    public int FinalCount { get; private set; }

    /// <summary>
    /// Opens (or creates) the journal for <paramref name="accountId"/>. With <paramref name="readOnly"/> (-WhatIf)
    /// it reads what is there and neither locks, creates nor writes. Throws <see cref="JournalException"/> when
    /// another run holds it or it was written for another account or action.
    /// </summary>
    public static OutcomeJournal Open(string path, string accountId, string action, bool readOnly)
    {
        var journal = new OutcomeJournal(path, accountId, action);
        try
        {
            if (!readOnly)
            {
                journal.TakeLock();
            }

            journal.Load();
            if (!readOnly)
            {
                journal._writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                if (journal.EndsWithoutNewline())
                {
                    // A killed writer left half a line: start ours on a fresh line so it stays readable.
                    journal.WriteRaw("\n");
                }
            }

            return journal;
        }
        catch
        {
            journal.Dispose();
            throw;
        }
    }

    /// <summary>The latest entry for an id in the journal as it was opened (what earlier runs recorded).</summary>
    public JournalEntry? Find(string id) => _latest.TryGetValue(id, out var entry) ? entry : null;

    /// <summary>
    /// Appends an outcome and flushes it to disk before returning. Not kept in memory: the run's own ledger knows
    /// this run's outcomes, so a journal costs nothing per id sent.
    /// </summary>
    public void Append(string id, JournalOutcome outcome, string? error)
    {
        if (_writer is null)
        {
            throw new InvalidOperationException("The journal was opened read-only.");
        }

        WriteRaw(Serialize(new JournalEntry(id, outcome, error, DateTime.UtcNow, AccountId, Action)) + "\n");
    }

    private void TakeLock()
    {
        try
        {
            // FileShare.None is an exclusive lock (flock on Unix), released by the OS even if the process is killed.
            // The file stays: deleting it on close would let a third run lock a new file while the second holds the old.
            _lock = new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
        {
            throw new JournalException(JournalProblem.InUse, $"The journal '{Path}' is in use by another run (its lock file '{Path}.lock' is held). Wait for that run to finish, or use another journal.", e);
        }
    }

    private void Load()
    {
        if (!File.Exists(Path))
        {
            return;
        }

        using var reader = new StreamReader(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8);
        var number = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var entry = Parse(line);
            if (entry is null)
            {
                _problems.Add($"line {number} of the journal could not be read and was ignored (a run killed while writing leaves half a line)");
                continue;
            }

            if (!string.Equals(entry.AccountId, AccountId, StringComparison.Ordinal))
            {
                throw new JournalException(JournalProblem.WrittenForOtherRun, $"The journal '{Path}' was written for account {entry.AccountId}, but this connection is account {AccountId}. Its outcomes say nothing about this account, so it is refused; use another journal for this account.");
            }

            if (!string.Equals(entry.Action, Action, StringComparison.Ordinal))
            {
                throw new JournalException(JournalProblem.WrittenForOtherRun, $"The journal '{Path}' records '{entry.Action}' outcomes, not '{Action}'; use a separate journal for each kind of run.");
            }

            Remember(entry);
        }
    }

    private void Remember(JournalEntry entry)
    {
        var wasFinal = _latest.TryGetValue(entry.Id, out var previous) && previous.IsFinal;
        _latest[entry.Id] = entry;
        FinalCount += (entry.IsFinal ? 1 : 0) - (wasFinal ? 1 : 0);
    }

    private bool EndsWithoutNewline()
    {
        if (_writer!.Length == 0)
        {
            return false;
        }

        using var reader = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        reader.Seek(-1, SeekOrigin.End);
        return reader.ReadByte() != '\n';
    }

    private void WriteRaw(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        _writer!.Write(bytes, 0, bytes.Length);
        _writer.Flush(flushToDisk: true);
    }

    internal static string Serialize(JournalEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", entry.Id);
            json.WriteString("outcome", entry.Outcome.ToString());
            if (entry.Error is null)
            {
                json.WriteNull("error");
            }
            else
            {
                json.WriteString("error", entry.Error);
            }

            json.WriteString("time", entry.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("account_id", entry.AccountId);
            json.WriteString("action", entry.Action);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static JournalEntry? Parse(string line) => JsonReading.TryRead(line, ReadEntry, out var entry) ? entry : null;

    private static JournalEntry? ReadEntry(JsonElement root)
    {
        var id = JsonReading.String(root, "id");
        var outcomeName = JsonReading.String(root, "outcome");
        var account = JsonReading.String(root, "account_id");
        var action = JsonReading.String(root, "action");
        // Names only: Enum.TryParse would also take "3" or "Queued,Gone".
        if (id is null || outcomeName is null || !IsName(outcomeName) || !Enum.TryParse<JournalOutcome>(outcomeName, out var outcome) || account is null || action is null ||
            !DateTime.TryParse(JsonReading.String(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return null;
        }

        return new JournalEntry(id, outcome, JsonReading.String(root, "error"), time, account, action);
    }

    private static bool IsName(string text) => text.Length > 0 && text.All(char.IsLetter);

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        _lock?.Dispose();
        _lock = null;
    }
}
