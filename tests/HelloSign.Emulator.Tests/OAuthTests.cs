using System.Net.Http.Json;
using System.Text.Json;
using static HelloSign.Emulator.Tests.TestEmulator;

namespace HelloSign.Emulator.Tests;

public sealed class OAuthTests
{
    private static readonly OAuthConfig App = new();

    private static async Task<JsonElement> GrantAsync(TestEmulator emulator)
    {
        using var response = await emulator.Http.PostAsJsonAsync("/__emulator/oauth/grant", new { account_id = Alpha.AccountId });
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> RefreshAsync(TestEmulator emulator, string refreshToken, string clientSecret = "emulator-client-secret") =>
        emulator.Http.PostAsJsonAsync("/oauth/token?refresh", new { grant_type = "refresh_token", refresh_token = refreshToken, client_id = App.ClientId, client_secret = clientSecret });

    [Fact]
    public async Task A_refresh_gives_new_tokens_that_work_and_the_used_refresh_token_dies()
    {
        await using var emulator = await StartAsync();
        var grant = await GrantAsync(emulator);
        var first = grant.GetProperty("refresh_token").GetString()!;

        var refreshed = await (await RefreshAsync(emulator, first)).JsonAsync();

        Assert.Equal("Bearer", refreshed.GetProperty("token_type").GetString());
        Assert.Equal(3600, refreshed.GetProperty("expires_in").GetInt32());
        Assert.Equal(JsonValueKind.Null, refreshed.GetProperty("state").ValueKind);
        Assert.NotEqual(first, refreshed.GetProperty("refresh_token").GetString());
        var account = await (await emulator.GetAsync("/v3/account", Bearer(refreshed.GetProperty("access_token").GetString()!))).JsonAsync();
        Assert.Equal(Alpha.AccountId, account.GetProperty("account").GetProperty("account_id").GetString());
        await (await RefreshAsync(emulator, first)).AssertErrorAsync(400, "invalid_grant");
    }

    [Fact]
    public async Task A_form_body_works_as_well_as_json()
    {
        await using var emulator = await StartAsync();
        var refreshToken = (await GrantAsync(emulator)).GetProperty("refresh_token").GetString()!;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = App.ClientId,
            ["client_secret"] = App.ClientSecret,
        });

        var response = await emulator.Http.PostAsync("/oauth/token?refresh", form);

        var tokens = await response.JsonAsync();
        Assert.Equal(64, tokens.GetProperty("access_token").GetString()!.Length);
        Assert.NotEqual(refreshToken, tokens.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task The_wrong_client_a_revoked_grant_and_a_missing_refresh_query_are_refused_and_logged_without_secrets()
    {
        await using var emulator = await StartAsync();
        var refreshToken = (await GrantAsync(emulator)).GetProperty("refresh_token").GetString()!;

        await (await RefreshAsync(emulator, refreshToken, clientSecret: "wrong")).AssertErrorAsync(401, "invalid_client");
        await (await emulator.Http.PostAsJsonAsync("/oauth/token", new { grant_type = "refresh_token", refresh_token = refreshToken })).AssertErrorAsync(400, "invalid_request");
        await emulator.AdminPostAsync("oauth/revoke", new { account_id = Alpha.AccountId });
        await (await RefreshAsync(emulator, refreshToken)).AssertErrorAsync(400, "invalid_grant");

        var log = await emulator.AdminGetAsync("oauth/log");
        Assert.Equal(new[] { "invalid_client", "invalid_request", "invalid_grant" }, log.EnumerateArray().Select(e => e.GetProperty("error_name").GetString()));
        Assert.DoesNotContain(refreshToken, log.GetRawText());
        Assert.DoesNotContain(App.ClientSecret, log.GetRawText());
    }

    [Fact]
    public async Task An_access_token_is_refused_once_its_lifetime_is_over()
    {
        await using var emulator = await StartAsync(new EmulatorConfig { OAuth = new OAuthConfig { AccessTokenLifetimeSeconds = 1 } });
        var access = (await GrantAsync(emulator)).GetProperty("access_token").GetString()!;
        Assert.Equal(200, (int)(await emulator.GetAsync("/v3/account", Bearer(access))).StatusCode);

        // Wait for the expiry as a condition, not a fixed sleep.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((int)(await emulator.GetAsync("/v3/account", Bearer(access))).StatusCode == 200)
        {
            await Task.Delay(100, deadline.Token);
        }

        await (await emulator.GetAsync("/v3/account", Bearer(access))).AssertErrorAsync(401, "unauthorized");
        var v3Log = await emulator.AdminGetAsync("log");
        Assert.DoesNotContain(access, v3Log.GetRawText());
    }
}
