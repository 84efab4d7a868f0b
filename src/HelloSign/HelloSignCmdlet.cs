using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core;
using HelloSign.Core.Bulk;

namespace HelloSign;

/// <summary>
/// What every HelloSign cmdlet shares: Ctrl+C cancels the request in flight, background work reports through
/// the pipeline thread, and a connection comes from -Connection or the runspace's Connect-HelloSign.
/// </summary>
public abstract class HelloSignCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled by Ctrl+C (StopProcessing); passed to every request.</summary>
    protected CancellationToken CancelToken => _stopping.Token;

    protected override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Ctrl+C after the command has already ended: nothing left to stop.
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// PowerShell disposes a cmdlet when its pipeline ends, however it ends: Ctrl+C, a terminating error,
    /// -ErrorAction Stop, or Select-Object -First downstream. Derived commands end their runs here.
    /// </summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    /// <summary>
    /// Whether -Verbose or $VerbosePreference asks for verbose output, read when a run starts, so that
    /// background work builds its trace lines only when someone will read them.
    /// </summary>
    protected bool VerboseWanted =>
        MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose)
            ? ((SwitchParameter)verbose).IsPresent
            : SessionState.PSVariable.GetValue("VerbosePreference") is ActionPreference preference &&
              preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    /// <summary>
    /// Takes a lease on <paramref name="given"/> (or the runspace's connection) for this command's run, or ends
    /// the command: NotConnected when there is none, ConnectionClosed when it was closed.
    /// </summary>
    protected ApiLease LeaseConnection(HelloSignConnection? given, out HelloSignConnection connection)
    {
        connection = (given ?? ConnectionStore.Current)!;
        if (connection is null)
        {
            ThrowTerminatingError(ErrorRecords.NotConnected());
        }

        if (connection!.TryLease() is not { } lease)
        {
            ThrowTerminatingError(ErrorRecords.ConnectionClosed(connection));
            throw new InvalidOperationException();
        }

        return lease;
    }

    /// <summary>
    /// Runs one piece of async work off this thread, writing its verbose lines here as they come, and returns
    /// its result. Ctrl+C stops the pipeline; an unexpected exception in the work ends the command.
    /// </summary>
    protected T RunSingle<T>(Func<Action<string>?, CancellationToken, Task<T>> work)
    {
        var runner = new BoundedWorkRunner<T>(1, CancelToken);
        Action<string>? trace = VerboseWanted ? line => runner.Post(WorkMessageLevel.Verbose, line) : null;
        runner.Start(token => work(trace, token));
        try
        {
            while (true)
            {
                runner.TryTake(Timeout.InfiniteTimeSpan, out var workEvent);
                if (workEvent.IsResult)
                {
                    return workEvent.Result!;
                }

                if (workEvent.Exception is { } exception)
                {
                    // After Ctrl+C a request may fail in any way (a dropped socket as much as a cancellation): that is the stop.
                    if (CancelToken.IsCancellationRequested)
                    {
                        throw new PipelineStoppedException();
                    }

                    ThrowTerminatingError(ErrorRecords.Unexpected(exception, null));
                }

                WriteMessage(workEvent.Level, workEvent.Message!);
            }
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Runs engine work on this thread; Ctrl+C while it waits stops the pipeline.</summary>
    protected void Interruptible(Action work)
    {
        try
        {
            work();
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>A line from background work, on the stream its level names.</summary>
    protected void WriteMessage(WorkMessageLevel level, string message)
    {
        switch (level)
        {
            case WorkMessageLevel.Warning:
                WriteWarning(message);
                break;
            case WorkMessageLevel.Debug:
                WriteDebug(message);
                break;
            default:
                WriteVerbose(message);
                break;
        }
    }

    /// <summary>
    /// A message for the Information stream that shows like Write-Host output (and can be silenced with
    /// -InformationAction), for the one line a command owes the user; nothing is written to the host directly.
    /// </summary>
    protected void WriteNotice(string message) =>
        WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST", "HelloSign" });
}
