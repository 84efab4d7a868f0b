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

    // A complete, valid 200 body, so a client that waits long enough sees success: the point is the wait.
    private static readonly byte[] TrickledBody =
        "{\"warnings\":[{\"warning_msg\":\"Trickled response.\",\"warning_name\":\"trickle\"}]}"u8.ToArray();

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
        FaultKind.Http500 => ApiErrors.Unknown.ExecuteAsync(context),
        FaultKind.Http502 => WriteAsync(context, StatusCodes.Status502BadGateway, "text/html", BadGatewayPage),
        FaultKind.Http503Html => WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "text/html", MaintenancePage),
        FaultKind.Truncated => WriteAsync(context, StatusCodes.Status500InternalServerError, "application/json", TruncatedJson),
        FaultKind.Trickle => TrickleAsync(context),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a canned fault."),
    };

    /// <summary>A 200 whose body arrives one byte per second, to prove the client's timeout covers reading the body.</summary>
    private static async Task TrickleAsync(HttpContext context)
    {
        PrepareResponse(context.Response, StatusCodes.Status200OK, "application/json", TrickledBody.Length);
        for (var i = 0; i < TrickledBody.Length; i++)
        {
            await context.Response.Body.WriteAsync(TrickledBody.AsMemory(i, 1), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
        }
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
