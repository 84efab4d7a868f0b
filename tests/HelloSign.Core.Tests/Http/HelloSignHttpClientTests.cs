using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Auth;
using HelloSign.Core.Http;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.Http;

/// <summary>
/// The transport's .NET Framework branches, run with that branch selected whatever runtime runs the tests, and
/// failures shaped the way .NET Framework's HttpClientHandler reports them.
/// </summary>
public class HelloSignHttpClientTests
{
    private static readonly TimeSpan NoDeadline = TimeSpan.FromHours(1);

    private static HelloSignHttpClient Create(HttpMessageHandler handler) => TestApi.Client(handler);

    [Fact]
    public void On_NET_Framework_the_handler_offers_only_TLS_1_2()
    {
        using var handler = HelloSignHttpClient.CreateHandler(isNetFramework: true);

        Assert.Equal(SslProtocols.Tls12, handler.SslProtocols);
    }

    [Fact]
    public void On_NET_the_handler_leaves_the_TLS_choice_to_the_OS()
    {
        using var handler = HelloSignHttpClient.CreateHandler(isNetFramework: false);

        Assert.Equal(SslProtocols.None, handler.SslProtocols);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Either_handler_never_follows_redirects_and_allows_many_connections(bool isNetFramework)
    {
        using var handler = HelloSignHttpClient.CreateHandler(isNetFramework);

        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.Equal(256, handler.MaxConnectionsPerServer);
    }

    [Theory]
    [InlineData(WebExceptionStatus.SecureChannelFailure, TransportFailureKind.Tls)]
    [InlineData(WebExceptionStatus.TrustFailure, TransportFailureKind.Tls)]
    [InlineData(WebExceptionStatus.ConnectFailure, TransportFailureKind.Network)]
    [InlineData(WebExceptionStatus.ConnectionClosed, TransportFailureKind.Network)]
    public async Task A_NET_Framework_WebException_is_classified_by_its_status(WebExceptionStatus status, TransportFailureKind expected)
    {
        var inner = new WebException("The request was aborted: Could not create SSL/TLS secure channel.", status);
        using var client = Create(new ScriptedHandler().ThenThrow(new HttpRequestException("An error occurred while sending the request.", inner)));

        var (response, failure) = await client.SendAsync(HttpMethod.Get, ApiPath.Account(), NoDeadline, CancellationToken.None);

        Assert.Null(response);
        Assert.Equal(expected, failure!.Kind);
        Assert.Contains(inner.Message, failure.Message);
    }

    [Fact]
    public async Task A_body_still_trickling_in_at_the_deadline_is_a_timeout_whatever_the_stack_wraps_it_in()
    {
        var body = new TricklingBody();
        using var client = Create(new ScriptedHandler().Then(_ => body.Response()));

        var (response, failure) = await client.SendAsync(HttpMethod.Get, ApiPath.Account(), TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.Null(response);
        Assert.Equal(TransportFailureKind.Timeout, failure!.Kind);
        Assert.True(body.Disposed.Task.IsCompleted, "the response was not disposed, so a real body read would not have ended");
    }

    [Fact]
    public async Task A_body_that_breaks_before_the_deadline_is_a_network_failure()
    {
        var body = new TricklingBody { BreakAtOnce = true };
        using var client = Create(new ScriptedHandler().Then(_ => body.Response()));

        var (_, failure) = await client.SendAsync(HttpMethod.Get, ApiPath.Account(), NoDeadline, CancellationToken.None);

        Assert.Equal(TransportFailureKind.Network, failure!.Kind);
    }

    [Fact]
    public async Task Ctrl_C_during_a_body_read_is_a_cancellation_not_a_failure()
    {
        var body = new TricklingBody();
        using var client = Create(new ScriptedHandler().Then(_ => body.Response()));
        using var ctrlC = new CancellationTokenSource();

        var send = client.SendAsync(HttpMethod.Get, ApiPath.Account(), NoDeadline, ctrlC.Token);
        await body.Waiting.Task;
        ctrlC.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    /// <summary>
    /// A body like .NET Framework's response stream: it sends a little, then waits without looking at the token,
    /// and when the response is disposed the pending read fails with an IOException around a WebException.
    /// </summary>
    private sealed class TricklingBody : Stream
    {
        private bool _sentFirstBytes;

        public bool BreakAtOnce { get; set; }

        public TaskCompletionSource<bool> Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HttpResponseMessage Response()
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(this) };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return response;
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (!_sentFirstBytes)
            {
                _sentFirstBytes = true;
                return Encoding.UTF8.GetBytes("{\"acc", 0, 5, buffer, offset);
            }

            if (!BreakAtOnce)
            {
                Waiting.TrySetResult(true);
                await Disposed.Task.ConfigureAwait(false);
            }

            throw new IOException(
                "Unable to read data from the transport connection: The connection was closed.",
                new WebException("The request was aborted: The request was canceled.", WebExceptionStatus.RequestCanceled));
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        protected override void Dispose(bool disposing)
        {
            Disposed.TrySetResult(true);
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
