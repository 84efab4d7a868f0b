using System.Text.Json;

namespace HelloSign.Emulator;

/// <summary>
/// /__emulator: lets tests, the demo and the benchmark inspect and steer the emulator.
/// No authentication (it only listens on loopback) and never subject to faults or rate limits.
/// </summary>
internal static class AdminEndpoints
{
    private const int MaxGeneratedPerCall = 100_000;

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/__emulator");
        admin.MapGet("/log", (EmulatorRuntime runtime) => runtime.Log.Snapshot());
        admin.MapDelete("/log", (EmulatorRuntime runtime) =>
        {
            runtime.Log.Clear();
            return Results.NoContent();
        });
        admin.MapGet("/stats", (EmulatorRuntime runtime) => runtime.Log.Stats());
        admin.MapGet("/state", (EmulatorRuntime runtime) => runtime.State.Snapshot());
        admin.MapGet("/state/{id}", (string id, EmulatorRuntime runtime) =>
            runtime.State.Snapshot(id) is { } view ? Results.Ok(view) : ApiErrors.NotFound);
        admin.MapGet("/config", (EmulatorRuntime runtime) => runtime.Config);
        admin.MapPost("/config", SetConfigAsync);
        admin.MapPost("/reset", (EmulatorRuntime runtime) =>
        {
            runtime.Reset();
            return Results.NoContent();
        });
        admin.MapPost("/generate", GenerateAsync);
        admin.MapGet("/callbacks", (EmulatorRuntime runtime) => runtime.Callbacks.Attempts());
        admin.MapPost("/accounts/{accountId}/revoke", RevokeCredentials);
        admin.MapFallback("{**path}", () => ApiErrors.NotFound);
    }

    /// <summary>Replaces the runtime config; options the body omits keep their start-up value (an empty body restores it).</summary>
    private static async Task<IResult> SetConfigAsync(HttpRequest request, EmulatorRuntime runtime)
    {
        var body = await ReadBodyAsync(request);
        try
        {
            var config = EmulatorConfig.ParseOver(runtime.StartupConfig, body.Length == 0 ? "{}" : body, "The config");
            runtime.ApplyConfig(config);
            return Results.Ok(config);
        }
        catch (InvalidDataException ex)
        {
            return ApiErrors.BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> GenerateAsync(HttpRequest request, EmulatorRuntime runtime)
    {
        GenerateRequest? generate;
        try
        {
            generate = JsonSerializer.Deserialize<GenerateRequest>(await ReadBodyAsync(request), EmulatorJson.Options);
        }
        catch (JsonException ex)
        {
            return ApiErrors.BadRequest($"The generate request is not valid: {ex.Message}");
        }

        if (generate is null || generate.Count is < 1 or > MaxGeneratedPerCall)
        {
            return ApiErrors.BadRequest($"count must be from 1 to {MaxGeneratedPerCall}.");
        }

        if (!RequestStates.IsKnown(generate.State))
        {
            return ApiErrors.BadRequest("state must be a known signature request state.");
        }

        var owner = generate.AccountId is null ? runtime.Accounts.First : runtime.Accounts.Find(generate.AccountId);
        if (owner is null)
        {
            return ApiErrors.BadRequest("account_id is not an account of the seed.");
        }

        var ids = runtime.State.Generate(generate.Count, owner.AccountId, owner.EmailAddress, generate.State);
        return Results.Ok(new GenerateResponse(ids));
    }

    /// <summary>Lets a test pull the rug out from under a connected client: its key starts answering 401.</summary>
    private static IResult RevokeCredentials(string accountId, EmulatorRuntime runtime)
    {
        if (runtime.Accounts.Find(accountId) is null)
        {
            return ApiErrors.NotFound;
        }

        runtime.Accounts.Revoke(accountId);
        return Results.NoContent();
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return (await reader.ReadToEndAsync(request.HttpContext.RequestAborted)).Trim();
    }
}
