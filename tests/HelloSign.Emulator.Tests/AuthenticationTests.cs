using System.Net.Http.Headers;
using System.Text;
using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class AuthenticationTests
{
    [Fact]
    public async Task Basic_auth_with_each_api_key_returns_the_owning_account()
    {
        await using var emulator = await StartAsync();
        foreach (var (account, key) in new[] { (Alpha, Alpha.ApiKeys[0]), (Alpha, Alpha.ApiKeys[1]), (Beta, Beta.ApiKeys[0]) })
        {
            var body = await (await emulator.GetAsync("/v3/account", Basic(key))).JsonAsync();
            var returned = body.GetProperty("account");
            Assert.Equal(account.AccountId, returned.GetProperty("account_id").GetString());
            Assert.Equal(account.EmailAddress, returned.GetProperty("email_address").GetString());
            Assert.False(returned.GetProperty("is_locked").GetBoolean());
            Assert.Equal("en-US", returned.GetProperty("locale").GetString());
        }
    }

    [Fact]
    public async Task Bearer_token_authenticates_and_the_log_records_only_the_scheme()
    {
        await using var emulator = await StartAsync();
        var body = await (await emulator.GetAsync("/v3/account", Bearer(Alpha.AccessTokens[0]))).JsonAsync();

        Assert.Equal(Alpha.AccountId, body.GetProperty("account").GetProperty("account_id").GetString());
        var entry = (await emulator.AdminGetAsync("log"))[0];
        Assert.Equal("bearer", entry.GetProperty("auth_scheme").GetString());
        Assert.Equal(Alpha.AccountId, entry.GetProperty("account_id").GetString());
    }

    public static TheoryData<string?> RejectedCredentials => new()
    {
        null,
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("0000000000000000000000000000000000000000000000000000000000000000:")),
        // The documented form is "<key>:"; without the colon or with a password the header is malformed.
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Alpha.ApiKeys[0])),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Alpha.ApiKeys[0] + ":secret")),
        "Basic not-base64!",
        "Bearer unknown-token",
        "Bearer " + Alpha.ApiKeys[0],
        "Token " + Alpha.ApiKeys[0],
    };

    [Theory]
    [MemberData(nameof(RejectedCredentials))]
    public async Task Missing_or_unknown_credentials_get_401_unauthorized(string? authorization)
    {
        await using var emulator = await StartAsync();
        var auth = authorization is null ? null : AuthenticationHeaderValue.Parse(authorization);

        using var response = await emulator.CancelAsync(SeededIds(Alpha, RequestStates.AwaitingSignature)[0], auth);

        await response.AssertErrorAsync(401, "unauthorized");
        Assert.True(response.Headers.Contains("X-RateLimit-Limit"));
        var state = await emulator.AdminGetAsync($"state/{SeededIds(Alpha, RequestStates.AwaitingSignature)[0]}");
        Assert.Equal(0, state.GetProperty("cancel_count").GetInt32());
    }

    [Fact]
    public async Task Revoked_credentials_answer_401_until_reset()
    {
        await using var emulator = await StartAsync();

        (await emulator.Http.PostAsync($"/__emulator/accounts/{Alpha.AccountId}/revoke", null)).EnsureSuccessStatusCode();

        await (await emulator.GetAsync("/v3/account", Basic(Alpha.ApiKeys[1]))).AssertErrorAsync(401, "unauthorized");
        await (await emulator.GetAsync("/v3/account", Bearer(Alpha.AccessTokens[0]))).AssertErrorAsync(401, "unauthorized");
        Assert.Equal(200, (int)(await emulator.GetAsync("/v3/account", Basic(Beta.ApiKeys[0]))).StatusCode);
        await emulator.AdminPostAsync("reset", new { });
        Assert.Equal(200, (int)(await emulator.GetAsync("/v3/account", AlphaKey)).StatusCode);
    }

    [Fact]
    public async Task Get_account_selects_by_account_id_or_email_address_and_account_id_wins()
    {
        await using var emulator = await StartAsync();
        async Task<string?> AccountIdAsync(string query) =>
            (await (await emulator.GetAsync($"/v3/account{query}", AlphaKey)).JsonAsync()).GetProperty("account").GetProperty("account_id").GetString();

        Assert.Equal(Alpha.AccountId, await AccountIdAsync(""));
        Assert.Equal(Beta.AccountId, await AccountIdAsync($"?account_id={Beta.AccountId}"));
        Assert.Equal(Beta.AccountId, await AccountIdAsync($"?email_address={Uri.EscapeDataString(Beta.EmailAddress.ToUpperInvariant())}"));
        Assert.Equal(Beta.AccountId, await AccountIdAsync($"?account_id={Beta.AccountId}&email_address={Uri.EscapeDataString(Alpha.EmailAddress)}"));
        await (await emulator.GetAsync("/v3/account?email_address=nobody%40example.test", AlphaKey)).AssertErrorAsync(404, "not_found");
        await (await emulator.GetAsync("/v3/account?account_id=ffffffffffffffffffffffffffffffffffffffff", AlphaKey)).AssertErrorAsync(404, "not_found");
    }
}
