using System.Management.Automation;

namespace HelloSign.Commands;

/// <summary>Forgets this runspace's connection and closes it (or the one given with -Connection).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "HelloSign", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class DisconnectHelloSignCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public HelloSignConnection? Connection { get; set; }

    protected override void ProcessRecord()
    {
        var connection = Connection ?? ConnectionStore.Current;
        if (connection is null || !ShouldProcess(connection.ToString(), "Disconnect"))
        {
            return;
        }

        if (ReferenceEquals(connection, ConnectionStore.Current))
        {
            ConnectionStore.Current = null;
        }

        connection.Close();
    }
}
