using System;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.Retry;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.Retry;

/// <summary>The API has no idempotency keys: a raw POST, PUT or DELETE is sent again only when it certainly never arrived.</summary>
public class RawCallRetryTests
{
    private const string Id = "fa5c8a0b0f492d768749333ad6fcc214c111e967";
    private static readonly ApiCallOptions Options = new() { MaximumRetries = 3 };

    private static HelloSignApi Create(ScriptedHandler handler) => TestApi.Create(handler, new FakeClock(TestApi.Start));

    private static ApiRequest Raw(HttpMethod method, byte[]? body = null) =>
        new(method, ApiPath.FromUser("signature_request/remind/" + Id, Array.Empty<System.Collections.Generic.KeyValuePair<string, object?>>()), repeatable: method == HttpMethod.Get, body);

    private static HttpRequestException Refused() =>
        new("Connection refused (127.0.0.1:1)", new SocketException((int)SocketError.ConnectionRefused));

    private static ScriptedHandler After(string fault) => fault switch
    {
        "500" => new ScriptedHandler().ThenStatus(500, "{\"error\":{\"error_name\":\"unknown\",\"error_msg\":\"x\"}}"),
        "502 html" => new ScriptedHandler().ThenStatus(502, "<html>Bad Gateway</html>", "text/html"),
        "reset" => new ScriptedHandler().ThenThrow(new HttpRequestException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset))),
        _ => new ScriptedHandler().ThenThrow(new HttpRequestException("The response ended prematurely.")),
    };

    [Theory]
    [InlineData("500", "POST", 1)]
    [InlineData("502 html", "POST", 1)]
    [InlineData("reset", "POST", 1)]
    [InlineData("cut off", "POST", 1)]
    [InlineData("500", "GET", 2)]
    [InlineData("502 html", "GET", 2)]
    [InlineData("reset", "GET", 2)]
    [InlineData("cut off", "GET", 2)]
    public async Task A_fault_that_may_have_arrived_is_retried_for_a_get_but_a_post_is_not_sent_again(string fault, string method, int expectedRequests)
    {
        var handler = After(fault).ThenStatus(200, "{}");

        var result = await Create(handler).InvokeAsync(Raw(new HttpMethod(method)), Options, null, CancellationToken.None);

        Assert.Equal(method == "GET", result.Succeeded);
        Assert.Equal(expectedRequests, handler.Requests.Count);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task A_change_is_retried_after_a_refused_connection_a_409_and_a_429(string method)
    {
        var handler = new ScriptedHandler()
            .ThenThrow(Refused())
            .ThenStatus(409, "{\"error\":{\"error_name\":\"conflict\",\"error_msg\":\"busy\"}}")
            .ThenStatus(429, "{\"error\":{\"error_name\":\"exceeded_rate\",\"error_msg\":\"slow\"}}")
            .ThenStatus(200, "{}");

        var result = await Create(handler).InvokeAsync(Raw(new HttpMethod(method)), Options, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(4, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(method, r.Method.Method));
    }

    [Fact]
    public async Task The_modules_own_cancel_still_retries_every_transient_fault_since_a_repeat_only_answers_410()
    {
        var handler = new ScriptedHandler().ThenStatus(500, "").ThenThrow(new HttpRequestException("Connection reset by peer")).ThenStatus(200);

        var result = await Create(handler).CancelAsync(Id, Options, null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task The_json_body_is_sent_as_utf8_json_on_every_attempt()
    {
        var sent = new System.Collections.Generic.List<(string? Type, byte[] Body)>();
        (string?, byte[]) Capture(HttpRequestMessage request) =>
            (request.Content!.Headers.ContentType!.MediaType, request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
        var handler = new ScriptedHandler()
            .Then(request => { sent.Add(Capture(request)); throw Refused(); })
            .Then(request => { sent.Add(Capture(request)); return ScriptedHandler.Response(200, "{}"); });
        var body = Encoding.UTF8.GetBytes("{\"email_address\":\"jörg@example.test\"}");

        await Create(handler).InvokeAsync(Raw(HttpMethod.Post, body), Options, null, CancellationToken.None);

        Assert.Equal(2, sent.Count);
        Assert.All(sent, s =>
        {
            Assert.Equal("application/json", s.Type);
            Assert.Equal(body, s.Body);
        });
    }

    [Fact]
    public async Task Warnings_of_a_json_answer_are_returned_and_the_body_kept_as_it_came()
    {
        const string Body = "{\"account\":{},\"warnings\":[{\"warning_name\":\"deprecated\",\"warning_msg\":\"use v4\"}]}";
        var handler = new ScriptedHandler().ThenStatus(200, Body);

        var result = await Create(handler).InvokeAsync(Raw(HttpMethod.Get), Options, null, CancellationToken.None);

        Assert.Equal("deprecated: use v4", Assert.Single(result.Warnings));
        Assert.Equal(Body, result.Value!.Body);
    }

    [Fact]
    public async Task A_download_goes_to_a_fresh_stream_per_attempt_and_error_bodies_stay_text()
    {
        var handler = new ScriptedHandler()
            .ThenStatus(404, "{\"error\":{\"error_name\":\"not_found\",\"error_msg\":\"Not found.\"}}");
        var opened = 0;
        var request = new ApiRequest(HttpMethod.Get, ApiPath.FromUser("signature_request/files/" + Id, Array.Empty<System.Collections.Generic.KeyValuePair<string, object?>>()), repeatable: true,
            openDownload: () => { opened++; return new System.IO.MemoryStream(); });

        var result = await Create(handler).InvokeAsync(request, Options, null, CancellationToken.None);

        Assert.Equal(ApiFailureKind.NotFound, result.Failure!.Kind);
        Assert.Equal(0, opened);

        var pdf = new System.IO.MemoryStream();
        var ok = new ScriptedHandler().ThenStatus(500, "").ThenStatus(200, "%PDF-1.4 body", "application/pdf");
        var download = new ApiRequest(HttpMethod.Get, request.Path, repeatable: true, openDownload: () => { pdf = new System.IO.MemoryStream(); return pdf; });
        var saved = await Create(ok).InvokeAsync(download, Options, null, CancellationToken.None);

        Assert.True(saved.Succeeded);
        Assert.Equal("%PDF-1.4 body", Encoding.ASCII.GetString(pdf.ToArray()));
        Assert.Equal(string.Empty, saved.Value!.Body);
    }
}
