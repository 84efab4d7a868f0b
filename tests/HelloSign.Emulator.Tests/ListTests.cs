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
        await using var emulator = await StartAsync();
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

    [Fact]
    public async Task Query_supports_created_ranges()
    {
        await using var emulator = await StartAsync();
        var expected = Seed.SignatureRequests.Count(r =>
            r.AccountId == Alpha.AccountId && r.State != RequestStates.Canceled
            && r.CreatedAt >= DateTimeOffset.Parse("2026-01-01T00:00:00Z").ToUnixTimeSeconds());

        Assert.Equal(expected, await CountAsync(emulator, $"query={Uri.EscapeDataString("created:[2026-01-01 TO *]")}"));
    }

    [Theory]
    [InlineData("page_size=0")]
    [InlineData("page_size=101")]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    [InlineData("query=complete:false+OR+declined:false")]
    [InlineData("query=to:me")]
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
