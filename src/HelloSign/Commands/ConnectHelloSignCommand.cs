using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using HelloSign.Core;
using HelloSign.Core.Auth;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.Models;

namespace HelloSign.Commands;

/// <summary>
/// Checks credentials with GET /account and keeps the connection for this runspace. A failed Connect changes
/// nothing: the previous connection, if any, stays the current one, and the error says so.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "HelloSign", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(HelloSignConnection))]
public sealed class ConnectHelloSignCommand : HelloSignCmdlet
{
    public const string EnvironmentVariable = "HELLOSIGN_API_KEY";
    private const string ApiKeySet = "ApiKey";
    private const string CredentialSet = "Credential";
    private const string AccessTokenSet = "AccessToken";
    private const string EnvironmentSet = "EnvironmentVariable";
    private const string RefreshTokenSet = "RefreshToken";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ApiKeySet)]
    public SecureString ApiKey { get; set; } = null!;

    /// <summary>The API key as the password; the user name is ignored. What Get-AutomationPSCredential gives a runbook.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential Credential { get; set; } = null!;

    /// <summary>An OAuth access token; with -RefreshToken optional (Connect then gets the first one itself).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [Parameter(ParameterSetName = RefreshTokenSet)]
    public SecureString? AccessToken { get; set; }

    /// <summary>An OAuth refresh token: the connection renews its access token with it, ahead of expiry and after a 401.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RefreshTokenSet)]
    public SecureString RefreshToken { get; set; } = null!;

    /// <summary>The API app's client id, sent with every refresh.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RefreshTokenSet)]
    [ValidateNotNullOrEmpty]
    public string ClientId { get; set; } = null!;

    /// <summary>The API app's client secret, sent with every refresh, and only to -OAuthBaseUri.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RefreshTokenSet)]
    public SecureString ClientSecret { get; set; } = null!;

    /// <summary>Where /oauth/token lives; the same rules as -ApiBaseUri (https, or http to loopback only).</summary>
    [Parameter(ParameterSetName = RefreshTokenSet)]
    [ValidateNotNull]
    public Uri OAuthBaseUri { get; set; } = OAuthTokenEndpoint.Default;

    [Parameter]
    [ValidateNotNull]
    public Uri ApiBaseUri { get; set; } = ApiEndpoint.Default;

    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 30;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var baseUri = ValidateUri(ApiBaseUri, uri => ApiEndpoint.Validate(uri), "InvalidApiBaseUri");
        if (ParameterSetName == RefreshTokenSet)
        {
            ValidateUri(OAuthBaseUri, uri => ApiEndpoint.Validate(uri, "OAuth base URI", OAuthTokenEndpoint.Default), "InvalidOAuthBaseUri");
        }

        var api = new HelloSignApi(new HelloSignHttpClient(baseUri, CreateCredential(), ModuleInfo.UserAgent(this)));
        var options = new Core.Retry.ApiCallOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec), MaximumRetries = 2 };
        ApiResult<Account> result;
        try
        {
            result = RunSingle((trace, token) => api.GetAccountAsync(options, trace, token));
        }
        catch
        {
            // Ctrl+C (or any other end) before the connection is kept: close the HTTP clients, forget the secrets.
            api.Dispose();
            throw;
        }

        if (result.Failure is { } failure)
        {
            api.Dispose();
            var advice = string.Join(" ", new[] { ConnectAdvice(failure, result.Call.Attempts), PreviousConnectionNote() }.Where(part => part.Length > 0));
            ThrowTerminatingError(ErrorRecords.FromFailure(failure, $"Could not connect to HelloSign at {baseUri}", advice, baseUri));
            return;
        }

        var connection = new HelloSignConnection(api, result.Value!);
        ConnectionStore.Current = connection;
        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        var method = connection.AuthenticationMethod == AuthenticationMethod.ApiKey ? "an API key"
            : ParameterSetName == RefreshTokenSet ? "an OAuth access token that renews itself"
            : "an access token";
        WriteNotice($"Connected to HelloSign account {connection.EmailAddress} ({connection.AccountId}) at {connection.ApiBaseUri} with {method}.");
        if (PassThru)
        {
            connection.HandedOut = true;
            WriteObject(connection);
        }
    }

    private Uri ValidateUri(Uri uri, Func<Uri, Uri> validate, string errorId)
    {
        try
        {
            return validate(uri);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, errorId, ErrorCategory.InvalidArgument, ApiEndpoint.Describe(uri)));
            throw;
        }
    }

    /// <summary>What to do about a failed Connect: about the address, the network or the credentials, never about ids.</summary>
    private static string ConnectAdvice(ApiFailure failure, int attempts) => failure.Kind switch
    {
        ApiFailureKind.Unauthorized when failure.ErrorName == OAuthTokenEndpoint.RefreshFailedName => ErrorRecords.RefreshAdvice,
        ApiFailureKind.Unauthorized => "Check the key or token and try again.",
        ApiFailureKind.NotFound => "There is no HelloSign API at this address: check -ApiBaseUri (it ends in /v3).",
        ApiFailureKind.Tls => ErrorRecords.GeneralAdvice(failure, attempts, "Connect-HelloSign"),
        _ when failure.IsTransient => $"Gave up after {attempts} attempt(s): check the address (-ApiBaseUri), the network and any proxy, then try again.",
        _ => string.Empty,
    };

    private static string PreviousConnectionNote() =>
        ConnectionStore.Current is { IsOpen: true } previous
            ? $"Nothing was changed: the previous connection ({previous}) is still the current one."
            : "Nothing was changed: there is no current connection.";

    private ApiCredential CreateCredential()
    {
        try
        {
            return ParameterSetName switch
            {
                ApiKeySet => new ApiCredential(AuthenticationMethod.ApiKey, ApiKey),
                CredentialSet => new ApiCredential(AuthenticationMethod.ApiKey, Credential.Password),
                AccessTokenSet => new ApiCredential(AuthenticationMethod.AccessToken, AccessToken!),
                RefreshTokenSet => new ApiCredential(new OAuthSession(
                    new OAuthTokenEndpoint(OAuthBaseUri, ClientId, ClientSecret, ModuleInfo.UserAgent(this), TimeSpan.FromSeconds(TimeoutSec)),
                    RefreshToken,
                    AccessToken)),
                _ => FromEnvironment(),
            };
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "EmptyCredential", ErrorCategory.InvalidArgument, null));
            throw;
        }
    }

    private ApiCredential FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"No credentials given and the environment variable {EnvironmentVariable} is empty. Pass -ApiKey, -Credential, -AccessToken or -RefreshToken, or set {EnvironmentVariable}."),
                "NoCredentials",
                ErrorCategory.AuthenticationError,
                null));
        }

        using var secure = ApiCredential.ToSecureString(value!);
        return new ApiCredential(AuthenticationMethod.ApiKey, secure);
    }
}
