using System;
using System.Net;

namespace HelloSign.Core.Http;

/// <summary>Decides which base URIs the module will send credentials to.</summary>
public static class ApiEndpoint
{
    public static readonly Uri Default = new("https://api.hellosign.com/v3/");

    /// <summary>
    /// Returns the base URI with a trailing slash, or throws with the reason: only https, except plain http to
    /// a loopback address (the local emulator), so a key never crosses a network unencrypted.
    /// </summary>
    public static Uri Validate(Uri baseUri) => Validate(baseUri, "API base URI", Default);

    /// <summary>The same rules for any address that credentials go to; <paramref name="name"/> names it in the messages.</summary>
    public static Uri Validate(Uri baseUri, string name, Uri example)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri));
        }

        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"The {name} must be absolute, like {example}.");
        }

        if (!string.IsNullOrEmpty(baseUri.UserInfo))
        {
            throw new ArgumentException($"The {name} must not contain a user name or key; pass credentials with Connect-HelloSign's parameters (-ApiKey, -Credential, -AccessToken, -RefreshToken) or HELLOSIGN_API_KEY instead.");
        }

        if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
        {
            throw new ArgumentException($"The {name} '{Describe(baseUri)}' must not have a query or fragment.");
        }

        var isHttps = baseUri.Scheme == Uri.UriSchemeHttps;
        var isLoopbackHttp = baseUri.Scheme == Uri.UriSchemeHttp && IsLoopback(baseUri);
        if (!isHttps && !isLoopbackHttp)
        {
            throw new ArgumentException(
                $"Refusing '{baseUri.Scheme}://{baseUri.Authority}': credentials would travel unencrypted. Use https; plain http is allowed only to a loopback address such as the local emulator.");
        }

        var text = Describe(baseUri);
        return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
    }

    /// <summary>Scheme, host, port and path only: what may be shown in a message, since a query or user info could hold a key.</summary>
    public static string Describe(Uri uri) =>
        uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(a relative URI)";

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
