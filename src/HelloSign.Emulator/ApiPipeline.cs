namespace HelloSign.Emulator;

/// <summary>
/// Wraps every /v3 request: records it, applies redirect/latency/faults, authenticates, rate-limits,
/// and only then lets the endpoint run. Never writes credentials anywhere.
/// </summary>
internal sealed class ApiPipeline(RequestDelegate next, EmulatorRuntime runtime, ILogger<ApiPipeline> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var (seq, startedAtMs) = runtime.Log.Begin();
        var trace = new RequestTrace();
        try
        {
            await HandleAsync(context, trace);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            trace.Aborted = true;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "Unexpected failure while emulating {Method} {Path}", context.Request.Method, runtime.Accounts.Redact(context.Request.Path.Value ?? ""));
            await ApiErrors.Unknown.ExecuteAsync(context);
        }
        finally
        {
            var request = context.Request;
            runtime.Log.End(new RequestLogEntry(
                seq,
                request.Method,
                runtime.Accounts.Redact(request.Path.Value ?? ""),
                runtime.Accounts.Redact(request.QueryString.Value?.TrimStart('?') ?? ""),
                trace.AuthScheme,
                trace.AccountId,
                trace.Aborted ? 0 : context.Response.StatusCode,
                trace.Fault,
                startedAtMs,
                runtime.Log.ElapsedMs,
                runtime.Accounts.Redact(request.Headers.UserAgent.ToString())));
        }
    }

    private async Task HandleAsync(HttpContext context, RequestTrace trace)
    {
        var config = runtime.Config;
        if (config.Faults.RedirectTo is { } target)
        {
            trace.Fault = "redirect";
            var request = context.Request;
            context.Response.Redirect($"{target.TrimEnd('/')}{request.Path}{request.QueryString}", permanent: false, preserveMethod: true);
            return;
        }

        if (config.LatencyMs > 0)
        {
            await Task.Delay(config.LatencyMs, context.RequestAborted);
        }

        var fault = runtime.Faults.Draw();
        trace.Fault = FaultInjector.LogName(fault);
        switch (fault)
        {
            case FaultKind.None:
                await AuthorizeAndRunAsync(context, trace, config);
                break;
            case FaultKind.Reset:
                Abort(context, trace);
                break;
            case FaultKind.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                break;
            case FaultKind.Timeout:
                // If the client gave up meanwhile, the delay throws and the request is never processed.
                await Task.Delay(config.TimeoutDelayMs, context.RequestAborted);
                await AuthorizeAndRunAsync(context, trace, config);
                break;
            case FaultKind.Trickle:
                await TrickleAsync(context, trace, config);
                break;
            case FaultKind.Drop:
                // The work happens (a cancel takes effect) but the answer is lost on the way back.
                context.Response.Body = Stream.Null;
                await AuthorizeAndRunAsync(context, trace, config);
                Abort(context, trace);
                break;
            default:
                await FaultInjector.WriteCannedResponseAsync(context, fault);
                break;
        }
    }

    /// <summary>Processes the request as usual, holding the answer back to send it slowly.</summary>
    private async Task TrickleAsync(HttpContext context, RequestTrace trace, EmulatorConfig config)
    {
        var wire = context.Response.Body;
        using var held = new MemoryStream();
        context.Response.Body = held;
        try
        {
            await AuthorizeAndRunAsync(context, trace, config);
        }
        finally
        {
            context.Response.Body = wire;
        }

        await FaultInjector.TrickleAsync(context, held.ToArray());
    }

    private async Task AuthorizeAndRunAsync(HttpContext context, RequestTrace trace, EmulatorConfig config)
    {
        var (scheme, account) = runtime.Accounts.Authenticate(context.Request.Headers.Authorization);
        trace.AuthScheme = scheme;
        if (account is null)
        {
            RateLimiter.WriteHeaders(context.Response, RateLimiter.Uncounted(config.RateLimit), config.RateLimit);
            await ApiErrors.Unauthorized.ExecuteAsync(context);
            return;
        }

        trace.AccountId = account.AccountId;
        var decision = runtime.RateLimiter.TryAcquire(account.AccountId, config.RateLimit);
        RateLimiter.WriteHeaders(context.Response, decision, config.RateLimit);

        if (!decision.Allowed)
        {
            await ApiErrors.ExceededRate.ExecuteAsync(context);
            return;
        }

        context.Features.Set(new ApiCaller(account, scheme));
        await next(context);
    }

    private static void Abort(HttpContext context, RequestTrace trace)
    {
        trace.Aborted = true;
        context.Abort();
    }

    /// <summary>What the log needs to know that only emerges while the request is handled.</summary>
    private sealed class RequestTrace
    {
        public string AuthScheme { get; set; } = AccountDirectory.SchemeNone;
        public string? AccountId { get; set; }
        public string? Fault { get; set; }
        public bool Aborted { get; set; }
    }
}

internal static class ApiCallerExtensions
{
    /// <summary>The authenticated caller; set by <see cref="ApiPipeline"/> before any /v3 endpoint runs.</summary>
    public static ApiCaller Caller(this HttpContext context) =>
        context.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("The /v3 pipeline did not authenticate this request.");
}
