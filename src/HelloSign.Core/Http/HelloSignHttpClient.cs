using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Auth;
using HelloSign.Core.RateLimiting;

namespace HelloSign.Core.Http;

/// <summary>
/// Sends single requests to the API: one HttpClient per connection, the credential attached per request,
/// redirects never followed (so the Authorization header never reaches another host), bodies read up to a bound.
/// Retries and pacing are the caller's business (<see cref="ApiCaller"/>).
/// </summary>
public sealed class HelloSignHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ApiCredential _credential;

    public HelloSignHttpClient(Uri baseUri, ApiCredential credential, string userAgent, HttpMessageHandler? handler = null)
    {
        BaseUri = ApiEndpoint.Validate(baseUri);
        _credential = credential ?? throw new ArgumentNullException(nameof(credential));
        _http = new HttpClient(handler ?? CreateHandler(), disposeHandler: true)
        {
            BaseAddress = BaseUri,
            // Each request has its own timeout (a linked token); the client-wide one would fight it.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri BaseUri { get; }

    public AuthenticationMethod AuthenticationMethod => _credential.Method;

    internal ApiCredential Credential => _credential;

    public static HttpClientHandler CreateHandler() => CreateHandler(Platform.IsNetFramework);

    /// <summary>The handler for the given runtime: tests select the .NET Framework branch on any runtime.</summary>
    internal static HttpClientHandler CreateHandler(bool isNetFramework)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // Windows PowerShell's default is 2 connections per host, which would cap -ThrottleLimit.
            MaxConnectionsPerServer = 256,
            AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
        };

        if (isNetFramework)
        {
            // powershell.exe doesn't opt in to modern TLS, so .NET Framework may offer only TLS 1.0 unless the
            // machine was configured; the API needs TLS 1.2. Newer runtimes already use the OS's best.
            handler.SslProtocols = SslProtocols.Tls12;
        }

        return handler;
    }

    /// <summary>Sends one request. Returns the response, or the reason there was none; throws only when the caller cancels.</summary>
    public Task<(ApiResponse? Response, TransportFailure? Failure)> SendAsync(
        HttpMethod method, ApiPath path, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(new ApiRequest(method, path, repeatable: true), timeout, cancellationToken);

    /// <summary>Sends one request, with its JSON body and download sink if it has them. Throws only when the caller cancels.</summary>
    public async Task<(ApiResponse? Response, TransportFailure? Failure)> SendAsync(
        ApiRequest apiRequest, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var method = apiRequest.Method;
        var stopwatch = Stopwatch.StartNew();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(method, apiRequest.Path.Relative);
            request.Headers.Authorization = _credential.CreateAuthorizationHeader();
            if (apiRequest.JsonBody is { } json)
            {
                request.Content = new ByteArrayContent(json);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }
            else if (method == HttpMethod.Post)
            {
                request.Content = new ByteArrayContent(Array.Empty<byte>());
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            // .NET Framework's response stream checks the token only when a read starts: disposing the response on
            // timeout or Ctrl+C is what ends a body that trickles in, or never comes.
            using var abortBody = timeoutSource.Token.Register(response.Dispose);
            var status = (int)response.StatusCode;
            var limit = status >= 300 ? BoundedBodyReader.MaximumErrorBodyBytes : BoundedBodyReader.MaximumBodyBytes;
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var (body, truncated) = status is >= 200 and <= 299 && apiRequest.OpenDownload is { } openDownload
                ? await DownloadAsync(stream, openDownload, timeoutSource.Token).ConfigureAwait(false)
                : await BoundedBodyReader.ReadAsync(stream, limit, timeoutSource.Token).ConfigureAwait(false);

            var headers = new System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<string, System.Collections.Generic.IEnumerable<string>>>(response.Headers);
            headers.AddRange(response.Content.Headers);
            return (new ApiResponse(
                status,
                body,
                truncated,
                response.Content.Headers.ContentType?.MediaType,
                RateLimitInfo.FromHeaders(headers),
                response.Headers.Location,
                stopwatch.Elapsed), null);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException && IsAbort(e))
        {
            // Ctrl+C during a body read: .NET Framework reports the aborted read as an IOException.
            throw new OperationCanceledException("The request was cancelled.", e, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (e is OperationCanceledException || (timeoutSource.IsCancellationRequested && IsAbort(e))))
        {
            // After the deadline, whatever the stack wraps the aborted read in (.NET Framework: an IOException
            // around a WebException; or ObjectDisposedException once the response is disposed), it is a timeout.
            return (null, new TransportFailure(TransportFailureKind.Timeout, $"No complete response within {timeout.TotalSeconds:0.###} s (the per-request timeout).", stopwatch.Elapsed));
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return (null, Describe(e, stopwatch.Elapsed));
        }
    }

    /// <summary>How an HTTP stack reports a request or body read that ended early (as opposed to a bug).</summary>
    private static bool IsAbort(Exception exception) =>
        exception is HttpRequestException or IOException or ObjectDisposedException or System.Net.WebException;

    /// <summary>Copies a successful body into the caller's stream; the text body is then empty.</summary>
    private static async Task<(string Text, bool Truncated)> DownloadAsync(Stream body, Func<Stream> openDownload, CancellationToken cancellationToken)
    {
        using var sink = openDownload();
        await body.CopyToAsync(sink, 81920, cancellationToken).ConfigureAwait(false);
        return (string.Empty, false);
    }

    private static TransportFailure Describe(Exception exception, TimeSpan elapsed)
    {
        var isTls = false;
        var refused = false;
        var message = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            // .NET Framework reports certificate and handshake failures as a WebException with a status.
            isTls |= inner is AuthenticationException or System.Net.WebException { Status: System.Net.WebExceptionStatus.SecureChannelFailure or System.Net.WebExceptionStatus.TrustFailure };
            refused |= inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
            // .NET often repeats an inner message in the outer one ("Connection refused (host:1) Connection refused").
            if (message.IndexOf(inner.Message, StringComparison.Ordinal) < 0)
            {
                message += " " + inner.Message;
            }
        }

        return isTls
            ? new TransportFailure(TransportFailureKind.Tls, "The TLS connection failed (is the server's certificate trusted by this machine?): " + message, elapsed)
            : new TransportFailure(TransportFailureKind.Network, message, elapsed, connectionRefused: refused);
    }

    public void Dispose()
    {
        _http.Dispose();
        _credential.Dispose();
    }
}
