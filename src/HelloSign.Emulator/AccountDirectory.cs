using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace HelloSign.Emulator;

/// <summary>Who is calling: the account behind an Authorization header, and how it authenticated.</summary>
internal sealed record ApiCaller(SeedAccount Account, string AuthScheme);

/// <summary>
/// The seeded accounts: resolves credentials (API key via Basic, access token via Bearer) to an account
/// and keeps the secrets out of anything the emulator records.
/// </summary>
internal sealed class AccountDirectory
{
    public const string SchemeNone = "none";
    public const string SchemeBasic = "basic";
    public const string SchemeBearer = "bearer";

    private readonly Dictionary<string, SeedAccount> _byApiKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SeedAccount> _byAccessToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SeedAccount> _byAccountId = new(StringComparer.Ordinal);
    private readonly string[] _secrets;

    // Accounts whose keys and tokens were revoked through the admin API (until reset).
    private readonly ConcurrentDictionary<string, bool> _revokedAccountIds = new(StringComparer.Ordinal);

    public AccountDirectory(IReadOnlyList<SeedAccount> accounts)
    {
        foreach (var account in accounts)
        {
            _byAccountId.Add(account.AccountId, account);
            foreach (var key in account.ApiKeys)
            {
                _byApiKey.Add(key, account);
            }

            foreach (var token in account.AccessTokens)
            {
                _byAccessToken.Add(token, account);
            }
        }

        _secrets = [.. _byApiKey.Keys, .. _byAccessToken.Keys];
        First = accounts[0];
    }

    /// <summary>The default account for admin operations that do not name one.</summary>
    public SeedAccount First { get; }

    public SeedAccount? Find(string accountId) => _byAccountId.GetValueOrDefault(accountId);

    /// <summary>The OAuth tokens issued since start or reset; their access tokens expire (see <see cref="OAuthEndpoints"/>).</summary>
    public OAuthGrants Grants { get; } = new();

    public bool IsRevoked(string accountId) => _revokedAccountIds.ContainsKey(accountId);

    /// <summary>Every seeded account: the whole team, as account_id=all means.</summary>
    public IEnumerable<SeedAccount> All => _byAccountId.Values;

    /// <summary>Email addresses compare case-insensitively, as mail addresses do in practice.</summary>
    public SeedAccount? FindByEmail(string emailAddress) =>
        _byAccountId.Values.FirstOrDefault(a => a.EmailAddress.Equals(emailAddress, StringComparison.OrdinalIgnoreCase));

    /// <summary>From now on every API key and access token of the account is refused (401), as if revoked in the dashboard.</summary>
    public void Revoke(string accountId) => _revokedAccountIds[accountId] = true;

    /// <summary>Revoked keys valid again; issued OAuth tokens and the OAuth log forgotten.</summary>
    public void ClearRevocations()
    {
        _revokedAccountIds.Clear();
        Grants.Clear();
    }

    /// <summary>
    /// Resolves "Basic base64(key:)" (API key as user name, empty password, as documented) or "Bearer token".
    /// Returns the scheme for the log even when the credentials are unknown; the account is then null.
    /// </summary>
    public (string Scheme, SeedAccount? Account) Authenticate(StringValues authorization)
    {
        if (authorization.Count != 1 || authorization[0] is not { } header)
        {
            return (SchemeNone, null);
        }

        var space = header.IndexOf(' ');
        var scheme = space < 0 ? header : header[..space];
        var credentials = space < 0 ? "" : header[(space + 1)..].Trim();
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return (SchemeBasic, Active(ApiKeyFromBasic(credentials) is { } key ? _byApiKey.GetValueOrDefault(key) : null));
        }

        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return (SchemeBearer, Active(_byAccessToken.GetValueOrDefault(credentials) ?? (Grants.FindLive(credentials) is { } owner ? Find(owner) : null)));
        }

        return (SchemeNone, null);
    }

    /// <summary>Masks any known key or token that a careless client put in a URL, before the URL is recorded.</summary>
    public string Redact(string text)
    {
        foreach (var secret in _secrets.Concat(Grants.Secrets()))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private SeedAccount? Active(SeedAccount? account) =>
        account is null || _revokedAccountIds.ContainsKey(account.AccountId) ? null : account;

    private static string? ApiKeyFromBasic(string encoded)
    {
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length))
        {
            return null;
        }

        var userAndPassword = Encoding.UTF8.GetString(buffer, 0, length);
        var colon = userAndPassword.IndexOf(':');
        // The documented form is "<key>:" — a missing colon or a password means the client built it wrong.
        return colon > 0 && colon == userAndPassword.Length - 1 ? userAndPassword[..colon] : null;
    }
}
