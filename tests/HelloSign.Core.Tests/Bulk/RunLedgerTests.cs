using System;
using System.Linq;
using HelloSign.Core.Bulk;
using HelloSign.Core.Journal;
using Xunit;

namespace HelloSign.Core.Tests.Bulk;

public class RunLedgerTests
{
    private static string Id(int n) => n.ToString("x40");

    [Fact]
    public void Many_distinct_ids_cost_at_most_48_bytes_each_and_come_back_unchanged()
    {
        var ledger = new RunLedger();
        const int Count = 300_000;
        for (var i = 0; i < Count; i++)
        {
            Assert.True(ledger.Add(Id(i), IdState.Admitted));
        }

        Assert.True(ledger.ReservedBytes <= 48L * Count, $"{ledger.ReservedBytes / (double)Count:0.0} bytes per id");
        Assert.False(ledger.Add(Id(Count / 2), IdState.Admitted));
        ledger.Set(Id(Count - 1), IdState.Queued);
        Assert.Equal(IdState.Queued, ledger.StateOf(Id(Count - 1)));
        Assert.Equal(Count, ledger.Entries().Select(e => e.Key).Distinct().Count());
        Assert.Equal(Count - 1, ledger.Count(IdState.Admitted));
        Assert.Equal(Count + 1, ledger.Received);
    }

    [Fact]
    public void Ids_of_other_lengths_and_upper_case_keys_are_kept_apart_from_packed_ones()
    {
        var ledger = new RunLedger();
        var short24 = new string('a', 24);
        var long64 = new string('b', 64);

        Assert.True(ledger.Add(short24, IdState.Admitted));
        Assert.True(ledger.Add(long64, IdState.Previewed));
        Assert.True(ledger.Add(new string('a', 40), IdState.Failed));
        Assert.False(ledger.Add(short24, IdState.Admitted));

        Assert.Equal(IdState.Previewed, ledger.StateOf(long64));
        Assert.Equal(3, ledger.Distinct);
        Assert.Equal(1, ledger.Duplicates);
        Assert.Equal(new[] { long64, new string('a', 40), short24 }.OrderBy(s => s), ledger.Entries().Select(e => e.Key).OrderBy(s => s));
    }

    [Fact]
    public void Admission_says_what_each_value_is_and_the_ledger_counts_every_one()
    {
        var journalPath = System.IO.Path.GetTempFileName();
        try
        {
            using (var write = OutcomeJournal.Open(journalPath, "acct", "Cancel", readOnly: false))
            {
                write.Append(Id(7), JournalOutcome.Queued, null);
                write.Append(Id(8), JournalOutcome.Failed, "ServerError");
            }

            using var journal = OutcomeJournal.Open(journalPath, "acct", "Cancel", readOnly: true);
            var ledger = new RunLedger();
            var admission = new IdAdmission(ledger, journal);

            Assert.Equal(AdmissionVerdict.Ready, admission.Admit(Id(1)).Verdict);
            Assert.Equal(AdmissionVerdict.Duplicate, admission.Admit(Id(1).ToUpperInvariant() + "\r").Verdict);
            Assert.Equal(AdmissionVerdict.Duplicate, admission.Admit("https://app.hellosign.com/sign/" + Id(1)).Verdict);
            Assert.Equal(AdmissionVerdict.Blank, admission.Admit("  ").Verdict);
            Assert.Equal(AdmissionVerdict.Invalid, admission.Admit("nope\u202e").Verdict);
            var done = admission.Admit(Id(7));
            Assert.Equal(AdmissionVerdict.AlreadyDone, done.Verdict);
            Assert.Equal(JournalOutcome.Queued, done.Journaled!.Outcome);
            Assert.Equal(AdmissionVerdict.Ready, admission.Admit(Id(8)).Verdict); // failures are tried again

            Assert.Equal(7, ledger.Received);
            Assert.Equal(1, ledger.Count(IdState.Skipped));
            Assert.Equal(2, ledger.Count(IdState.Admitted));
            Assert.Equal((1, 1, 2), (ledger.Blank, ledger.Invalid, ledger.Duplicates));
        }
        finally
        {
            System.IO.File.Delete(journalPath);
        }
    }

    [Fact]
    public void The_summary_names_singular_counts_singly_and_a_run_with_no_answers_has_no_rate()
    {
        var ledger = new RunLedger();
        ledger.Add(Id(1), IdState.Skipped);
        ledger.Add(Id(1), IdState.Skipped);

        var summary = new RunSummary("Canceling signature requests", ledger, 0, TimeSpan.Zero, TimeSpan.FromSeconds(2));

        Assert.Contains("1 duplicate,", summary.ToString());
        Assert.DoesNotContain("/s", summary.ToString());
        Assert.True(summary.IsNoteworthy);
    }
}
