namespace HelloSign.Emulator;

/// <summary>The failure a /v3 request is made to suffer; names match the config keys and the request log.</summary>
internal enum FaultKind
{
    None,
    Http500,
    Http502,
    Http503Html,
    Truncated,
    Reset,
    Timeout,
    Drop,
    Trickle,
    Hang,
    Http409,
    Http503,
}

/// <summary>
/// Rolls the fault dice once per /v3 request and writes the responses of the faults that replace one.
/// One <see cref="Random"/> under a lock, so a configured seed gives the same sequence of faults on every run.
/// </summary>
internal sealed class FaultInjector
{
    private static readonly byte[] BadGatewayPage = "<html><body>Bad Gateway</body></html>"u8.ToArray();

    private static readonly byte[] MaintenancePage =
        "<html><head><title>Down for maintenance</title></head><body><h1>Dropbox Sign is down for maintenance</h1><p>Please try again shortly.</p></body></html>"u8.ToArray();

    private static readonly byte[] TruncatedJson = "{\"error\":{\"error_ms"u8.ToArray();

    // What a trickled answer with no body sends instead: the spec's 200 content for cancel and remove is {}.
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    // A trickled body arrives over about this many seconds, whatever its size, so timeouts can be tested.
    private const int TrickleSeconds = 20;

    private readonly Lock _gate = new();
    private Random _random = new();
    private (FaultKind Kind, double UpTo)[] _thresholds = [];

    /// <summary>Takes new probabilities and restarts the dice (from <paramref name="seed"/> when given).</summary>
    public void Configure(FaultConfig faults, int? seed)
    {
        // Cumulative bounds: one roll in [0,1) picks at most one fault.
        var thresholds = new List<(FaultKind Kind, double UpTo)>();
        var upTo = 0.0;
        foreach (var (kind, probability) in faults.Probabilities())
        {
            if (probability > 0)
            {
                upTo += probability;
                thresholds.Add((kind, upTo));
            }
        }

        lock (_gate)
        {
            _random = seed is int value ? new Random(value) : new Random();
            _thresholds = [.. thresholds];
        }
    }

    public FaultKind Draw()
    {
        lock (_gate)
        {
            // Without configured faults the dice stay still, so a seeded sequence only advances when it matters.
            if (_thresholds.Length == 0)
            {
                return FaultKind.None;
            }

            var roll = _random.NextDouble();
            foreach (var (kind, upTo) in _thresholds)
            {
                if (roll < upTo)
                {
                    return kind;
                }
            }

            return FaultKind.None;
        }
    }

    public static string? LogName(FaultKind kind) => kind switch
    {
        FaultKind.None => null,
        FaultKind.Http503Html => "http503_html",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Answers in place of the API for the faults that are just a canned bad response.</summary>
    public static Task WriteCannedResponseAsync(HttpContext context, FaultKind kind) => kind switch
    {
        FaultKind.Http409 => ApiErrors.Conflict.ExecuteAsync(context),
        FaultKind.Http500 => ApiErrors.Unknown.ExecuteAsync(context),
        FaultKind.Http502 => WriteAsync(context, StatusCodes.Status502BadGateway, "text/html", BadGatewayPage),
        FaultKind.Http503 => ApiErrors.Maintenance.ExecuteAsync(context),
        FaultKind.Http503Html => WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "text/html", MaintenancePage),
        FaultKind.Truncated => WriteAsync(context, StatusCodes.Status500InternalServerError, "application/json", TruncatedJson),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a canned fault."),
    };

    /// <summary>
    /// Sends an answer the endpoint already produced, complete and valid, but slowly: the headers at once, then
    /// the body in pieces a second apart with its last byte only after <see cref="TrickleSeconds"/>, so a client
    /// that waits long enough sees the real answer and one whose timeout covers reading the body gives up.
    /// </summary>
    public static async Task TrickleAsync(HttpContext context, byte[] body)
    {
        if (body.Length == 0)
        {
            body = EmptyObject;
        }

        PrepareResponse(context.Response, context.Response.StatusCode, context.Response.ContentType ?? "application/json", body.Length);
        await context.Response.StartAsync(context.RequestAborted);
        var sent = 0;
        for (var second = 1; second < TrickleSeconds; second++)
        {
            var upTo = (body.Length - 1) * second / (TrickleSeconds - 1);
            await context.Response.Body.WriteAsync(body.AsMemory(sent, upTo - sent), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            sent = upTo;
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
        }

        await context.Response.Body.WriteAsync(body.AsMemory(sent), context.RequestAborted);
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        PrepareResponse(context.Response, status, contentType, body.Length);
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static void PrepareResponse(HttpResponse response, int status, string contentType, int length)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        // Declared length matters for "truncated": the body really is all there is, just not valid JSON.
        response.ContentLength = length;
    }
}
