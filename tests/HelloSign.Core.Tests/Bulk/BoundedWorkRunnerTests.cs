using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Bulk;
using Xunit;

namespace HelloSign.Core.Tests.Bulk;

public class BoundedWorkRunnerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Never_more_than_the_limit_in_flight_and_every_result_comes_back()
    {
        // Gated tasks, not sleeps: whether the machine is busy or not, the tasks finish only when released.
        var runner = new BoundedWorkRunner<int>(3, CancellationToken.None);
        var gates = Enumerable.Range(0, 5).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        for (var i = 0; i < 3; i++)
        {
            var gate = gates[i];
            runner.Start(_ => gate.Task);
        }

        Assert.False(runner.HasRoom);
        Assert.Throws<InvalidOperationException>(() => runner.Start(_ => Task.FromResult(-1)));
        Assert.Equal(3, runner.InFlight);

        gates[1].SetResult(1);
        Assert.True(runner.TryTake(Patience, out var first));
        Assert.Equal(1, first.Result);
        Assert.Equal(2, runner.InFlight);
        Assert.True(runner.HasRoom);

        runner.Start(_ => gates[3].Task);
        gates[0].SetResult(0);
        gates[2].SetResult(2);
        gates[3].SetResult(3);
        var rest = new List<int>();
        while (runner.InFlight > 0)
        {
            Assert.True(runner.TryTake(Patience, out var next));
            rest.Add(next.Result);
        }

        Assert.Equal(new[] { 0, 2, 3 }, rest.OrderBy(n => n));
    }

    [Fact]
    public void Messages_posted_by_tasks_arrive_before_their_result()
    {
        var runner = new BoundedWorkRunner<string>(1, CancellationToken.None);

        runner.Start(_ => { runner.Post(WorkMessageLevel.Verbose, "working"); return Task.FromResult("done"); });

        Assert.True(runner.TryTake(Patience, out var message));
        Assert.Equal("working", message.Message);
        Assert.Equal(1, runner.InFlight);
        Assert.True(runner.TryTake(Patience, out var result));
        Assert.Equal("done", result.Result);
        Assert.Equal(0, runner.InFlight);
    }

    [Fact]
    public void An_exception_in_a_task_is_reported_not_lost()
    {
        var runner = new BoundedWorkRunner<int>(2, CancellationToken.None);

        runner.Start(_ => throw new InvalidOperationException("bug"));

        Assert.True(runner.TryTake(Patience, out var failed));
        Assert.IsType<InvalidOperationException>(failed.Exception);
        Assert.Equal(0, runner.InFlight);
    }

    [Fact]
    public void Nothing_to_take_within_the_wait_is_a_false_not_a_block()
    {
        var runner = new BoundedWorkRunner<int>(1, CancellationToken.None);
        var never = new TaskCompletionSource<int>();
        runner.Start(_ => never.Task);

        Assert.False(runner.TryTake(TimeSpan.Zero, out _));
        Assert.Equal(1, runner.InFlight);
    }

    [Fact]
    public void An_infinite_wait_waits_for_the_result()
    {
        var runner = new BoundedWorkRunner<int>(1, CancellationToken.None);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Start(_ => gate.Task);
        _ = Task.Run(() => gate.SetResult(7));

        Assert.True(runner.TryTake(Timeout.InfiniteTimeSpan, out var result));
        Assert.Equal(7, result.Result);
    }

    [Fact]
    public void Cancellation_ends_a_wait_for_results()
    {
        using var cancel = new CancellationTokenSource();
        var runner = new BoundedWorkRunner<int>(1, cancel.Token);
        runner.Start(_ => new TaskCompletionSource<int>().Task);
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => runner.TryTake(Timeout.InfiniteTimeSpan, out _));
    }
}
