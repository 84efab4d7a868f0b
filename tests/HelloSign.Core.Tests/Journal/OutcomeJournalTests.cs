using System;
using System.IO;
using System.Linq;
using HelloSign.Core.Journal;
using Xunit;

namespace HelloSign.Core.Tests.Journal;

public sealed class OutcomeJournalTests : IDisposable
{
    private const string Account = "a11ce00000000000000000000000000000000001";
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "hellosign-journal-" + Guid.NewGuid().ToString("N"))).FullName;

    private string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Outcomes_survive_a_reopen_and_only_final_ones_count()
    {
        var path = PathOf("run.jsonl");
        using (var journal = OutcomeJournal.Open(path, Account, "Cancel", readOnly: false))
        {
            journal.Append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", JournalOutcome.Queued, null);
            journal.Append("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", JournalOutcome.Failed, "ServerError");
            journal.Append("cccccccccccccccccccccccccccccccccccccccc", JournalOutcome.Gone, null);
        }

        using var reopened = OutcomeJournal.Open(path, Account, "Cancel", readOnly: false);

        Assert.Equal(2, reopened.FinalCount);
        Assert.True(reopened.Find("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")!.IsFinal);
        Assert.False(reopened.Find("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")!.IsFinal);
        Assert.Equal("ServerError", reopened.Find("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")!.Error);
        Assert.Null(reopened.Find("dddddddddddddddddddddddddddddddddddddddd"));
    }

    [Fact]
    public void Each_line_is_one_json_object_readable_by_standard_tools()
    {
        var path = PathOf("lines.jsonl");
        using (var journal = OutcomeJournal.Open(path, Account, "Cancel", readOnly: false))
        {
            journal.Append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", JournalOutcome.Queued, null);
        }

        var line = Assert.Single(File.ReadAllLines(path));
        using var document = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("Queued", document.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(Account, document.RootElement.GetProperty("account_id").GetString());
        Assert.EndsWith("Z", document.RootElement.GetProperty("time").GetString());
    }

    [Fact]
    public void A_half_written_last_line_is_ignored_with_a_problem_and_the_next_line_starts_fresh()
    {
        var path = PathOf("killed.jsonl");
        using (var journal = OutcomeJournal.Open(path, Account, "Cancel", readOnly: false))
        {
            journal.Append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", JournalOutcome.Queued, null);
        }

        File.AppendAllText(path, "{\"id\":\"bbbbbbbbbbbbbbbbbbbb");

        using (var journal = OutcomeJournal.Open(path, Account, "Cancel", readOnly: false))
        {
            Assert.Single(journal.Problems);
            Assert.Equal(1, journal.FinalCount);
            journal.Append("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", JournalOutcome.Queued, null);
        }

        using var third = OutcomeJournal.Open(path, Account, "Cancel", readOnly: true);
        Assert.Equal(2, third.FinalCount);
    }

    [Fact]
    public void A_journal_of_another_account_is_refused()
    {
        var path = PathOf("other.jsonl");
        using (var journal = OutcomeJournal.Open(path, "b0b0000000000000000000000000000000000002", "Cancel", readOnly: false))
        {
            journal.Append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", JournalOutcome.Queued, null);
        }

        var refused = Assert.Throws<JournalException>(() => OutcomeJournal.Open(path, Account, "Cancel", readOnly: false));
        Assert.Equal(JournalProblem.WrittenForOtherRun, refused.Problem);
        Assert.Contains("b0b0000000000000000000000000000000000002", refused.Message);
    }

    [Fact]
    public void A_journal_of_another_action_is_refused()
    {
        var path = PathOf("remove.jsonl");
        using (var journal = OutcomeJournal.Open(path, Account, "Remove", readOnly: false))
        {
            journal.Append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", JournalOutcome.Removed, null);
        }

        Assert.Throws<JournalException>(() => OutcomeJournal.Open(path, Account, "Cancel", readOnly: false));
    }

    [Fact]
    public void A_second_writer_is_refused_while_the_first_holds_the_lock()
    {
        var path = PathOf("shared.jsonl");
        using var first = OutcomeJournal.Open(path, Account, "Cancel", readOnly: false);

        var refused = Assert.Throws<JournalException>(() => OutcomeJournal.Open(path, Account, "Cancel", readOnly: false));

        Assert.Equal(JournalProblem.InUse, refused.Problem);
        using var reader = OutcomeJournal.Open(path, Account, "Cancel", readOnly: true); // reading is always fine
    }

    [Fact]
    public void Read_only_creates_nothing()
    {
        var path = PathOf("preview.jsonl");

        using (var journal = OutcomeJournal.Open(path, Account, "Cancel", readOnly: true))
        {
            Assert.Throws<InvalidOperationException>(() => journal.Append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", JournalOutcome.Queued, null));
        }

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public void The_latest_entry_for_an_id_wins()
    {
        var path = PathOf("retry.jsonl");
        using (var journal = OutcomeJournal.Open(path, Account, "Cancel", readOnly: false))
        {
            journal.Append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", JournalOutcome.Failed, "Timeout");
            journal.Append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", JournalOutcome.Queued, null);
        }

        using var reopened = OutcomeJournal.Open(path, Account, "Cancel", readOnly: true);
        Assert.Equal(JournalOutcome.Queued, reopened.Find("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")!.Outcome);
        Assert.Equal(1, reopened.FinalCount);
        Assert.Equal(2, File.ReadAllLines(path).Count(line => line.Length > 0));
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("3")]
    [InlineData("Queued,Gone")]
    [InlineData("queued ")]
    public void A_line_with_an_outcome_that_is_not_one_of_the_names_is_unreadable_not_misread(string outcome)
    {
        var line = $"{{\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"outcome\":\"{outcome}\",\"error\":null,\"time\":\"2026-01-01T00:00:00.000Z\",\"account_id\":\"{Account}\",\"action\":\"Cancel\"}}";

        Assert.Null(OutcomeJournal.Parse(line));
    }
}
