using System;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Errors;

namespace HelloSign.Core.Auth;

public enum AuthenticationMethod
{
    /// <summary>An API key, sent as HTTP Basic with the key as user name and an empty password.</summary>
    ApiKey,
    /// <summary>An OAuth access token, sent as a Bearer token.</summary>
    AccessToken,
}

/// <summary>
/// An API key or OAuth token, kept as a read-only SecureString until the moment a request header is built;
/// or an <see cref="OAuthSession"/> whose access token renews itself. ToString never shows a secret.
/// </summary>
public sealed class ApiCredential : IDisposable
{
    private static readonly Task<ApiFailure?> NoFailure = Task.FromResult<ApiFailure?>(null);

    private readonly SecureString? _secret;
    private readonly OAuthSession? _session;

    public ApiCredential(AuthenticationMethod method, SecureString secret)
    {
        if (secret is null)
        {
            throw new ArgumentNullException(nameof(secret));
        }

        if (secret.Length == 0)
        {
            throw new ArgumentException(method == AuthenticationMethod.ApiKey ? "The API key is empty." : "The access token is empty.", nameof(secret));
        }

        Method = method;
        _secret = secret.Copy();
        _secret.MakeReadOnly();
    }

    /// <summary>OAuth access tokens that renew themselves through <paramref name="session"/>, which this credential then owns.</summary>
    public ApiCredential(OAuthSession session)
    {
        Method = AuthenticationMethod.AccessToken;
        _session = session ?? throw new ArgumentNullException(nameof(session));
    }

    public AuthenticationMethod Method { get; }

    /// <summary>The OAuth session behind a renewing access token; null for a fixed key or token.</summary>
    public OAuthSession? OAuth => _session;

    /// <summary>Which access token a request goes out with (0 for fixed credentials): a 401 compares it with the current one.</summary>
    public long TokenVersion => _session?.TokenVersion ?? 0;

    /// <summary>
    /// Builds the Authorization header value for one request. The secret leaves its SecureString only here; the
    /// header (and the managed strings made on the way) live until the request is sent and collected, which .NET
    /// gives no way to wipe: this bounds how long the plain text exists, it does not make it vanish.
    /// </summary>
    public AuthenticationHeaderValue CreateAuthorizationHeader()
    {
        // Keys pasted from files or environment variables often carry a trailing newline.
        var plain = _session?.RevealAccessToken() ?? Reveal(_secret!).Trim();
        return Method == AuthenticationMethod.ApiKey
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(plain + ":")))
            : new AuthenticationHeaderValue("Bearer", plain);
    }

    /// <summary>Renews an OAuth access token that is missing or about to expire; the refresh's failure, or null.</summary>
    public Task<ApiFailure?> EnsureFreshAsync(Action<string>? trace, CancellationToken cancellationToken) =>
        _session?.EnsureFreshAsync(trace, cancellationToken) ?? NoFailure;

    /// <summary>The key as UTF-8 bytes, for HMAC checks of callback events. Callers clear the array after use.</summary>
    public byte[] GetSecretBytes() => Encoding.UTF8.GetBytes(Reveal(FixedSecret).Trim());

    /// <summary>A separate credential with the same secret, for a caller that disposes what it uses.</summary>
    public ApiCredential CopyForVerification() => new(Method, FixedSecret);

    // Events are signed with the API key; a renewing OAuth token has no fixed secret to sign or copy.
    private SecureString FixedSecret => _secret ?? throw new InvalidOperationException("An OAuth connection has no fixed key.");

    public override string ToString() => Method == AuthenticationMethod.ApiKey ? "API key (hidden)" : "Access token (hidden)";

    public void Dispose()
    {
        _secret?.Dispose();
        _session?.Dispose();
    }

    internal static string Reveal(SecureString secure)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }

    public static SecureString ToSecureString(string plain)
    {
        var secure = new SecureString();
        foreach (var c in plain)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
