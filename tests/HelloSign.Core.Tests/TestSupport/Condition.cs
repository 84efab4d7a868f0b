using System;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.Tests.TestSupport;

internal static class Condition
{
    /// <summary>Waits for work on other threads to reach a state; a failure here is a hang, not slowness.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
