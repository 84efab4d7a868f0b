using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// PowerShell disposes a cmdlet when its pipeline ends, however it ends: Ctrl+C, a terminating error,
    /// -ErrorAction Stop, or Select-Object -First downstream. Work still in flight is cancelled first, so no
    /// request goes out after the command has returned.
    /// </summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            CancelOutstandingWork();
            _stopping.Dispose();
        }
    }

    /// <summary>Cancels every request this command started that has not finished.</summary>
    protected void CancelOutstandingWork()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The -Verbose switch or $VerbosePreference asks for verbose output (checked once: building trace lines costs).</summary>
    protected bool VerboseWanted =>
        MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose)
            ? ((SwitchParameter)verbose).IsPresent
            : SessionState.PSVariable.GetValue("VerbosePreference") is ActionPreference preference &&
              preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    protected HelloSignConnection RequireConnection(HelloSignConnection? given)
    {
        var connection = given ?? ConnectionStore.Current;
        if (connection is null || !connection.IsOpen)
        {
            ThrowTerminatingError(ErrorRecords.NotConnected());
        }

        return connection!;
    }

    /// <summary>
    /// Runs one piece of async work, writing its messages on this thread as they come, and returns its result.
    /// </summary>
    protected T RunSingle<T>(Func<Action<string>?, CancellationToken, Task<T>> work)
    {
        var runner = new BoundedWorkRunner<T>(1, CancelToken);
        var trace = TraceTo(runner);
        T? result = default;
        foreach (var workEvent in Pump(runner.Start(token => work(trace, token))))
        {
            result = workEvent;
        }

        foreach (var workEvent in Pump(runner.Finish()))
        {
            result = workEvent;
        }

        return result!;
    }

    /// <summary>
    /// A message for the Information stream that shows like Write-Host output (and can be silenced with
    /// -InformationAction), for the one line a command owes the user; nothing is written to the host directly.
    /// </summary>
    protected void WriteNotice(string message) =>
        WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST", "HelloSign" });

    /// <summary>Verbose lines from background work, or nothing when nobody will read them.</summary>
    protected Action<string>? TraceTo<T>(BoundedWorkRunner<T> runner) =>
        VerboseWanted ? line => runner.Post(WorkMessageLevel.Verbose, line) : null;

    /// <summary>
    /// Writes the messages among <paramref name="events"/> and yields the results. Ctrl+C while waiting
    /// stops the pipeline; an unexpected exception in the work ends the command.
    /// </summary>
    protected IEnumerable<T> Pump<T>(IEnumerable<WorkEvent<T>> events)
    {
        using var enumerator = events.GetEnumerator();
        while (true)
        {
            WorkEvent<T> workEvent;
            try
            {
                if (!enumerator.MoveNext())
                {
                    yield break;
                }

                workEvent = enumerator.Current;
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            if (workEvent.IsResult)
            {
                yield return workEvent.Result!;
            }
            else if (workEvent.Exception is { } exception)
            {
                // After Ctrl+C a request may fail in any way (a dropped socket as much as a cancellation): that is the stop.
                if (CancelToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                ThrowTerminatingError(ErrorRecords.Unexpected(exception, null));
            }
            else if (workEvent.Level == WorkMessageLevel.Warning)
            {
                WriteWarning(workEvent.Message);
            }
            else if (workEvent.Level == WorkMessageLevel.Debug)
            {
                WriteDebug(workEvent.Message);
            }
            else
            {
                WriteVerbose(workEvent.Message);
            }
        }
    }
}
