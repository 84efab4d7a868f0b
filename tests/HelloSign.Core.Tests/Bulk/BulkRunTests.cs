using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HelloSign.Core.Bulk;
using HelloSign.Core.Journal;
using HelloSign.Core.Retry;
using Xunit;

namespace HelloSign.Core.Tests.Bulk;

public class BulkRunTests
{
    private static ApiResult<SignatureRequestActionStatus> Queued() =>
        new(SignatureRequestActionStatus.Queued, null, new ApiCallResult(null, null, 1, 0, 0, false), Array.Empty<string>());

    [Fact]
    public void Ctrl_c_while_answers_wait_for_the_pipeline_thread_still_records_and_journals_every_one_of_them()
    {
        var ids = new[] { new string('a', 40), new string('b', 40), new string('c', 40) };
        var gates = ids.ToDictionary(id => id, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        var answered = 0;
        using var interrupt = new CancellationTokenSource();
        var path = Path.Combine(Path.GetTempPath(), $"hellosign-ctrlc-{Guid.NewGuid():N}.jsonl");
        var ledger = new RunLedger();
        try
        {
            using (var journal = OutcomeJournal.Open(path, "account", "Cancel", readOnly: false))
            {
                var settings = new BulkRunSettings(3, new ApiCallOptions(), interrupt.Token);
                BulkRun<SignatureRequestActionStatus>.Sender send = async (id, _, _, _) =>
                {
                    await gates[id].Task;
                    Interlocked.Increment(ref answered);
                    return Queued();
                };
                var run = new BulkRun<SignatureRequestActionStatus>(settings, ledger, _ => IdState.Queued, send, e =>
                {
                    if (e.Kind == BulkEventKind.Outcome && !interrupt.IsCancellationRequested)
                    {
                        // The pipeline thread is busy with the first outcome while the other two answers arrive.
                        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref answered) == ids.Length, TimeSpan.FromSeconds(30)));
                        Thread.Sleep(50);
                        interrupt.Cancel();
                    }
                }, journal);
                foreach (var id in ids)
                {
                    ledger.Add(id, IdState.Admitted);
                    run.Submit(id);
                }

                foreach (var gate in gates.Values)
                {
                    gate.SetResult(true);
                }

                Assert.ThrowsAny<OperationCanceledException>(run.Complete);
                run.Dispose();
            }

            Assert.All(ids, id => Assert.Equal(IdState.Queued, ledger.StateOf(id)));
            var journaled = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => OutcomeJournal.Parse(l)!.Id).OrderBy(id => id);
            Assert.Equal(ids, journaled);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".lock");
        }
    }
}
