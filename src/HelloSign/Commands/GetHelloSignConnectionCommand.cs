using System.Management.Automation;

namespace HelloSign.Commands;

/// <summary>Shows this runspace's connection (never its secret).</summary>
[Cmdlet(VerbsCommon.Get, "HelloSignConnection")]
[OutputType(typeof(HelloSignConnection))]
public sealed class GetHelloSignConnectionCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        if (ConnectionStore.Current is { IsOpen: true } connection)
        {
            connection.HandedOut = true;
            WriteObject(connection);
        }
    }
}
