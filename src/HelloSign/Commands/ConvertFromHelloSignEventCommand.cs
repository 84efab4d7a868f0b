using System;
using System.Collections;
using System.Management.Automation;
using System.Security;
using HelloSign.Core.Auth;
using HelloSign.Core.Events;

namespace HelloSign.Commands;

/// <summary>
/// Reads a callback event as a handler receives it and verifies its event_hash. ConvertFrom is the approved verb
/// for turning received data into objects (like ConvertFrom-Json); "Event" names what comes out. Handlers must
/// answer with <see cref="CallbackEvent.ExpectedReply"/>, also on each event's Reply property.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "HelloSignEvent", DefaultParameterSetName = "Verify")]
[OutputType(typeof(CallbackEvent))]
public sealed class ConvertFromHelloSignEventCommand : PSCmdlet
{
    /// <summary>The request body (raw JSON, multipart or urlencoded form), the 'json' field's text, or a form as a hashtable.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    public object? Body { get; set; }

    /// <summary>The key to verify with; defaults to the connection's API key.</summary>
    [Parameter(ParameterSetName = "Verify")]
    public SecureString? ApiKey { get; set; }

    [Parameter(ParameterSetName = "Verify")]
    public HelloSignConnection? Connection { get; set; }

    /// <summary>Reads the event without checking event_hash (IsVerified stays false). Only for events you have verified otherwise.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "SkipVerification")]
    public SwitchParameter SkipVerification { get; set; }

    protected override void ProcessRecord()
    {
        var (callbackEvent, error) = CallbackEventReader.Read(BodyText(Body));
        if (callbackEvent is null)
        {
            WriteError(new ErrorRecord(new FormatException(error), "InvalidCallbackEvent", ErrorCategory.InvalidData, Body));
            return;
        }

        if (!SkipVerification)
        {
            using var credential = VerificationKey();
            var key = credential.GetSecretBytes();
            try
            {
                if (!EventHash.Matches(key, callbackEvent.EventTimeText, callbackEvent.EventType, callbackEvent.EventHash))
                {
                    WriteError(new ErrorRecord(
                        new SecurityException($"The {callbackEvent.EventType} event's event_hash does not match: it was not sent by HelloSign for this account's API key, or it was altered. Reject it (answer anything but '{CallbackEvent.ExpectedReply}')."),
                        "EventHashMismatch",
                        ErrorCategory.SecurityError,
                        callbackEvent.EventType));
                    return;
                }
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }

            callbackEvent.IsVerified = true;
        }

        WriteObject(callbackEvent);
    }

    private ApiCredential VerificationKey()
    {
        if (ApiKey is not null)
        {
            return new ApiCredential(AuthenticationMethod.ApiKey, ApiKey);
        }

        var connection = Connection ?? ConnectionStore.Current;
        if (connection is { AuthenticationMethod: AuthenticationMethod.ApiKey } && connection.TryLease() is { } lease)
        {
            using (lease)
            {
                return lease.Api.Http.Credential.CopyForVerification();
            }
        }

        ThrowTerminatingError(new ErrorRecord(
            new InvalidOperationException("No API key to verify the event with: pass -ApiKey, connect with an API key (Connect-HelloSign), or use -SkipVerification for an event verified otherwise. Events are signed with the API key, never an OAuth token."),
            "NoKeyForVerification",
            ErrorCategory.AuthenticationError,
            null));
        return null!;
    }

    private static string? BodyText(object? body) => PSObjectBase(body) switch
    {
        null => null,
        string text => text,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        IDictionary form => PSObjectBase(form["json"])?.ToString(),
        var other => PSObject.AsPSObject(other).Properties["json"]?.Value?.ToString() ?? other.ToString(),
    };

    private static object? PSObjectBase(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
