using System;
using System.Net.Http;
using HelloSign.Core.Auth;
using HelloSign.Core.Http;
using HelloSign.Core.RateLimiting;

namespace HelloSign.Core.Tests.TestSupport;

/// <summary>
/// The real client stack (HTTP client, pacer, API) over a scripted handler on a fake clock: what the caller, engine
/// and session tests start from, so that each says only what is particular to it.
/// </summary>
internal static class TestApi
{
    /// <summary>The API reference's example key: a test that finds it in an output has found a leak.</summary>
    public const string Key = "YOUR_API_KEY";

    public const string UserAgent = "HelloSign-Tests/1.0";

    public static readonly Uri BaseUri = new("https://api.hellosign.com/v3");

    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    public static HelloSignHttpClient Client(HttpMessageHandler handler, ApiCredential? credential = null, Uri? baseUri = null) =>
        new(baseUri ?? BaseUri, credential ?? new ApiCredential(AuthenticationMethod.ApiKey, ApiCredential.ToSecureString(Key)), UserAgent, handler);

    /// <param name="jitterSeed">Fixes the pacer's retry jitter, for properties that replay a case.</param>
    public static HelloSignApi Create(HttpMessageHandler handler, Clock clock, int? jitterSeed = null, ApiCredential? credential = null, Uri? baseUri = null) =>
        new(Client(handler, credential, baseUri), new RateLimitPacer(clock, jitterSeed), clock);
}
