using System;
using System.IO;
using System.Net.Http;

namespace HelloSign.Core.Http;

/// <summary>One logical API request: what to send, and what to do with a successful body.</summary>
public sealed class ApiRequest
{
    /// <param name="repeatable">
    /// Sending it twice does no more than sending it once, so any transient fault may be retried. When false, it is
    /// retried only when it certainly never reached the API: the connection was refused, or the answer was 429 or 409.
    /// </param>
    public ApiRequest(HttpMethod method, ApiPath path, bool repeatable, byte[]? jsonBody = null, Func<Stream>? openDownload = null)
    {
        Method = method ?? throw new ArgumentNullException(nameof(method));
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Repeatable = repeatable;
        JsonBody = jsonBody;
        OpenDownload = openDownload;
    }

    public HttpMethod Method { get; }
    public ApiPath Path { get; }
    public bool Repeatable { get; }

    /// <summary>UTF-8 JSON sent as the body (application/json); null sends none (an empty one for POST).</summary>
    public byte[]? JsonBody { get; }

    /// <summary>
    /// When set, a 2xx body is copied, unbounded, into a stream opened by this for each attempt (so a retry starts
    /// afresh), instead of being read as text. Error bodies are still read as text.
    /// </summary>
    public Func<Stream>? OpenDownload { get; }
}
