using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HelloSign.Emulator;

/// <summary>
/// Runtime behaviour switches (faults, latency, rate limit, asynchronous cancel, callbacks).
/// Set by --config at start (an omitted option means its default) and replaced by POST /__emulator/config,
/// where an omitted option keeps its start-up value, so a test run that starts synchronous stays so.
/// </summary>
internal sealed record EmulatorConfig
{
    /// <summary>Seeds the fault dice so a run can be repeated; null draws differently every time.</summary>
    public int? Seed { get; init; }

    /// <summary>Fixed delay added to every /v3 request.</summary>
    public int LatencyMs { get; init; }

    public FaultConfig Faults { get; init; } = new();

    /// <summary>How long the "timeout" fault stalls before answering.</summary>
    public int TimeoutDelayMs { get; init; } = 30_000;

    public RateLimitConfig RateLimit { get; init; } = new();

    /// <summary>
    /// How long after an accepted cancel GET still answers 200 before turning to 410, at least. The real API
    /// cancels asynchronously, so the default is a few seconds; 0 with no jitter makes cancel synchronous.
    /// </summary>
    public int CancelDelayMs { get; init; } = 2_000;

    /// <summary>Up to this much more delay per cancel, drawn per request id from <see cref="Seed"/> so a run repeats.</summary>
    public int CancelDelayJitterMs { get; init; } = 3_000;

    /// <summary>Where signature_request_canceled events are posted; null sends none.</summary>
    public string? CallbackUrl { get; init; }

    public int CallbackRetryMs { get; init; } = 500;

    public int CallbackMaxAttempts { get; init; } = 10;

    /// <summary>The OAuth app and token lifetimes of /oauth/token (see <see cref="OAuthEndpoints"/>).</summary>
    [JsonPropertyName("oauth")]
    public OAuthConfig OAuth { get; init; } = new();

    public static EmulatorConfig Load(string path) => Parse(File.ReadAllText(path), $"Config file '{path}'");

    /// <summary>Reads and validates a config document; throws <see cref="InvalidDataException"/> with a readable reason.</summary>
    public static EmulatorConfig Parse(string json, string origin)
    {
        EmulatorConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<EmulatorConfig>(json, EmulatorJson.Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{origin} is not valid: {ex.Message}", ex);
        }

        var problem = config is null ? "it is empty" : config.FindProblem();
        return problem is null ? config! : throw new InvalidDataException($"{origin} is not valid: {problem}.");
    }

    /// <summary>
    /// <paramref name="json"/> laid over <paramref name="baseline"/> as a JSON merge patch (RFC 7386): objects merge
    /// key by key, anything else replaces, and null restores the option's default.
    /// </summary>
    public static EmulatorConfig ParseOver(EmulatorConfig baseline, string json, string origin)
    {
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{origin} is not valid: {ex.Message}", ex);
        }

        if (patch is not JsonObject patchObject)
        {
            throw new InvalidDataException($"{origin} is not valid: it must be a JSON object.");
        }

        var merged = JsonSerializer.SerializeToNode(baseline, EmulatorJson.Options)!.AsObject();
        MergeInto(merged, patchObject);
        return Parse(merged.ToJsonString(), origin);
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject patchChild && target[name] is JsonObject targetChild)
            {
                MergeInto(targetChild, patchChild);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    private string? FindProblem()
    {
        if (LatencyMs < 0 || TimeoutDelayMs < 0 || CancelDelayMs < 0 || CancelDelayJitterMs < 0 || CallbackRetryMs < 0)
        {
            return "durations in milliseconds cannot be negative";
        }

        if (CallbackMaxAttempts < 1)
        {
            return "callback_max_attempts must be at least 1";
        }

        if (CallbackUrl is not null && !IsHttpUrl(CallbackUrl))
        {
            return "callback_url must be an absolute http(s) URL";
        }

        return RateLimit.FindProblem() ?? Faults.FindProblem() ?? OAuth.FindProblem();
    }

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>Probability (0..1) of each fault kind, drawn once per /v3 request; together at most 1.</summary>
internal sealed record FaultConfig
{
    public double Http409 { get; init; }
    public double Http500 { get; init; }
    public double Http502 { get; init; }
    public double Http503 { get; init; }
    public double Http503Html { get; init; }
    public double Truncated { get; init; }
    public double Reset { get; init; }
    public double Timeout { get; init; }
    public double Drop { get; init; }
    public double Trickle { get; init; }
    public double Hang { get; init; }

    /// <summary>When set, every /v3 request is answered with a 307 to this URL plus the original path.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>The probabilities in the fixed order the dice are read in.</summary>
    public IEnumerable<(FaultKind Kind, double Probability)> Probabilities()
    {
        yield return (FaultKind.Http500, Http500);
        yield return (FaultKind.Http502, Http502);
        yield return (FaultKind.Http503Html, Http503Html);
        yield return (FaultKind.Truncated, Truncated);
        yield return (FaultKind.Reset, Reset);
        yield return (FaultKind.Timeout, Timeout);
        yield return (FaultKind.Drop, Drop);
        yield return (FaultKind.Trickle, Trickle);
        yield return (FaultKind.Hang, Hang);

        // Appended, so that seeded runs of the older faults draw exactly as before.
        yield return (FaultKind.Http409, Http409);
        yield return (FaultKind.Http503, Http503);
    }

    public string? FindProblem()
    {
        if (Probabilities().Any(p => p.Probability is < 0 or > 1 || double.IsNaN(p.Probability)))
        {
            return "fault probabilities must be between 0 and 1";
        }

        if (Probabilities().Sum(p => p.Probability) > 1 + 1e-9)
        {
            return "fault probabilities must add up to at most 1";
        }

        return RedirectTo is not null && !EmulatorConfig.IsHttpUrl(RedirectTo) ? "faults.redirect_to must be an absolute http(s) URL" : null;
    }
}

/// <summary>
/// Per-account limit: a fixed window (the default: the real API's 100 requests per minute) or a token bucket.
/// Which signals a response carries is switched independently, to stand for APIs, proxies and gateways that differ.
/// </summary>
internal sealed record RateLimitConfig
{
    [JsonConverter(typeof(StrictSnakeCaseEnumConverter<RateLimitKind>))]
    public RateLimitKind Kind { get; init; } = RateLimitKind.FixedWindow;

    public int WindowSeconds { get; init; } = 60;

    public int Limit { get; init; } = 100;

    /// <summary>Token bucket: tokens added per second.</summary>
    public double RatePerSecond { get; init; } = 10;

    /// <summary>Token bucket: the most tokens it holds, so the longest burst it lets through.</summary>
    public int Burst { get; init; } = 5;

    /// <summary>False leaves the fixed window's X-RateLimit-* headers off every response that is not a 429.</summary>
    [JsonPropertyName("headers_on_2xx")]
    public bool HeadersOn2xx { get; init; } = true;

    /// <summary>False leaves the fixed window's X-RateLimit-* headers off a 429 (Retry-After is switched by <see cref="RetryAfter"/>).</summary>
    [JsonPropertyName("headers_on_429")]
    public bool HeadersOn429 { get; init; } = true;

    [JsonConverter(typeof(StrictSnakeCaseEnumConverter<RetryAfterForm>))]
    public RetryAfterForm RetryAfter { get; init; } = RetryAfterForm.Seconds;

    public string? FindProblem()
    {
        if (WindowSeconds < 1 || Limit < 0)
        {
            return "rate_limit needs window_seconds >= 1 and limit >= 0";
        }

        return RatePerSecond is > 0 and < 1e6 && Burst >= 1 ? null : "rate_limit needs rate_per_second > 0 and burst >= 1";
    }
}

internal enum RateLimitKind
{
    FixedWindow,
    TokenBucket,
}

internal enum RetryAfterForm
{
    Seconds,
    HttpDate,
    None,
}

/// <summary>Enum options as snake_case names only: a number would slip past as an undefined value.</summary>
internal sealed class StrictSnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;
