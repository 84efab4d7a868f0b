using System.Text.Json;

namespace HelloSign.Emulator;

// Response bodies of the /v3 API, shaped like the official OpenAPI spec (snake_case via EmulatorJson).

internal sealed record ErrorResponse(ErrorDetail Error);

internal sealed record ErrorDetail(string ErrorMsg, string ErrorName);

internal sealed record AccountGetResponse(AccountResponse Account);

internal sealed record AccountResponse(
    string AccountId,
    string EmailAddress,
    bool IsLocked,
    bool IsPaidHs,
    bool IsPaidHf,
    AccountQuotas Quotas,
    string? CallbackUrl,
    string? RoleCode,
    string Locale)
{
    public static AccountResponse From(SeedAccount account, string? callbackUrl) => new(
        account.AccountId,
        account.EmailAddress,
        IsLocked: false,
        IsPaidHs: true,
        IsPaidHf: false,
        new AccountQuotas(ApiSignatureRequestsLeft: 1250, null, null, null, null, null),
        callbackUrl,
        RoleCode: null,
        Locale: "en-US");
}

internal sealed record AccountQuotas(
    int? ApiSignatureRequestsLeft,
    int? DocumentsLeft,
    int? TemplatesTotal,
    int? TemplatesLeft,
    int? SmsVerificationsLeft,
    int? NumFaxPagesLeft);

internal sealed record SignatureRequestGetResponse(SignatureRequestResponse SignatureRequest);

internal sealed record SignatureRequestListResponse(ListInfo ListInfo, IReadOnlyList<SignatureRequestResponse> SignatureRequests);

internal sealed record ListInfo(int Page, int NumPages, int NumResults, int PageSize);

internal sealed record SignatureRequestResponse(
    string SignatureRequestId,
    string Title,
    string? Subject,
    string? Message,
    IReadOnlyDictionary<string, JsonElement> Metadata,
    long CreatedAt,
    long? ExpiresAt,
    bool IsComplete,
    bool IsDeclined,
    bool HasError,
    string FilesUrl,
    string DetailsUrl,
    string? SigningUrl,
    string? RequesterEmailAddress,
    IReadOnlyList<SignatureResponse> Signatures)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoMetadata = new Dictionary<string, JsonElement>();

    // Fields the emulator does not model, present with their "nothing there" values.
    public bool TestMode => false;
    public string OriginalTitle => Title;
    public string? SigningRedirectUrl => null;
    public IReadOnlyList<string> CcEmailAddresses => [];
    public IReadOnlyList<string> TemplateIds => [];
    public IReadOnlyList<JsonElement> CustomFields => [];
    public IReadOnlyList<JsonElement> ResponseData => [];
    public IReadOnlyList<JsonElement> Attachments => [];
    public string? BulkSendJobId => null;

    /// <summary>The object as GET and list return it. A canceled request still reads as incomplete until it is gone.</summary>
    public static SignatureRequestResponse From(SignatureRequestRecord record)
    {
        var seed = record.Seed;
        var id = seed.SignatureRequestId;
        var isComplete = record.State == RequestStates.Complete;
        var isDeclined = record.State == RequestStates.Declined;
        var signatures = seed.Signatures
            .Select((s, order) => new SignatureResponse(record.SignatureIds[order], s.SignerEmailAddress, s.SignerName, order, s.StatusCode, s.SignedAt))
            .ToArray();
        return new SignatureRequestResponse(
            id,
            seed.Title,
            seed.Subject,
            seed.Message,
            seed.Metadata,
            seed.CreatedAt,
            seed.ExpiresAt,
            isComplete,
            isDeclined,
            HasError: record.State == RequestStates.Error,
            FilesUrl: $"https://api.hellosign.com/v3/signature_request/files/{id}",
            DetailsUrl: $"https://app.hellosign.com/home/manage?guid={id}",
            SigningUrl: isComplete || isDeclined ? null : $"https://app.hellosign.com/sign/{id}",
            seed.RequesterEmailAddress,
            signatures);
    }

    /// <summary>The nearly empty object a signature_request_canceled event carries: only the id is meaningful.</summary>
    public static SignatureRequestResponse ForCanceledEvent(string signatureRequestId) => new(
        signatureRequestId,
        Title: "",
        Subject: null,
        Message: null,
        NoMetadata,
        CreatedAt: 0,
        ExpiresAt: null,
        IsComplete: false,
        IsDeclined: false,
        HasError: false,
        FilesUrl: "",
        DetailsUrl: "",
        SigningUrl: null,
        RequesterEmailAddress: null,
        Signatures: []);
}

internal sealed record SignatureResponse(
    string SignatureId,
    string SignerEmailAddress,
    string? SignerName,
    int Order,
    string StatusCode,
    long? SignedAt)
{
    // Fields the emulator does not model, present with their "nothing happened" values.
    public string? SignerRole => null;
    public string? DeclineReason => null;
    public long? LastViewedAt => null;
    public long? LastRemindedAt => null;
    public bool HasPin => false;
    public bool HasSmsAuth => false;
    public bool HasSmsDelivery => false;
    public string? SmsPhoneNumber => null;
    public string? ReassignedBy => null;
    public string? ReassignmentReason => null;
    public string? Error => null;
}
