using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace HelloSign;

/// <summary>
/// The default connection of each runspace, so that runbook jobs sharing a process and parallel runspaces
/// never see or replace each other's credentials. Other runspaces use a connection only when handed it as -Connection.
/// </summary>
internal static class ConnectionStore
{
    private sealed class Slot
    {
        public HelloSignConnection? Connection;
    }

    private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new();

    /// <summary>
    /// The current runspace's connection, or null. Call on the pipeline thread (DefaultRunspace is per thread).
    /// A new Connect-HelloSign closes the one it replaces, unless the user holds that one (-PassThru,
    /// Get-HelloSignConnection): commands running on it finish normally, later ones get ConnectionClosed.
    /// </summary>
    public static HelloSignConnection? Current
    {
        get => Runspace.DefaultRunspace is { } runspace && Slots.TryGetValue(runspace, out var slot) ? slot.Connection : null;
        set
        {
            if (Runspace.DefaultRunspace is { } runspace)
            {
                var slot = Slots.GetOrCreateValue(runspace);
                var replaced = slot.Connection;
                slot.Connection = value;
                if (replaced is not null && !ReferenceEquals(replaced, value) && !replaced.HandedOut)
                {
                    replaced.Close();
                }
            }
        }
    }

    /// <summary>Forgets and closes this runspace's connection, held by the user or not (Remove-Module).</summary>
    public static void CloseCurrent()
    {
        if (Current is { } connection)
        {
            Current = null;
            connection.Close();
        }
    }
}
