using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Bulk;
using Xunit;

namespace HelloSign.Core.Tests.Bulk;

public class BoundedWorkRunnerTests
{
    [Fact]
    public void Never_more_than_the_limit_in_flight_and_every_result_comes_back()
    {
        var runner = new BoundedWorkRunner<int>(3, CancellationToken.None);
        var running = 0;
        var peak = 0;
        var results = new System.Collections.Generic.List<int>();

        for (var i = 0; i < 20; i++)
        {
            var n = i;
            results.AddRange(runner.Start(async _ =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(10);
                Interlocked.Decrement(ref running);
                return n;
            }).Where(e => e.IsResult).Select(e => e.Result));
            Assert.InRange(runner.InFlight, 1, 3);
        }

        results.AddRange(runner.Finish().Where(e => e.IsResult).Select(e => e.Result));

        Assert.Equal(Enumerable.Range(0, 20), results.OrderBy(n => n));
        Assert.InRange(peak, 2, 3);
        Assert.Equal(0, runner.InFlight);
    }

    [Fact]
    public void Messages_posted_by_tasks_arrive_before_their_result()
    {
        var runner = new BoundedWorkRunner<string>(1, CancellationToken.None);

        var events = runner.Start(_ => { runner.Post(WorkMessageLevel.Verbose, "working"); return Task.FromResult("done"); })
            .Concat(runner.Finish()).ToList();

        Assert.Equal("working", events[0].Message);
        Assert.Equal("done", events[1].Result);
    }

    [Fact]
    public void An_exception_in_a_task_is_reported_not_lost()
    {
        var runner = new BoundedWorkRunner<int>(2, CancellationToken.None);

        var events = runner.Start(_ => throw new InvalidOperationException("bug")).Concat(runner.Finish()).ToList();

        Assert.IsType<InvalidOperationException>(Assert.Single(events).Exception);
        Assert.Equal(0, runner.InFlight);
    }

    [Fact]
    public void Cancellation_ends_a_wait_for_results()
    {
        using var cancel = new CancellationTokenSource();
        var runner = new BoundedWorkRunner<int>(1, cancel.Token);
        _ = runner.Start(token => Task.Delay(Timeout.Infinite, CancellationToken.None).ContinueWith(_ => 1)).ToList();
        cancel.CancelAfter(50);

        Assert.ThrowsAny<OperationCanceledException>(() => runner.Finish().ToList());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
