using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelloSign.Emulator;

/// <summary>
/// The routes Invoke-HelloSignRequest is tested with, beyond what the typed cmdlets use: send a reminder,
/// download the files, list templates; plus GET /__emulator/reminders to see which reminders arrived.
/// </summary>
internal static class ExtraEndpoints
{
    private static readonly string[] TemplateListParameters = ["account_id", "page", "page_size", "query"];

    public static void MapExtraEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v3");
        api.MapPost("/signature_request/remind/{id}", RemindAsync);
        api.MapGet("/signature_request/files/{id}", GetFiles);
        api.MapGet("/template/list", ListTemplates);
        app.MapGet("/__emulator/reminders", (EmulatorRuntime runtime) => runtime.Reminders.Snapshot());
    }

    /// <summary>
    /// Records a reminder to a signer who has not signed yet and answers the request, as the API does. The API's
    /// limit of one reminder an hour is not modelled, so tests can remind again.
    /// </summary>
    private static async Task<IResult> RemindAsync(string id, HttpContext context, EmulatorRuntime runtime)
    {
        var account = context.Caller().Account;
        var outcome = runtime.State.Get(id, account.AccountId, out var response);
        if (outcome != RequestOutcome.Ok)
        {
            return ApiErrors.For(outcome);
        }

        var (email, name) = await ReadRemindBodyAsync(context.Request);
        if (string.IsNullOrWhiteSpace(email))
        {
            return ApiErrors.BadRequest("email_address is required.");
        }

        if (response!.IsComplete || response.IsDeclined)
        {
            return ApiErrors.BadRequest("This signature request is already complete or declined; there is nobody to remind.");
        }

        var waiting = response.Signatures.Any(s =>
            string.Equals(s.SignerEmailAddress, email, StringComparison.OrdinalIgnoreCase) &&
            s.StatusCode == RequestStates.AwaitingSignature &&
            (name is null || string.Equals(s.SignerName, name, StringComparison.Ordinal)));
        if (!waiting)
        {
            return ApiErrors.BadRequest("No signer of this signature request with that email_address is waiting to sign.");
        }

        runtime.Reminders.Add(new ReminderView(id, email, name, UnixTime.NowMs()));
        return TypedResults.Ok(new SignatureRequestGetResponse(response));
    }

    /// <summary>The API takes the body as JSON or as a form.</summary>
    private static async Task<(string? Email, string? Name)> ReadRemindBodyAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return (form["email_address"].FirstOrDefault(), form["name"].FirstOrDefault());
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object ? (null, null) : (Text(root, "email_address"), Text(root, "name"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The current documents: one small PDF (file_type=pdf, the default) or a zip holding it.</summary>
    private static IResult GetFiles(string id, HttpContext context, EmulatorRuntime runtime)
    {
        var outcome = runtime.State.Get(id, context.Caller().Account.AccountId, out var response);
        if (outcome != RequestOutcome.Ok)
        {
            return ApiErrors.For(outcome);
        }

        var fileType = context.Request.Query["file_type"].ToString();
        var pdf = MinimalPdf.Create($"{response!.Title} ({(response.IsComplete ? "signed" : "not fully signed")})");
        return fileType switch
        {
            "" or "pdf" => Results.File(pdf, "application/pdf", $"{id}.pdf"),
            "zip" => Results.File(Zip($"{id}.pdf", pdf), "application/zip", $"{id}.zip"),
            _ => ApiErrors.BadRequest("file_type must be pdf or zip."),
        };
    }

    private static byte[] Zip(string entryName, byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(entryName).Open();
            entry.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>Seven fixed templates per account, newest first; query matches part of the title.</summary>
    private static IResult ListTemplates(HttpContext context, EmulatorRuntime runtime)
    {
        var caller = context.Caller().Account;
        var parameters = context.Request.Query;
        if (!ApiEndpoints.TryReadInt(parameters["page"], fallback: 1, max: int.MaxValue, out var page))
        {
            return ApiErrors.BadRequest("page must be a positive integer.");
        }

        if (!ApiEndpoints.TryReadInt(parameters["page_size"], fallback: 20, max: 100, out var pageSize))
        {
            return ApiErrors.BadRequest("page_size must be an integer from 1 to 100.");
        }

        var scope = parameters["account_id"].ToString();
        IEnumerable<SeedAccount> owners;
        if (scope == "all")
        {
            owners = runtime.Accounts.All;
        }
        else if ((scope is "" ? caller : runtime.Accounts.Find(scope)) is { } owner)
        {
            owners = [owner];
        }
        else
        {
            return ApiErrors.Forbidden;
        }

        var query = parameters["query"].ToString();
        var matches = owners
            .SelectMany(owner => TemplateCatalog.For(owner, caller))
            .Where(t => query.Length == 0 || t.Title.Contains(query, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(t => t.UpdatedAt)
            .ThenBy(t => t.TemplateId, StringComparer.Ordinal)
            .ToList();
        var items = matches.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var listInfo = new ListInfo(page, NumPages: (matches.Count + pageSize - 1) / pageSize, NumResults: matches.Count, pageSize);
        // The API ignores what it does not know, and says so with a documented warning.
        var ignored = parameters.Keys.Except(TemplateListParameters, StringComparer.Ordinal)
            .Select(name => new WarningResponse($"The parameter {name} is not supported here and was ignored.", "parameter_ignored"))
            .ToList();
        return TypedResults.Ok(new TemplateListResponse(items, listInfo, ignored.Count > 0 ? ignored : null));
    }
}

/// <summary>One reminder the emulator received. at_ms is Unix milliseconds.</summary>
internal sealed record ReminderView(string SignatureRequestId, string EmailAddress, string? Name, long AtMs);

/// <summary>The reminders received since start or the last reset, in arrival order.</summary>
internal sealed class ReminderBook
{
    private readonly Lock _gate = new();
    private readonly List<ReminderView> _reminders = [];

    public void Add(ReminderView reminder)
    {
        lock (_gate)
        {
            _reminders.Add(reminder);
        }
    }

    public List<ReminderView> Snapshot()
    {
        lock (_gate)
        {
            return [.. _reminders];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _reminders.Clear();
        }
    }
}

/// <summary>Templates derived from the account, so every run sees the same ones without a seed section.</summary>
internal static class TemplateCatalog
{
    private static readonly string[] Titles =
        ["Mutual NDA", "Offer letter", "Contractor agreement", "Vendor onboarding", "Photo consent", "Lease renewal", "Expense policy"];

    /// <summary>2026-01-01T00:00:00Z; template n of an account was last updated n days later.</summary>
    private const long FirstUpdatedAt = 1767225600;

    public static IEnumerable<TemplateResponse> For(SeedAccount owner, SeedAccount caller) =>
        Titles.Select((title, n) => new TemplateResponse(
            DeterministicId.Hex($"template:{owner.AccountId}:{n}", 40),
            $"{title} ({owner.EmailAddress})",
            $"Please sign the {title.ToLowerInvariant()}.",
            FirstUpdatedAt + n * 86_400L,
            IsEmbedded: false,
            IsCreator: owner.AccountId == caller.AccountId,
            CanEdit: owner.AccountId == caller.AccountId,
            IsLocked: false,
            new Dictionary<string, JsonElement>(),
            [new TemplateSignerRole("Signer", 0)],
            [],
            [],
            [new TemplateAccount(owner.AccountId, owner.EmailAddress, IsLocked: false, IsPaidHs: true, IsPaidHf: false)],
            []));
}

internal sealed record TemplateListResponse(
    IReadOnlyList<TemplateResponse> Templates,
    ListInfo ListInfo,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WarningResponse>? Warnings);

internal sealed record WarningResponse(string WarningMsg, string WarningName);

internal sealed record TemplateResponse(
    string TemplateId,
    string Title,
    string Message,
    long UpdatedAt,
    bool? IsEmbedded,
    bool IsCreator,
    bool CanEdit,
    bool IsLocked,
    IReadOnlyDictionary<string, JsonElement> Metadata,
    IReadOnlyList<TemplateSignerRole> SignerRoles,
    IReadOnlyList<TemplateCcRole> CcRoles,
    IReadOnlyList<JsonElement> Documents,
    IReadOnlyList<TemplateAccount> Accounts,
    IReadOnlyList<JsonElement> Attachments);

internal sealed record TemplateSignerRole(string Name, int Order);

internal sealed record TemplateCcRole(string Name);

internal sealed record TemplateAccount(string AccountId, string EmailAddress, bool IsLocked, bool IsPaidHs, bool IsPaidHf);

/// <summary>A one-page PDF with a line of text: small, but a well-formed file any reader opens.</summary>
internal static class MinimalPdf
{
    public static byte[] Create(string text)
    {
        var escaped = new string(text.Where(c => c is >= ' ' and <= '~').ToArray()).Replace("\\", "\\\\").Replace("(", "\\(").Replace(")", "\\)");
        var content = $"BT /F1 18 Tf 72 720 Td ({escaped}) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
        ];

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }

        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        // ASCII only, so character offsets are byte offsets.
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
