using System;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.Errors;

public class ApiErrorMapperTests
{
    private static ApiResponse Response(int status, string body, string? contentType = "application/json", bool truncated = false) =>
        new(status, body, truncated, contentType, RateLimitInfo.None, null, TimeSpan.Zero);

    [Theory]
    [InlineData("Error400Response", 400, ApiFailureKind.BadRequest, "BadRequest", "bad_request")]
    [InlineData("Error401Response", 401, ApiFailureKind.Unauthorized, "Unauthorized", "unauthorized")]
    [InlineData("Error403Response", 403, ApiFailureKind.Forbidden, "Forbidden", "forbidden")]
    [InlineData("Error404Response", 404, ApiFailureKind.NotFound, "NotFound", "not_found")]
    [InlineData("Error409Response", 409, ApiFailureKind.Conflict, "Conflict", "conflict")]
    [InlineData("Error410Response", 410, ApiFailureKind.Gone, "Deleted", "deleted")]
    [InlineData("Error429Response", 429, ApiFailureKind.RateLimited, "ExceededRate", "exceeded_rate")]
    public void The_spec_examples_map_to_a_kind_and_a_stable_error_id(string example, int status, ApiFailureKind kind, string errorId, string errorName)
    {
        var failure = ApiErrorMapper.FromResponse(Response(status, SpecExample.Read(example)));

        Assert.Equal(kind, failure.Kind);
        Assert.Equal(errorId, failure.ErrorId);
        Assert.Equal(errorName, failure.ErrorName);
        Assert.Equal(status, failure.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(failure.Message));
    }

    [Fact]
    public void A_cancel_refusal_is_its_own_kind()
    {
        var failure = ApiErrorMapper.FromResponse(Response(400, "{\"error\":{\"error_msg\":\"Cannot cancel\",\"error_name\":\"signature_request_cancel_failed\"}}"));

        Assert.Equal(ApiFailureKind.CannotCancel, failure.Kind);
        Assert.Equal("SignatureRequestCancelFailed", failure.ErrorId);
        Assert.Equal("Cannot cancel", failure.Message);
        Assert.False(failure.IsTransient);
    }

    [Theory]
    [InlineData(502, "<html><body>Bad Gateway</body></html>", "text/html")]
    [InlineData(503, "<html>maintenance</html>", "text/html")]
    [InlineData(500, "{\"error\":{\"error_ms", "application/json")]
    [InlineData(500, "", null)]
    public void A_server_error_without_json_is_still_a_clear_transient_failure(int status, string body, string? contentType)
    {
        var failure = ApiErrorMapper.FromResponse(Response(status, body, contentType));

        Assert.Equal(ApiFailureKind.ServerError, failure.Kind);
        Assert.True(failure.IsTransient);
        Assert.Contains($"HTTP {status}", failure.Message);
        Assert.Equal("ServerError", failure.ErrorId);
    }

    [Fact]
    public void An_html_page_with_a_client_status_is_an_invalid_response_naming_a_proxy()
    {
        var failure = ApiErrorMapper.FromResponse(Response(404, "<html>Not here</html>", "text/html"));

        Assert.Equal(ApiFailureKind.InvalidResponse, failure.Kind);
        Assert.Contains("proxy", failure.Message);
    }

    [Fact]
    public void A_redirect_is_never_followed_and_says_where_it_pointed()
    {
        var response = new ApiResponse(307, "", false, null, RateLimitInfo.None, new Uri("http://127.0.0.1:9/elsewhere"), TimeSpan.Zero);

        var failure = ApiErrorMapper.FromResponse(response);

        Assert.Equal(ApiFailureKind.Redirect, failure.Kind);
        Assert.Contains("127.0.0.1:9", failure.Message);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public void A_hostile_error_name_cannot_forge_an_odd_error_id()
    {
        var failure = ApiErrorMapper.FromResponse(Response(400, "{\"error\":{\"error_msg\":\"x\",\"error_name\":\"a,b\\r\\nc$(whoami)\"}}"));

        Assert.Matches("^[A-Za-z0-9]+$", failure.ErrorId);
    }

    [Fact]
    public void Control_characters_in_the_api_message_are_flattened()
    {
        var failure = ApiErrorMapper.FromResponse(Response(400, "{\"error\":{\"error_msg\":\"line1\\nline2\\u001b[0m\",\"error_name\":\"bad_request\"}}"));

        Assert.DoesNotContain(failure.Message, c => c == (char)0x0a);
        Assert.DoesNotContain(failure.Message, c => c == (char)0x1b);
    }

    [Theory]
    [InlineData("{\"error\":{\"error_msg\":\"\\ud800\",\"error_name\":\"bad_request\"}}")] // a lone surrogate escape (found by fuzzing)
    [InlineData("{\"\\udc00error\":{\"error_msg\":\"Not found\"}}")]                      // ... in a property name
    public void Text_that_is_not_valid_unicode_is_an_unreadable_body_not_an_exception(string body)
    {
        var failure = ApiErrorMapper.FromResponse(Response(400, body));

        Assert.Equal(ApiFailureKind.InvalidResponse, failure.Kind);
        Assert.Contains("HTTP 400", failure.Message);
    }

    [Fact]
    public void Unicode_line_separators_in_api_text_are_flattened_too()
    {
        var failure = ApiErrorMapper.FromResponse(Response(400, "{\"error\":{\"error_msg\":\"a\\u2028b\\u2029c\",\"error_name\":\"bad\\u2028request\"}}"));

        Assert.Equal("a b c", failure.Message);
        Assert.Equal("bad request", failure.ErrorName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"error\":\"flat\"}")]
    [InlineData("{\"error\":{\"error_name\":5}}")]
    public void Odd_error_bodies_never_throw(string body)
    {
        var (name, message) = ApiErrorMapper.ReadErrorBody(body);

        Assert.Null(name);
        Assert.Null(message);
    }

    [Fact]
    public void Deeply_nested_json_is_refused_not_crashed_on()
    {
        var body = new string('[', 10_000) + new string(']', 10_000);

        var failure = ApiErrorMapper.FromResponse(Response(500, body));

        Assert.Equal(ApiFailureKind.ServerError, failure.Kind);
    }

    [Theory]
    [InlineData(TransportFailureKind.Timeout, ApiFailureKind.Timeout, true)]
    [InlineData(TransportFailureKind.Network, ApiFailureKind.Network, true)]
    [InlineData(TransportFailureKind.Tls, ApiFailureKind.Tls, false)]
    public void Transport_failures_keep_their_kind(TransportFailureKind transport, ApiFailureKind kind, bool transient)
    {
        var failure = ApiErrorMapper.FromTransport(new TransportFailure(transport, "boom", TimeSpan.Zero));

        Assert.Equal(kind, failure.Kind);
        Assert.Equal(transient, failure.IsTransient);
        Assert.Null(failure.StatusCode);
    }
}
