using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class ExtraEndpointTests
{
    private static string PendingId => SeededIds(Alpha, RequestStates.AwaitingSignature)[0];

    private static string PendingSigner =>
        Seed.SignatureRequests.Single(r => r.SignatureRequestId == PendingId).Signatures[0].SignerEmailAddress;

    private static Task<HttpResponseMessage> RemindAsync(TestEmulator emulator, string id, object body) =>
        emulator.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v3/signature_request/remind/{id}")
        {
            Headers = { Authorization = AlphaKey },
            Content = JsonContent.Create(body),
        });

    [Fact]
    public async Task A_reminder_to_a_waiting_signer_is_recorded_and_answers_the_request()
    {
        await using var emulator = await StartAsync();

        var body = await (await RemindAsync(emulator, PendingId, new { email_address = PendingSigner })).JsonAsync();

        Assert.Equal(PendingId, body.GetProperty("signature_request").GetProperty("signature_request_id").GetString());
        var reminder = Assert.Single((await emulator.AdminGetAsync("reminders")).EnumerateArray());
        Assert.Equal(PendingId, reminder.GetProperty("signature_request_id").GetString());
        Assert.Equal(PendingSigner, reminder.GetProperty("email_address").GetString());
    }

    [Fact]
    public async Task A_reminder_is_also_taken_as_a_form()
    {
        await using var emulator = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/signature_request/remind/{PendingId}")
        {
            Headers = { Authorization = AlphaKey },
            Content = new FormUrlEncodedContent([new("email_address", PendingSigner)]),
        };

        Assert.Equal(200, (int)(await emulator.Http.SendAsync(request)).StatusCode);
        Assert.Single((await emulator.AdminGetAsync("reminders")).EnumerateArray());
    }

    [Fact]
    public async Task A_reminder_without_an_email_to_a_stranger_or_for_a_complete_request_is_refused_and_not_recorded()
    {
        await using var emulator = await StartAsync();
        var complete = SeededIds(Alpha, RequestStates.Complete)[0];

        await (await RemindAsync(emulator, PendingId, new { })).AssertErrorAsync(400, "bad_request");
        await (await RemindAsync(emulator, PendingId, new { email_address = "stranger@example.test" })).AssertErrorAsync(400, "bad_request");
        await (await RemindAsync(emulator, complete, new { email_address = PendingSigner })).AssertErrorAsync(400, "bad_request");
        await (await RemindAsync(emulator, SeededIds(Beta, RequestStates.AwaitingSignature)[0], new { email_address = PendingSigner })).AssertErrorAsync(403, "forbidden");
        await (await RemindAsync(emulator, "ffffffffffffffffffffffffffffffffffffffff", new { email_address = PendingSigner })).AssertErrorAsync(404, "not_found");

        Assert.Empty((await emulator.AdminGetAsync("reminders")).EnumerateArray());
    }

    [Fact]
    public async Task Reset_forgets_the_reminders()
    {
        await using var emulator = await StartAsync();
        await RemindAsync(emulator, PendingId, new { email_address = PendingSigner });

        await emulator.AdminPostAsync("reset", new { });

        Assert.Empty((await emulator.AdminGetAsync("reminders")).EnumerateArray());
    }

    [Fact]
    public async Task Files_of_a_complete_request_are_a_well_formed_pdf()
    {
        await using var emulator = await StartAsync();
        var complete = SeededIds(Alpha, RequestStates.Complete)[0];

        using var response = await emulator.GetAsync($"/v3/signature_request/files/{complete}", AlphaKey);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var text = Encoding.ASCII.GetString(bytes);
        Assert.StartsWith("%PDF-1.4\n", text);
        Assert.EndsWith("%%EOF\n", text);
        // The cross-reference table must point at each object, or readers call the file damaged.
        var xrefAt = int.Parse(text.Split("startxref\n")[1].Split('\n')[0]);
        Assert.StartsWith("xref\n", text[xrefAt..]);
        var entries = text[xrefAt..].Split('\n').Skip(3).TakeWhile(line => line.EndsWith(" n ")).ToList();
        Assert.Equal(5, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.StartsWith($"{i + 1} 0 obj", text[int.Parse(entries[i][..10])..]);
        }
    }

    [Fact]
    public async Task Files_as_a_zip_hold_the_pdf_and_other_file_types_are_refused()
    {
        await using var emulator = await StartAsync();
        var complete = SeededIds(Alpha, RequestStates.Complete)[0];

        using var zipped = await emulator.GetAsync($"/v3/signature_request/files/{complete}?file_type=zip", AlphaKey);
        using var archive = new ZipArchive(await zipped.Content.ReadAsStreamAsync());
        using var entry = new StreamReader(Assert.Single(archive.Entries).Open());

        Assert.Equal("application/zip", zipped.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", await entry.ReadToEndAsync());
        await (await emulator.GetAsync($"/v3/signature_request/files/{complete}?file_type=docx", AlphaKey)).AssertErrorAsync(400, "bad_request");
        await (await emulator.GetAsync($"/v3/signature_request/files/{SeededIds(Beta, RequestStates.Complete)[0]}", AlphaKey)).AssertErrorAsync(403, "forbidden");
    }

    [Fact]
    public async Task Template_pages_cover_every_template_once_in_the_spec_shape()
    {
        await using var emulator = await StartAsync();
        var seen = new List<JsonElement>();
        JsonElement listInfo;
        var page = 1;
        do
        {
            var body = await (await emulator.GetAsync($"/v3/template/list?page={page}&page_size=2", AlphaKey)).JsonAsync();
            listInfo = body.GetProperty("list_info");
            Assert.Equal(page, listInfo.GetProperty("page").GetInt32());
            seen.AddRange(body.GetProperty("templates").EnumerateArray());
        }
        while (page++ < listInfo.GetProperty("num_pages").GetInt32());

        Assert.Equal(7, listInfo.GetProperty("num_results").GetInt32());
        Assert.Equal(4, listInfo.GetProperty("num_pages").GetInt32());
        Assert.Equal(7, seen.Select(t => t.GetProperty("template_id").GetString()).Distinct().Count());
        var first = seen[0];
        foreach (var field in new[] { "template_id", "title", "message", "updated_at", "is_creator", "can_edit", "is_locked", "metadata", "signer_roles", "cc_roles", "documents", "accounts", "attachments" })
        {
            Assert.True(first.TryGetProperty(field, out _), $"template lacks {field}");
        }

        Assert.True(first.GetProperty("is_creator").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_template_list_parameter_is_ignored_with_a_parameter_ignored_warning()
    {
        await using var emulator = await StartAsync();

        var plain = await (await emulator.GetAsync("/v3/template/list", AlphaKey)).JsonAsync();
        var odd = await (await emulator.GetAsync("/v3/template/list?colour=blue", AlphaKey)).JsonAsync();

        Assert.False(plain.TryGetProperty("warnings", out _));
        var warning = Assert.Single(odd.GetProperty("warnings").EnumerateArray());
        Assert.Equal("parameter_ignored", warning.GetProperty("warning_name").GetString());
        Assert.Contains("colour", warning.GetProperty("warning_msg").GetString());
        Assert.Equal(7, odd.GetProperty("list_info").GetProperty("num_results").GetInt32());
    }

    [Fact]
    public async Task Templates_of_the_whole_team_and_by_query()
    {
        await using var emulator = await StartAsync();

        var team = await (await emulator.GetAsync("/v3/template/list?account_id=all&page_size=100", AlphaKey)).JsonAsync();
        var ndas = await (await emulator.GetAsync("/v3/template/list?query=nda", AlphaKey)).JsonAsync();

        Assert.Equal(7 * Seed.Accounts.Count, team.GetProperty("list_info").GetProperty("num_results").GetInt32());
        Assert.Contains(team.GetProperty("templates").EnumerateArray(), t => !t.GetProperty("is_creator").GetBoolean());
        Assert.Equal("Mutual NDA (alpha@example.test)", Assert.Single(ndas.GetProperty("templates").EnumerateArray()).GetProperty("title").GetString());
        await (await emulator.GetAsync("/v3/template/list?page_size=101", AlphaKey)).AssertErrorAsync(400, "bad_request");
        await (await emulator.GetAsync("/v3/template/list?account_id=0000000000000000000000000000000000000000", AlphaKey)).AssertErrorAsync(403, "forbidden");
    }
}
