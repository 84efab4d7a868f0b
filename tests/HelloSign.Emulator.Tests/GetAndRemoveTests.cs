using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class GetAndRemoveTests
{
    [Fact]
    public async Task Get_returns_the_spec_shape_of_a_signature_request()
    {
        await using var emulator = await StartAsync();
        var seeded = Seed.SignatureRequests.First(r => r.State == RequestStates.PartiallySigned);

        var body = await (await emulator.GetAsync($"/v3/signature_request/{seeded.SignatureRequestId}", AlphaKey)).JsonAsync();

        var request = body.GetProperty("signature_request");
        Assert.Equal(seeded.SignatureRequestId, request.GetProperty("signature_request_id").GetString());
        Assert.Equal(seeded.Title, request.GetProperty("title").GetString());
        Assert.Equal(seeded.Title, request.GetProperty("original_title").GetString());
        Assert.Equal(seeded.CreatedAt, request.GetProperty("created_at").GetInt64());
        Assert.False(request.GetProperty("is_complete").GetBoolean());
        Assert.False(request.GetProperty("is_declined").GetBoolean());
        Assert.False(request.GetProperty("has_error").GetBoolean());
        Assert.False(request.GetProperty("test_mode").GetBoolean());
        Assert.Equal($"https://app.hellosign.com/home/manage?guid={seeded.SignatureRequestId}", request.GetProperty("details_url").GetString());
        Assert.Equal($"https://app.hellosign.com/sign/{seeded.SignatureRequestId}", request.GetProperty("signing_url").GetString());
        var signatures = request.GetProperty("signatures");
        Assert.Equal(2, signatures.GetArrayLength());
        Assert.Equal("signed", signatures[0].GetProperty("status_code").GetString());
        Assert.Equal("awaiting_signature", signatures[1].GetProperty("status_code").GetString());
        Assert.Equal(1, signatures[1].GetProperty("order").GetInt32());
        Assert.Equal(32, signatures[0].GetProperty("signature_id").GetString()!.Length);
        Assert.Equal(0, request.GetProperty("cc_email_addresses").GetArrayLength());
    }

    [Fact]
    public async Task Get_of_unknown_and_foreign_requests_fails()
    {
        await using var emulator = await StartAsync();

        await (await emulator.GetAsync("/v3/signature_request/0123456789abcdef01234567", AlphaKey)).AssertErrorAsync(404, "not_found");
        await (await emulator.GetAsync($"/v3/signature_request/{SeededIds(Beta, RequestStates.Complete)[0]}", AlphaKey)).AssertErrorAsync(403, "forbidden");
    }

    [Fact]
    public async Task Remove_of_a_completed_request_makes_it_gone_for_its_owner()
    {
        await using var emulator = await StartAsync();
        var id = SeededIds(Alpha, RequestStates.Complete)[0];

        using var removed = await emulator.SendAsync(HttpMethod.Post, $"/v3/signature_request/remove/{id}", AlphaKey);

        Assert.Equal(200, (int)removed.StatusCode);
        Assert.Empty(await removed.Content.ReadAsByteArrayAsync());
        Assert.True((await emulator.AdminGetAsync($"state/{id}")).GetProperty("removed").GetBoolean());
        await (await emulator.GetAsync($"/v3/signature_request/{id}", AlphaKey)).AssertErrorAsync(410, "deleted");
        await (await emulator.CancelAsync(id, AlphaKey)).AssertErrorAsync(410, "deleted");
        await (await emulator.SendAsync(HttpMethod.Post, $"/v3/signature_request/remove/{id}", AlphaKey)).AssertErrorAsync(410, "deleted");
    }

    [Fact]
    public async Task Remove_follows_the_api_rules()
    {
        await using var emulator = await StartAsync();
        string RemovePath(string id) => $"/v3/signature_request/remove/{id}";

        // API key only: a Bearer token is refused even for the owner's completed request.
        await (await emulator.SendAsync(HttpMethod.Post, RemovePath(SeededIds(Alpha, RequestStates.Complete)[0]), Bearer(Alpha.AccessTokens[0])))
            .AssertErrorAsync(403, "forbidden");
        await (await emulator.SendAsync(HttpMethod.Post, RemovePath("ffffffffffffffffffffffffffffffffffffffff"), AlphaKey)).AssertErrorAsync(404, "not_found");
        await (await emulator.SendAsync(HttpMethod.Post, RemovePath(SeededIds(Beta, RequestStates.Complete)[0]), AlphaKey)).AssertErrorAsync(403, "forbidden");
        await (await emulator.SendAsync(HttpMethod.Post, RemovePath(SeededIds(Alpha, RequestStates.AwaitingSignature)[0]), AlphaKey))
            .AssertErrorAsync(400, "signature_request_remove_failed");
        Assert.Equal(200, (int)(await emulator.SendAsync(HttpMethod.Post, RemovePath(SeededIds(Alpha, RequestStates.Declined)[0]), AlphaKey)).StatusCode);
    }
}
