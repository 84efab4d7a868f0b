using System;
using HelloSign.Core.Auth;
using Xunit;

namespace HelloSign.Core.Tests.Auth;

public class ApiCredentialTests
{
    [Fact]
    public void An_api_key_is_basic_auth_with_the_key_as_user_and_an_empty_password()
    {
        using var credential = new ApiCredential(AuthenticationMethod.ApiKey, ApiCredential.ToSecureString("YOUR_API_KEY"));

        var header = credential.CreateAuthorizationHeader();

        Assert.Equal("Basic", header.Scheme);
        Assert.Equal("WU9VUl9BUElfS0VZOg==", header.Parameter); // base64("YOUR_API_KEY:"), from the API reference
    }

    [Fact]
    public void A_key_with_a_trailing_newline_from_a_file_still_works()
    {
        using var credential = new ApiCredential(AuthenticationMethod.ApiKey, ApiCredential.ToSecureString("YOUR_API_KEY\r\n"));

        Assert.Equal("WU9VUl9BUElfS0VZOg==", credential.CreateAuthorizationHeader().Parameter);
    }

    [Fact]
    public void An_access_token_is_a_bearer_token()
    {
        using var credential = new ApiCredential(AuthenticationMethod.AccessToken, ApiCredential.ToSecureString("tok-123"));

        var header = credential.CreateAuthorizationHeader();

        Assert.Equal("Bearer", header.Scheme);
        Assert.Equal("tok-123", header.Parameter);
    }

    [Fact]
    public void ToString_never_shows_the_secret()
    {
        using var credential = new ApiCredential(AuthenticationMethod.ApiKey, ApiCredential.ToSecureString("supersecretkey"));

        Assert.DoesNotContain("supersecret", credential.ToString());
    }

    [Fact]
    public void An_empty_secret_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ApiCredential(AuthenticationMethod.ApiKey, new System.Security.SecureString()));
    }
}
