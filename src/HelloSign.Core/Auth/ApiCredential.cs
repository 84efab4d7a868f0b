using System;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace HelloSign.Core.Auth;

public enum AuthenticationMethod
{
    /// <summary>An API key, sent as HTTP Basic with the key as user name and an empty password.</summary>
    ApiKey,
    /// <summary>An OAuth access token, sent as a Bearer token.</summary>
    AccessToken,
}

/// <summary>
/// An API key or OAuth token, kept as a read-only SecureString until the moment a request header is built.
/// ToString never shows the secret.
/// </summary>
public sealed class ApiCredential : IDisposable
{
    private readonly SecureString _secret;

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

    public AuthenticationMethod Method { get; }

    /// <summary>Builds the Authorization header value. The plain text exists only inside this call.</summary>
    public AuthenticationHeaderValue CreateAuthorizationHeader()
    {
        // Keys pasted from files or environment variables often carry a trailing newline.
        var plain = Reveal(_secret).Trim();
        return Method == AuthenticationMethod.ApiKey
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(plain + ":")))
            : new AuthenticationHeaderValue("Bearer", plain);
    }

    /// <summary>The key as UTF-8 bytes, for HMAC checks of callback events. Callers clear the array after use.</summary>
    public byte[] GetSecretBytes() => Encoding.UTF8.GetBytes(Reveal(_secret).Trim());

    /// <summary>A separate credential with the same secret, for a caller that disposes what it uses.</summary>
    public ApiCredential CopyForVerification() => new(Method, _secret);

    public override string ToString() => Method == AuthenticationMethod.ApiKey ? "API key (hidden)" : "Access token (hidden)";

    public void Dispose() => _secret.Dispose();

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
