using System;
using HelloSign.Core.Http;
using Xunit;

namespace HelloSign.Core.Tests.Http;

public class ApiEndpointTests
{
    [Theory]
    [InlineData("https://api.hellosign.com/v3", "https://api.hellosign.com/v3/")]
    [InlineData("http://127.0.0.1:5000/v3", "http://127.0.0.1:5000/v3/")]
    [InlineData("http://localhost:5000/v3/", "http://localhost:5000/v3/")]
    [InlineData("http://[::1]:5000/v3", "http://[::1]:5000/v3/")]
    public void Https_and_loopback_http_are_accepted(string given, string expected)
    {
        Assert.Equal(expected, ApiEndpoint.Validate(new Uri(given)).ToString());
    }

    [Theory]
    [InlineData("http://api.hellosign.com/v3")]
    [InlineData("http://10.0.0.5/v3")]
    [InlineData("ftp://api.hellosign.com/v3")]
    [InlineData("https://key:@api.hellosign.com/v3")]
    [InlineData("https://api.hellosign.com/v3?x=1")]
    public void Anything_that_could_leak_the_key_is_refused(string given)
    {
        Assert.Throws<ArgumentException>(() => ApiEndpoint.Validate(new Uri(given)));
    }

    [Fact]
    public void A_path_cannot_be_built_from_anything_but_a_normalized_id()
    {
        Assert.Throws<ArgumentException>(() => ApiPath.Cancel("../account"));
        Assert.Throws<ArgumentException>(() => ApiPath.Cancel("FA5C8A0B0F492D768749333AD6FCC214C111E967"));
        Assert.Equal("signature_request/cancel/fa5c8a0b0f492d768749333ad6fcc214c111e967", ApiPath.Cancel("fa5c8a0b0f492d768749333ad6fcc214c111e967").Relative);
    }
}
