using System;
using System.Management.Automation;
using HelloSign.Core;
using HelloSign.Core.Auth;
using HelloSign.Core.Bulk;
using HelloSign.Core.Errors;

namespace HelloSign.Commands;

/// <summary>
/// Removes your access to completed signature requests (POST /signature_request/remove/{id}); other parties keep
/// theirs. Synchronous and irreversible. The API accepts it only with an API key.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "HelloSignSignatureRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SignatureRequestActionResult))]
public sealed class RemoveHelloSignSignatureRequestCommand : SignatureRequestActionCommand
{
    protected override string ActionName => "Remove";
    protected override string ConfirmText => "Remove your access to signature request";
    protected override string Activity => "Removing access to signature requests";
    protected override string GoneMessage => "nothing left to remove: the API says it was already removed, canceled or deleted (410).";
    protected override IdState DoneState => IdState.Removed;

    protected override void BeforeFirstRequest(HelloSignConnection connection)
    {
        if (connection.AuthenticationMethod == AuthenticationMethod.AccessToken)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("The API removes access only for API-key connections, and this connection uses an OAuth access token. Connect with -ApiKey or -Credential, and pass that connection with -Connection if needed. Nothing was sent."),
                "RemoveRequiresApiKey",
                ErrorCategory.InvalidOperation,
                connection));
        }
    }

    protected override BulkRun<SignatureRequestActionStatus>.Sender Action(HelloSignApi api) => api.RemoveAsync;

    protected override string SpecificAdvice(ApiFailure failure) => failure.Kind == ApiFailureKind.CannotRemove
        ? "Only completed requests (signed or declined by everyone) can be removed, and only by a party to them. To stop an incomplete request, use Stop-HelloSignSignatureRequest."
        : string.Empty;
}
