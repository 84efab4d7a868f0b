using System;
using System.Net;
using HelloSign.Core.RateLimiting;

namespace HelloSign.Core.Http;

/// <summary>One HTTP response from the API, its body read up to a bound.</summary>
public sealed class ApiResponse
{
    public ApiResponse(int statusCode, string body, bool bodyTruncated, string? contentType, RateLimitInfo rateLimit, Uri? location, TimeSpan elapsed)
    {
        StatusCode = statusCode;
        Body = body;
        BodyTruncated = bodyTruncated;
        ContentType = contentType;
        RateLimit = rateLimit;
        Location = location;
        Elapsed = elapsed;
    }

    public int StatusCode { get; }

    /// <summary>The body as text, at most <see cref="BoundedBodyReader.MaximumBodyBytes"/> of it.</summary>
    public string Body { get; }

    /// <summary>True when the body was longer than the bound and the rest was not read.</summary>
    public bool BodyTruncated { get; }

    public string? ContentType { get; }
    public RateLimitInfo RateLimit { get; }

    /// <summary>Where a redirect pointed; never followed.</summary>
    public Uri? Location { get; }

    public TimeSpan Elapsed { get; }

    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    public string StatusText => $"{StatusCode} {ReasonPhrase(StatusCode)}".TrimEnd();

    private static string ReasonPhrase(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : string.Empty;
}
