using System.Diagnostics;

namespace HelloSign.Emulator;

/// <summary>Ways the emulator notices that whoever started it is gone, so a crashed test never leaves it running.</summary>
internal static class ShutdownWatchers
{
    /// <summary>The parent holds our stdin: end of input means it closed it or died.</summary>
    public static void StopWhenStandardInputCloses(IHostApplicationLifetime lifetime)
    {
        var watcher = new Thread(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
                // Input lines carry no meaning; only the end of input does.
            }

            lifetime.StopApplication();
        })
        {
            IsBackground = true,
            Name = "stdin watcher",
        };
        watcher.Start();
    }

    public static void StopWhenProcessExits(int processId, IHostApplicationLifetime lifetime) => _ = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (IsRunning(processId) && await timer.WaitForNextTickAsync(lifetime.ApplicationStopping))
        {
        }

        lifetime.StopApplication();
    });

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
