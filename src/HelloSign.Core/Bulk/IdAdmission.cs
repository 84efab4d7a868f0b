using HelloSign.Core.Ids;
using HelloSign.Core.Journal;

namespace HelloSign.Core.Bulk;

public enum AdmissionVerdict
{
    /// <summary>A new id with nothing known about it: confirm it, then send it.</summary>
    Ready,
    /// <summary>A blank value (empty line): skipped quietly.</summary>
    Blank,
    /// <summary>Not an id: report an error, send nothing.</summary>
    Invalid,
    /// <summary>An id already seen in this run: warn, send nothing.</summary>
    Duplicate,
    /// <summary>The journal of an earlier run has a final outcome for it: send nothing.</summary>
    AlreadyDone,
}

/// <summary>What admission decided about one value.</summary>
public readonly struct Admission
{
    public Admission(AdmissionVerdict verdict, string? id, string? reason, JournalEntry? journaled)
    {
        Verdict = verdict;
        Id = id;
        Reason = reason;
        Journaled = journaled;
    }

    public AdmissionVerdict Verdict { get; }

    /// <summary>The normalized id, for every verdict but Blank and Invalid.</summary>
    public string? Id { get; }

    /// <summary>Why the value is not an id (safe to show: harmful characters escaped).</summary>
    public string? Reason { get; }

    /// <summary>For AlreadyDone: the journal's entry.</summary>
    public JournalEntry? Journaled { get; }
}

/// <summary>
/// The door of a run: cleans each value into an id, drops repeats, and skips ids a journal already has a final
/// outcome for, recording every value in the ledger as it goes.
/// </summary>
public sealed class IdAdmission
{
    private readonly RunLedger _ledger;
    private readonly OutcomeJournal? _journal;

    public IdAdmission(RunLedger ledger, OutcomeJournal? journal = null)
    {
        _ledger = ledger;
        _journal = journal;
    }

    public Admission Admit(string? input)
    {
        var parsed = SignatureRequestIdParser.Parse(input);
        switch (parsed.Status)
        {
            case IdParseStatus.Blank:
                _ledger.CountBlank();
                return new Admission(AdmissionVerdict.Blank, null, null, null);
            case IdParseStatus.Invalid:
                _ledger.CountInvalid();
                return new Admission(AdmissionVerdict.Invalid, null, parsed.Reason, null);
        }

        var id = parsed.Id!;
        var journaled = _journal?.Find(id) is { IsFinal: true } entry ? entry : null;
        if (!_ledger.Add(id, journaled is null ? IdState.Admitted : IdState.Skipped))
        {
            return new Admission(AdmissionVerdict.Duplicate, id, null, null);
        }

        return journaled is null
            ? new Admission(AdmissionVerdict.Ready, id, null, null)
            : new Admission(AdmissionVerdict.AlreadyDone, id, null, journaled);
    }
}
