using System;
using System.Collections;
using System.Collections.Generic;
using HelloSign.Core.Http;
using Xunit;

namespace HelloSign.Core.Tests.Http;

public class UserApiPathTests
{
    [Theory]
    [InlineData("account", "account")]
    [InlineData("/signature_request/list", "signature_request/list")]
    [InlineData("signature_request/remind/fa5c8a0b0f492d768749333ad6fcc214c111e967", "signature_request/remind/fa5c8a0b0f492d768749333ad6fcc214c111e967")]
    [InlineData("template/list", "template/list")]
    [InlineData("a.b/c~d-e_f", "a.b/c~d-e_f")]
    public void Relative_api_paths_are_accepted_as_given(string given, string expected)
    {
        Assert.Equal(expected, UserApiPath.Check(given));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("https://evil.example/v3/account", "not a URL")]
    [InlineData("//evil.example/account", "not a URL")]
    [InlineData("\\\\evil.example\\account", "not a URL")]
    [InlineData("http:account", "':'")]
    [InlineData("javascript:alert(1)", "':'")]
    [InlineData("../account", "'..'")]
    [InlineData("signature_request/../../account", "'..'")]
    [InlineData("./account", "'.'")]
    [InlineData("signature_request//list", "empty segment")]
    [InlineData("account/", "empty segment")]
    [InlineData("signature_request/list?page=2", "-Query")]
    [InlineData("account#top", "-Query")]
    [InlineData("account\r\nHost: evil.example", "control character")]
    [InlineData("account\u2028", "control character")]
    [InlineData("signature_request/%2e%2e/account", "'%'")]
    [InlineData("signature_request\\..\\account", "'\\'")]
    [InlineData("@evil.example/account", "'@'")]
    [InlineData("sign ature", "a space")]
    [InlineData("v3/account", "leave 'v3/' out")]
    [InlineData("/v3/account", "leave 'v3/' out")]
    public void Anything_that_could_leave_the_api_base_is_refused_with_the_reason(string given, string reason)
    {
        var refusal = Assert.Throws<ArgumentException>(() => UserApiPath.Check(given));

        Assert.Contains(reason, refusal.Message);
    }

    [Theory]
    [InlineData("account?api_key=abc", "account")]
    [InlineData("account#abc", "account")]
    [InlineData("https://abc:@evil.example/v3/account", "evil.example/v3/account")]
    [InlineData("key@host/path", "host/path")]
    [InlineData("a\r\nb\u2028", "a??b?")]
    [InlineData("signature_request/../account", "signature_request/../account")]
    public void A_refused_path_is_shown_without_the_parts_a_key_would_sit_in(string given, string shown)
    {
        Assert.Equal(shown, UserApiPath.Redact(given));
    }

    [Fact]
    public void Query_values_are_encoded_in_order_with_lists_repeated_and_nulls_left_out()
    {
        var query = new List<KeyValuePair<string, object?>>
        {
            new("query", "title:\"NDA & co\" AND complete:false"),
            new("page", 2),
            new("test_mode", true),
            new("skip", null),
            new("signer_email_address[]", new ArrayList { "a@x.test", "b+c@x.test" }),
            new("created", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
        };

        Assert.Equal(
            "query=title%3A%22NDA%20%26%20co%22%20AND%20complete%3Afalse&page=2&test_mode=true&signer_email_address%5B%5D=a%40x.test&signer_email_address%5B%5D=b%2Bc%40x.test&created=1767225600",
            UserApiPath.EncodeQuery(query));
    }

    [Fact]
    public void A_query_value_cannot_add_a_parameter_or_a_fragment()
    {
        var path = ApiPath.FromUser("signature_request/list", new[] { new KeyValuePair<string, object?>("query", "x&account_id=all#frag") });

        Assert.Equal("signature_request/list?query=x%26account_id%3Dall%23frag", path.Relative);
    }

    [Fact]
    public void A_query_parameter_needs_a_name()
    {
        Assert.Throws<ArgumentException>(() => UserApiPath.EncodeQuery(new[] { new KeyValuePair<string, object?>("", "x") }));
    }
}
