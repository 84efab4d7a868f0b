using System.Text.Json;
using HelloSign.Core.Models;

namespace HelloSign;

/// <summary>The account a connection acts for (from GET /account).</summary>
public sealed class Account
{
    public string AccountId { get; set; } = string.Empty;
    public string? EmailAddress { get; set; }
    public bool? IsLocked { get; set; }
    public bool? IsPaidHs { get; set; }
    public string? RoleCode { get; set; }
    public string? TeamId { get; set; }
    public string? Locale { get; set; }
    public string? CallbackUrl { get; set; }
    public int? ApiSignatureRequestsLeft { get; set; }

    public static Account FromJson(JsonElement json)
    {
        var quotas = JsonReading.Object(json, "quotas");
        return new Account
        {
            AccountId = JsonReading.String(json, "account_id") ?? string.Empty,
            EmailAddress = JsonReading.String(json, "email_address"),
            IsLocked = JsonReading.Boolean(json, "is_locked"),
            IsPaidHs = JsonReading.Boolean(json, "is_paid_hs"),
            RoleCode = JsonReading.String(json, "role_code"),
            TeamId = JsonReading.String(json, "team_id"),
            Locale = JsonReading.String(json, "locale"),
            CallbackUrl = JsonReading.String(json, "callback_url"),
            ApiSignatureRequestsLeft = quotas is { } q ? JsonReading.Int32(q, "api_signature_requests_left") : null,
        };
    }

    public override string ToString() => EmailAddress ?? AccountId;
}
