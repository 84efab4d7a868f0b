using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace HelloSign.Emulator;

/// <summary>The emulated Dropbox Sign API v3 routes. Authentication, rate limits and faults happen before, in <see cref="ApiPipeline"/>.</summary>
internal static class ApiEndpoints
{
    // Cancel and remove answer 200 with an empty body, as the real API does.
    private static readonly IResult EmptyOk = Results.Content(string.Empty, "application/json");

    public static void MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v3");
        api.MapGet("/account", GetAccount);
        api.MapGet("/signature_request/list", ListSignatureRequests);
        api.MapGet("/signature_request/{id}", GetSignatureRequest);
        api.MapPost("/signature_request/cancel/{id}", CancelSignatureRequest);
        api.MapPost("/signature_request/remove/{id}", RemoveSignatureRequest);
        api.MapFallback("{**path}", UnmatchedApiRoute.Answer);
    }

    /// <summary>The caller's account, or the one account_id (which wins) or email_address names; the seed's accounts form one team.</summary>
    private static IResult GetAccount(HttpContext context, EmulatorRuntime runtime)
    {
        var query = context.Request.Query;
        var accountId = query["account_id"].ToString();
        var emailAddress = query["email_address"].ToString();
        var account = accountId.Length > 0 ? runtime.Accounts.Find(accountId)
            : emailAddress.Length > 0 ? runtime.Accounts.FindByEmail(emailAddress)
            : context.Caller().Account;
        return account is null ? ApiErrors.AccountNotFound : TypedResults.Ok(new AccountGetResponse(AccountResponse.From(account, runtime.Config.CallbackUrl)));
    }

    private static IResult GetSignatureRequest(string id, HttpContext context, EmulatorRuntime runtime)
    {
        var outcome = runtime.State.Get(id, context.Caller().Account.AccountId, out var response);
        return outcome == RequestOutcome.Ok ? TypedResults.Ok(new SignatureRequestGetResponse(response!)) : ApiErrors.For(outcome);
    }

    private static IResult CancelSignatureRequest(string id, HttpContext context, EmulatorRuntime runtime)
    {
        var config = runtime.Config;
        var account = context.Caller().Account;
        var outcome = runtime.State.Cancel(id, account.AccountId, CancelDelay.For(config, id), out var completesAtMs);
        if (outcome != RequestOutcome.Ok)
        {
            return ApiErrors.For(outcome);
        }

        if (config.CallbackUrl is { } callbackUrl)
        {
            runtime.Callbacks.Schedule(new CallbackJob(id, account, callbackUrl, completesAtMs, config.CallbackRetryMs, config.CallbackMaxAttempts));
        }

        return EmptyOk;
    }

    private static IResult RemoveSignatureRequest(string id, HttpContext context, EmulatorRuntime runtime)
    {
        var caller = context.Caller();
        if (caller.AuthScheme != AccountDirectory.SchemeBasic)
        {
            return ApiErrors.ApiKeyRequired;
        }

        var outcome = runtime.State.Remove(id, caller.Account.AccountId);
        return outcome == RequestOutcome.Ok ? EmptyOk : ApiErrors.For(outcome);
    }

    private static IResult ListSignatureRequests(HttpContext context, EmulatorRuntime runtime)
    {
        var caller = context.Caller().Account;
        var parameters = context.Request.Query;
        if (!TryReadInt(parameters["page"], fallback: 1, max: int.MaxValue, out var page))
        {
            return ApiErrors.BadRequest("page must be a positive integer.");
        }

        if (!TryReadInt(parameters["page_size"], fallback: 20, max: 100, out var pageSize))
        {
            return ApiErrors.BadRequest("page_size must be an integer from 1 to 100.");
        }

        // "all" (owner null) lists the whole team, which in the emulator is every seeded account.
        var scope = parameters["account_id"].ToString();
        SeedAccount? owner = null;
        if (scope != "all")
        {
            owner = scope is "" ? caller : runtime.Accounts.Find(scope);
            if (owner is null)
            {
                return ApiErrors.Forbidden;
            }
        }

        QueryFilter filter;
        try
        {
            filter = QueryFilter.Parse(parameters["query"].ToString(), caller.EmailAddress);
        }
        catch (FormatException ex)
        {
            return ApiErrors.BadRequest(ex.Message);
        }

        var (total, items) = runtime.State.List(r => (owner is null || r.AccountId == owner.AccountId) && filter.Matches(r), page, pageSize);
        var listInfo = new ListInfo(page, NumPages: (total + pageSize - 1) / pageSize, NumResults: total, pageSize);
        return TypedResults.Ok(new SignatureRequestListResponse(listInfo, items));
    }

    internal static bool TryReadInt(StringValues text, int fallback, int max, out int value)
    {
        value = fallback;
        return StringValues.IsNullOrEmpty(text)
            || (int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max);
    }
}
