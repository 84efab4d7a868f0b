using System.Net;
using System.Text;

namespace HelloSign.Emulator.Contract.Tests;

/// <summary>The checker itself: answers that break the spec must be caught, or a green contract run means nothing.</summary>
public sealed class OpenApiContractTests
{
    private const string Path = "/v3/signature_request/list";

    [Theory]
    [InlineData(200, """{"list_info":{"page":1,"num_pages":1,"num_results":0,"page_size":20},"signature_requests":[],"invented":1}""", "invented")]
    [InlineData(200, """{"list_info":{"page":"one","num_pages":1,"num_results":0,"page_size":20},"signature_requests":[]}""", "page")]
    [InlineData(200, """{"signature_requests":[]}""", "list_info")]
    [InlineData(200, """{"list_info":{"page":1,"num_pages":1,"num_results":0,"page_size":20},"signature_requests":[{"signatures":[{"order":"first"}]}]}""", "order")]
    [InlineData(404, """{"error":{"error_name":"not_found"}}""", "error_msg")]
    [InlineData(302, """{}""", "302")]
    [InlineData(200, """{"list_info":""", "JSON")]
    public async Task Answers_that_break_the_spec_are_reported(int status, string body, string mentioned)
    {
        var contract = await OpenApiContract.GetAsync();

        var problems = contract.Check(HttpMethod.Get, Path, Response(status, body), body);

        Assert.Contains(problems, p => p.Contains(mentioned, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_missing_rate_limit_header_or_a_wrong_content_type_is_reported()
    {
        var contract = await OpenApiContract.GetAsync();
        const string body = """{"list_info":{"page":1,"num_pages":1,"num_results":0,"page_size":20},"signature_requests":[]}""";

        var withoutHeaders = contract.Check(HttpMethod.Get, Path, Response(200, body, rateLimitHeaders: false), body);
        var asText = Response(200, body);
        asText.Content.Headers.ContentType = new("text/plain");

        Assert.Contains(withoutHeaders, p => p.Contains("X-RateLimit-Limit", StringComparison.Ordinal));
        Assert.Contains(contract.Check(HttpMethod.Get, Path, asText, body), p => p.Contains("text/plain", StringComparison.Ordinal));
        Assert.Empty(contract.Check(HttpMethod.Get, Path, Response(200, body), body));
    }

    private static HttpResponseMessage Response(int status, string body, bool rateLimitHeaders = true)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (rateLimitHeaders)
        {
            response.Headers.Add("X-RateLimit-Limit", "100");
            response.Headers.Add("X-RateLimit-Remaining", "99");
            response.Headers.Add("X-Ratelimit-Reset", "1430170900");
        }

        return response;
    }
}
