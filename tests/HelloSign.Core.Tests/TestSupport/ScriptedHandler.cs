using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.Tests.TestSupport;

/// <summary>An HttpMessageHandler that answers from a script, one step per request, and records what was sent.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage>> _steps = new();

    public List<HttpRequestMessage> Requests { get; } = new();

    public ScriptedHandler Then(Func<HttpRequestMessage, HttpResponseMessage> step)
    {
        _steps.Enqueue(step);
        return this;
    }

    public ScriptedHandler ThenStatus(int status, string body = "", string contentType = "application/json", IDictionary<string, string>? headers = null) =>
        Then(_ => Response(status, body, contentType, headers));

    public ScriptedHandler ThenThrow(Exception exception) => Then(_ => throw exception);

    public static HttpResponseMessage Response(int status, string body = "", string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        foreach (var header in headers ?? new Dictionary<string, string>())
        {
            response.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return response;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        if (!_steps.TryDequeue(out var step))
        {
            throw new InvalidOperationException("The script has no answer left for " + request.RequestUri);
        }

        return Task.FromResult(step(request));
    }
}
