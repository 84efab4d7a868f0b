using System.Text.Json;
using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class ListTests
{
    private static readonly int AlphaVisibleCount = Seed.SignatureRequests.Count(r => r.AccountId == Alpha.AccountId && r.State != RequestStates.Canceled);

    [Fact]
    public async Task Pages_cover_every_visible_request_of_the_caller_newest_first()
    {
        await using var emulator = await StartAsync();
        var seen = new List<JsonElement>();
        var page = 1;
        JsonElement listInfo;
        do
        {
            var body = await (await emulator.GetAsync($"/v3/signature_request/list?page={page}&page_size=5", AlphaKey)).JsonAsync();
            listInfo = body.GetProperty("list_info");
            Assert.Equal(page, listInfo.GetProperty("page").GetInt32());
            Assert.Equal(5, listInfo.GetProperty("page_size").GetInt32());
            seen.AddRange(body.GetProperty("signature_requests").EnumerateArray());
        }
        while (page++ < listInfo.GetProperty("num_pages").GetInt32());

        Assert.Equal(AlphaVisibleCount, listInfo.GetProperty("num_results").GetInt32());
        Assert.Equal((AlphaVisibleCount + 4) / 5, listInfo.GetProperty("num_pages").GetInt32());
        Assert.Equal(AlphaVisibleCount, seen.Select(r => r.GetProperty("signature_request_id").GetString()).Distinct().Count());
        var createdAt = seen.Select(r => r.GetProperty("created_at").GetInt64()).ToList();
        Assert.Equal(createdAt.OrderDescending(), createdAt);
    }

    [Fact]
    public async Task Canceled_requests_drop_out_of_the_list_and_all_lists_the_team()
    {
        await using var emulator = await StartAsync(SynchronousCancel);
        await emulator.CancelAsync(SeededIds(Alpha, RequestStates.AwaitingSignature)[0], AlphaKey);

        Assert.Equal(AlphaVisibleCount - 1, await CountAsync(emulator, ""));
        var team = Seed.SignatureRequests.Count(r => r.State != RequestStates.Canceled) - 1;
        Assert.Equal(team, await CountAsync(emulator, "account_id=all"));
        Assert.Equal(3, await CountAsync(emulator, $"account_id={Beta.AccountId}"));
    }

    [Theory]
    [InlineData("complete:false AND declined:false", RequestStates.AwaitingSignature, RequestStates.PartiallySigned, RequestStates.Error)]
    [InlineData("complete:true", RequestStates.Complete)]
    [InlineData("declined:true AND from:me", RequestStates.Declined)]
    public async Task Query_filters_on_completion_and_decline(string query, params string[] expectedStates)
    {
        await using var emulator = await StartAsync();
        var expected = Seed.SignatureRequests.Count(r => r.AccountId == Alpha.AccountId && expectedStates.Contains(r.State));

        Assert.Equal(expected, await CountAsync(emulator, $"query={Uri.EscapeDataString(query)}"));
    }

    [Theory]
    [InlineData("title:NDA", "NDA")]
    [InlineData("title:\"offer letter\" AND complete:false", "Offer letter")]
    [InlineData("nda", "NDA")]
    public async Task Query_matches_title_terms_case_insensitively(string query, string titlePart)
    {
        await using var emulator = await StartAsync();

        var body = await (await emulator.GetAsync($"/v3/signature_request/list?page_size=100&query={Uri.EscapeDataString(query)}", AlphaKey)).JsonAsync();

        var titles = body.GetProperty("signature_requests").EnumerateArray().Select(r => r.GetProperty("title").GetString()!).ToList();
        Assert.NotEmpty(titles);
        Assert.All(titles, title => Assert.Contains(titlePart, title, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Each case names the seeded requests it must find: by the start of their id, exactly those and no others.</summary>
    [Theory]
    [InlineData("legal@acme.example", "c01bba15")]
    [InlineData("to:legal@acme.example", "c01bba15")]
    [InlineData("\"Acme Legal\"", "c01bba15")]
    [InlineData("acme-2026", "c01bba15")]
    [InlineData("metadata:acme-2026", "c01bba15")]
    [InlineData("filename:nda-acme-corp.pdf", "c01bba15")]
    [InlineData("nda-acme-corp.pdf", "c01bba15")]
    [InlineData("subject:\"globex mutual\"", "fece3826")]
    [InlineData("message:\"welcome aboard\"", "25c5ed6c")]
    [InlineData("jordan.lee@example.test OR legal@acme.example", "25c5ed6c", "c01bba15")]
    [InlineData("from:nobody@example.test")]
    [InlineData("metadata:nothing-like-this")]
    public async Task Query_searches_signers_metadata_and_file_names_too(string query, params string[] idPrefixes)
    {
        await using var emulator = await StartAsync();

        var body = await (await emulator.GetAsync($"/v3/signature_request/list?page_size=100&query={Uri.EscapeDataString(query)}", AlphaKey)).JsonAsync();

        var ids = body.GetProperty("signature_requests").EnumerateArray().Select(r => r.GetProperty("signature_request_id").GetString()![..8]).Order().ToList();
        Assert.Equal(idPrefixes.Order(), ids);
    }

    [Fact]
    public async Task To_me_finds_the_requests_the_caller_signs_and_from_me_those_it_sent()
    {
        await using var emulator = await StartAsync();
        var sentByAlpha = Seed.SignatureRequests.Count(r => r.AccountId == Alpha.AccountId && r.State != RequestStates.Canceled && r.RequesterEmailAddress == Alpha.EmailAddress);
        var toAlpha = Seed.SignatureRequests.Count(r => r.AccountId == Alpha.AccountId && r.State != RequestStates.Canceled && r.Signatures.Any(s => s.SignerEmailAddress == Alpha.EmailAddress));

        Assert.Equal(sentByAlpha, await CountAsync(emulator, "query=from:me"));
        Assert.Equal(toAlpha, await CountAsync(emulator, "query=to:me"));
    }

    [Fact]
    public async Task Query_supports_created_ranges()
    {
        await using var emulator = await StartAsync();
        var expected = Seed.SignatureRequests.Count(r =>
            r.AccountId == Alpha.AccountId && r.State != RequestStates.Canceled
            && r.CreatedAt >= DateTimeOffset.Parse("2026-01-01T00:00:00Z").ToUnixTimeSeconds());

        Assert.Equal(expected, await CountAsync(emulator, $"query={Uri.EscapeDataString("created:[2026-01-01 TO *]")}"));
    }

    [Fact]
    public async Task An_exclusive_range_leaves_out_its_ends()
    {
        await using var emulator = await StartAsync();
        var newest = Seed.SignatureRequests.Where(r => r.AccountId == Alpha.AccountId && r.State != RequestStates.Canceled).Max(r => r.CreatedAt);
        var visible = AlphaVisibleCount;

        Assert.Equal(visible - 1, await CountAsync(emulator, $"query={Uri.EscapeDataString($"created:{{* TO {newest}}}")}"));
        Assert.Equal(visible, await CountAsync(emulator, $"query={Uri.EscapeDataString($"created:[* TO {newest}]")}"));
    }

    [Theory]
    [InlineData("page_size=0")]
    [InlineData("page_size=101")]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    [InlineData("query=NOT+complete:true")]
    [InlineData("query=-complete:true")]
    [InlineData("query=cc:me")]
    [InlineData("query=complete:true+OR")]
    [InlineData("query=created:2026-01-01")]
    [InlineData("query=title:*NDA")]
    [InlineData("query=complete:maybe")]
    [InlineData("query=AND+complete:true")]
    public async Task Bad_paging_or_unsupported_query_syntax_answers_400(string parameters)
    {
        await using var emulator = await StartAsync();

        using var response = await emulator.GetAsync($"/v3/signature_request/list?{parameters}", AlphaKey);

        await response.AssertErrorAsync(400, "bad_request");
    }

    private static async Task<int> CountAsync(TestEmulator emulator, string parameters)
    {
        var body = await (await emulator.GetAsync($"/v3/signature_request/list?page_size=100&{parameters}", AlphaKey)).JsonAsync();
        return body.GetProperty("list_info").GetProperty("num_results").GetInt32();
    }
}
