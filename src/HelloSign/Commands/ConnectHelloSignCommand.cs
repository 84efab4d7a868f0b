using System;
using System.Management.Automation;
using System.Security;
using HelloSign.Core;
using HelloSign.Core.Auth;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;

namespace HelloSign.Commands;

/// <summary>Checks credentials with GET /account and keeps the connection for this runspace.</summary>
[Cmdlet(VerbsCommunications.Connect, "HelloSign", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(HelloSignConnection))]
public sealed class ConnectHelloSignCommand : HelloSignCmdlet
{
    public const string EnvironmentVariable = "HELLOSIGN_API_KEY";
    private const string ApiKeySet = "ApiKey";
    private const string CredentialSet = "Credential";
    private const string AccessTokenSet = "AccessToken";
    private const string EnvironmentSet = "EnvironmentVariable";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ApiKeySet)]
    public SecureString ApiKey { get; set; } = null!;

    /// <summary>The API key as the password; the user name is ignored. What Get-AutomationPSCredential gives a runbook.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential Credential { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    public SecureString AccessToken { get; set; } = null!;

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
        Uri baseUri;
        try
        {
            baseUri = ApiEndpoint.Validate(ApiBaseUri);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidApiBaseUri", ErrorCategory.InvalidArgument, ApiEndpoint.Describe(ApiBaseUri)));
            return;
        }

        var credential = CreateCredential();
        var api = new HelloSignApi(new HelloSignHttpClient(baseUri, credential, ModuleInfo.UserAgent(this)));
        var options = new Core.Retry.ApiCallOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec), MaximumRetries = 2 };
        var result = RunSingle((trace, token) => api.GetAccountAsync(options, trace, token));
        if (result.Failure is { } failure)
        {
            api.Dispose();
            var advice = failure.Kind == ApiFailureKind.Unauthorized
                ? "Check the key (or token) and try again; nothing was stored."
                : ErrorRecords.GeneralAdvice(failure, result.Call.Attempts, "Connect-HelloSign");
            ThrowTerminatingError(ErrorRecords.FromFailure(failure, $"Could not connect to HelloSign at {baseUri}", advice, baseUri));
            return;
        }

        var connection = new HelloSignConnection(api, result.Value!);
        ConnectionStore.Current = connection;
        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        WriteNotice($"Connected to HelloSign account {connection.EmailAddress} ({connection.AccountId}) at {connection.ApiBaseUri} with {(connection.AuthenticationMethod == AuthenticationMethod.ApiKey ? "an API key" : "an access token")}.");
        if (PassThru)
        {
            connection.HandedOut = true;
            WriteObject(connection);
        }
    }

    private ApiCredential CreateCredential()
    {
        try
        {
            return ParameterSetName switch
            {
                ApiKeySet => new ApiCredential(AuthenticationMethod.ApiKey, ApiKey),
                CredentialSet => new ApiCredential(AuthenticationMethod.ApiKey, Credential.Password),
                AccessTokenSet => new ApiCredential(AuthenticationMethod.AccessToken, AccessToken),
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
                new InvalidOperationException($"No credentials given and the environment variable {EnvironmentVariable} is empty. Pass -ApiKey, -Credential or -AccessToken, or set {EnvironmentVariable}."),
                "NoCredentials",
                ErrorCategory.AuthenticationError,
                null));
        }

        using var secure = ApiCredential.ToSecureString(value!);
        return new ApiCredential(AuthenticationMethod.ApiKey, secure);
    }
}
