using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using HelloSign.Core.Auth;
using HelloSign.Core.Bulk;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.Journal;
using HelloSign.Core.Models;
using HelloSign.Core.RateLimiting;
using HelloSign.Core.Retry;
using HelloSign.Core.Tests.Properties;
using HelloSign.Core.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace HelloSign.Core.Tests.Bulk;

/// <summary>
/// The bulk engine's promises, over random scripted answers per id through the real caller, pacer and HTTP client
/// (a scripted handler and a fake clock, so nothing sleeps): every id one outcome, nothing sent after it, the
/// journal complete after an abandon, the summary equal to the ledger, one run-ending policy for every kind of call.
/// </summary>
public class BulkRunProperties(ITestOutputHelper output)
{
    /// <summary>What the scripted server answers to one request.</summary>
    public enum Answer
    {
        Ok,
        CannotAct,
        NotFound,
        Gone,
        RateLimitedWithHeaders,
        RateLimitedBare,
        ServerError,
        HtmlGatewayError,
        Conflict,
        ConnectionReset,
        Timeout,
        Unauthorized,
        Redirect,
    }

    public enum Kind
    {
        Cancel,
        Remove,
        Get,
        Poll,
    }

    /// <param name="AbandonAfter">The command ends early (a terminating error, Select-Object -First) before this id.</param>
    /// <param name="InterruptAfter">Ctrl+C once this many outcomes were delivered (a slow pipeline lets more pile up).</param>
    public sealed record Case(Answer[][] Scripts, int MaximumInFlight, int MaximumRetries, int? AbandonAfter, Kind Kind, bool Latency, int? InterruptAfter = null)
    {
        public override string ToString() =>
            $"{Kind}, {Scripts.Length} ids, in flight {MaximumInFlight}, retries {MaximumRetries}, abandon after {AbandonAfter?.ToString() ?? "-"}, Ctrl+C after {InterruptAfter?.ToString() ?? "-"}, latency {Latency}: " +
            string.Join(" | ", Scripts.Select(s => string.Join(",", s)));
    }

    private static readonly Gen<Answer> AnyAnswer = Gen.Frequency(
        (8, Gen.OneOf(Answer.Ok)), (2, Gen.OneOf(Answer.CannotAct)), (1, Gen.OneOf(Answer.NotFound)), (2, Gen.OneOf(Answer.Gone)),
        (2, Gen.OneOf(Answer.RateLimitedWithHeaders)), (2, Gen.OneOf(Answer.RateLimitedBare)), (2, Gen.OneOf(Answer.ServerError)),
        (1, Gen.OneOf(Answer.HtmlGatewayError)), (1, Gen.OneOf(Answer.Conflict)), (2, Gen.OneOf(Answer.ConnectionReset)),
        (2, Gen.OneOf(Answer.Timeout)), (1, Gen.OneOf(Answer.Unauthorized)), (1, Gen.OneOf(Answer.Redirect)));

    private static readonly Gen<Case> Cases =
        from scripts in AnyAnswer.Array[1, 4].Array[1, 24]
        from inFlight in Gen.Int[1, 8]
        from retries in Gen.Int[0, 3]
        from abandon in Gen.Frequency((3, Gen.Int[-1, -1]), (1, Gen.Int[0, 24])).Select(n => n < 0 ? (int?)null : n)
        from kind in Gen.Enum<Kind>()
        from latency in Gen.Bool
        from interrupt in Gen.Frequency((3, Gen.Int[-1, -1]), (1, Gen.Int[0, 12])).Select(n => n < 0 ? (int?)null : n)
        select new Case(scripts, inFlight, retries, abandon, kind, latency, kind == Kind.Poll ? null : interrupt);

    [Fact]
    public void Every_id_gets_one_outcome_nothing_is_sent_after_it_and_the_summary_is_the_ledger() =>
        Property.Check(Cases, test => Run(test), output, cases: 300, print: c => c.ToString());

    [Fact]
    public void The_run_ending_policy_is_the_same_for_cancel_remove_get_and_poll() =>
        Property.Check(
            // Without plain successes: a poll that reads the request goes on waiting, where an action would be done.
            AnyAnswer.Where(a => a != Answer.Ok).Array[1, 3].Array[1, 12],
            scripts =>
            {
                // One at a time, so which ids a run-ending failure leaves unsent does not depend on timing.
                var endings = Enum.GetValues(typeof(Kind)).Cast<Kind>()
                    .Select(kind => Run(new Case(scripts, 1, 2, null, kind, false)))
                    .Select(run => string.Join(",", run.OrderBy(o => o.Key).Select(o => $"{o.Key}:{o.Value}")))
                    .Distinct()
                    .ToList();
                Assert.True(endings.Count == 1, "The kinds of call ended the run differently: " + string.Join(" / ", endings));
            },
            output,
            cases: 100);

    /// <summary>Runs one case, checks the invariants, and returns for each id whether its outcome ended the run or it was not sent.</summary>
    private static Dictionary<string, string> Run(Case test)
    {
        var ids = Enumerable.Range(0, test.Scripts.Length).Select(i => (i + 1).ToString("x40")).ToArray();
        // For the poll, a request whose script has run out has finished canceling; for the rest, it simply succeeds.
        var server = new ScriptedServer(ids, test.Scripts, test.Latency, test.Kind == Kind.Poll ? Answer.Gone : Answer.Ok);
        var clock = new FakeClock(TestApi.Start);
        using var api = TestApi.Create(server, clock, jitterSeed: 1);
        var options = new ApiCallOptions { MaximumRetries = test.MaximumRetries, Timeout = TimeSpan.FromSeconds(30) };
        using var interrupt = new CancellationTokenSource();
        var settings = new BulkRunSettings(test.MaximumInFlight, options, interrupt.Token) { Clock = clock, Trace = true };
        var journalPath = Path.Combine(Path.GetTempPath(), $"hellosign-bulk-{Guid.NewGuid():N}.jsonl");
        var ledger = new RunLedger();
        var outcomes = new Dictionary<string, BulkEvent<object>>();
        var sequence = server.Sequence;
        var finalAt = new Dictionary<string, long>();
        var journaled = test.Kind is Kind.Cancel or Kind.Remove or Kind.Poll;
        var abandoned = false;
        string? endedBy = null;
        var afterTheEnd = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using (var journal = journaled ? OutcomeJournal.Open(journalPath, "account", test.Kind.ToString(), readOnly: false) : null)
            {
                var admission = new IdAdmission(ledger, journal);
                void Record(string id, IdState state, bool endsRun, ApiFailure? failure)
                {
                    Assert.False(outcomes.ContainsKey(id), $"{id} got a second outcome ({state}).");
                    Assert.Equal(failure is not null && RunEndingPolicy.EndsRun(failure), endsRun && failure is not null);
                    outcomes[id] = BulkEvent<object>.ForOutcome(id, state, null, endsRun);
                    if (endedBy is not null)
                    {
                        afterTheEnd.Add(id);
                    }

                    endedBy ??= endsRun ? id : null;
                    finalAt[id] = Interlocked.Read(ref sequence.Value);
                }

                if (test.Kind == Kind.Poll)
                {
                    foreach (var id in ids)
                    {
                        Assert.Equal(AdmissionVerdict.Ready, admission.Admit(id).Verdict);
                        ledger.Set(id, IdState.Queued);
                    }

                    var waiter = new CompletionWaiter(settings, TimeSpan.FromSeconds(3600), new Random(1));
                    waiter.Wait(ids, ledger, api.GetSignatureRequestAsync, e =>
                    {
                        if (e.Kind == BulkEventKind.Outcome)
                        {
                            Record(e.Id, e.State, e.EndsRun, e.Failure);
                        }
                    }, journal);
                }
                else
                {
                    BulkRun<object>.Sender send = test.Kind switch
                    {
                        Kind.Cancel => async (id, o, t, c) => Box(await api.CancelAsync(id, o, t, c)),
                        Kind.Remove => async (id, o, t, c) => Box(await api.RemoveAsync(id, o, t, c)),
                        _ => async (id, o, t, c) => Box(await api.GetSignatureRequestAsync(id, o, t, c)),
                    };
                    using var run = new BulkRun<object>(settings, ledger, StateOf(test.Kind), send, e =>
                    {
                        if (e.Kind == BulkEventKind.Outcome)
                        {
                            Record(e.Id, e.State, e.EndsRun, e.Failure);
                        }
                    }, journal);
                    try
                    {
                        for (var i = 0; i < ids.Length; i++)
                        {
                            if (test.AbandonAfter == i)
                            {
                                abandoned = true;
                                break;
                            }

                            Assert.Equal(AdmissionVerdict.Ready, admission.Admit(ids[i]).Verdict);
                            run.Submit(ids[i]);
                        }

                        if (!abandoned)
                        {
                            run.Complete();
                        }
                    }
                    catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
                    {
                        abandoned = true; // Ctrl+C: the command stops, and Dispose records what arrived
                    }
                }
            }

            var states = ledger.Entries().ToDictionary(e => e.Key, e => e.Value);
            foreach (var id in states.Keys)
            {
                Assert.NotEqual(IdState.Admitted, states[id]);
                Assert.NotEqual(IdState.InFlight, states[id]);
                if (!abandoned)
                {
                    // Every id admitted has exactly one outcome, and it is the ledger's state.
                    Assert.True(outcomes.ContainsKey(id), $"{id} ({states[id]}) got no outcome.");
                    Assert.Equal(states[id], outcomes[id].State);
                }

                // Nothing goes out for an id once its outcome is known, retries included.
                if (finalAt.TryGetValue(id, out var final))
                {
                    Assert.DoesNotContain(server.SentAt(id), sent => sent > final);
                }

                // Each request takes one step of the script, and the answer after it is final.
                Assert.True(server.SentAt(id).Count <= test.Scripts[Array.IndexOf(ids, id)].Length + 1, $"{id} was sent {server.SentAt(id).Count} times.");
            }

            // The summary is the ledger: every value in one count.
            var summary = new RunSummary("test", ledger, 0, TimeSpan.Zero, TimeSpan.Zero);
            Assert.Equal(ledger.Received, summary.Queued + summary.Canceled + summary.Pending + summary.Removed + summary.Gone + summary.Read +
                summary.Failed + summary.Invalid + summary.Duplicates + summary.Blank + summary.NotConfirmed + summary.Previewed + summary.Skipped +
                summary.NotSent + summary.Abandoned);
            foreach (var state in Enum.GetValues(typeof(IdState)).Cast<IdState>())
            {
                Assert.Equal(states.Values.Count(s => s == state), ledger.Count(state));
            }

            if (journaled)
            {
                // The journal holds exactly the outcomes that arrived, abandoned or not.
                var lines = File.ReadAllLines(journalPath).Where(l => l.Length > 0).Select(l => OutcomeJournal.Parse(l)!).ToList();
                foreach (var (id, state) in states)
                {
                    var expected = ExpectedJournal(state, test.Kind);
                    var written = lines.Where(l => l.Id == id).Select(l => l.Outcome).ToList();
                    Assert.True(expected is null ? written.Count == 0 : written.SequenceEqual(new[] { expected.Value }),
                        $"{id} is {state} but the journal has [{string.Join(",", written)}].");
                }
            }

            // Once a failure every later id would share has ended the run, nothing more is sent for the ids after it.
            Assert.All(states.Where(s => s.Value == IdState.NotSent), s => Assert.Empty(server.SentAt(s.Key)));
            var ending = new Dictionary<string, string>();
            foreach (var id in afterTheEnd)
            {
                ending[id] = "not sent";
            }

            if (endedBy is not null)
            {
                ending[endedBy] = "ended";
            }

            return ending;
        }
        finally
        {
            File.Delete(journalPath);
            File.Delete(journalPath + ".lock");
        }
    }

    private static JournalOutcome? ExpectedJournal(IdState state, Kind kind) => (state, kind) switch
    {
        (IdState.Canceled, Kind.Poll) => JournalOutcome.Canceled,
        (_, Kind.Poll) => null,
        (IdState.Queued, _) => JournalOutcome.Queued,
        (IdState.Gone, _) => JournalOutcome.Gone,
        (IdState.Removed, _) => JournalOutcome.Removed,
        (IdState.Failed, _) => JournalOutcome.Failed,
        _ => null,
    };

    private static Func<ApiResult<object>, IdState> StateOf(Kind kind) => result => (kind, result.Failure) switch
    {
        (_, { Kind: ApiFailureKind.Gone }) when kind != Kind.Get => IdState.Gone,
        (_, { }) => IdState.Failed,
        (Kind.Cancel, null) when result.Value is SignatureRequestActionStatus.Gone => IdState.Gone,
        (Kind.Cancel, null) => IdState.Queued,
        (Kind.Remove, null) when result.Value is SignatureRequestActionStatus.Gone => IdState.Gone,
        (Kind.Remove, null) => IdState.Removed,
        _ => IdState.Read,
    };

    private static ApiResult<object> Box<T>(ApiResult<T> result) => new(result.Value, result.Failure, result.Call, result.Warnings);

    /// <summary>Answers each id from its own script (then 200), counting every request in one global sequence.</summary>
    private sealed class ScriptedServer : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> _scripts = new();
        private readonly ConcurrentDictionary<string, List<long>> _sent = new();
        private readonly bool _latency;
        private readonly Answer _afterScript;

        public ScriptedServer(string[] ids, Answer[][] scripts, bool latency, Answer afterScript)
        {
            _afterScript = afterScript;
            for (var i = 0; i < ids.Length; i++)
            {
                _scripts[ids[i]] = new ConcurrentQueue<Answer>(scripts[i]);
                _sent[ids[i]] = new List<long>();
            }

            _latency = latency;
        }

        public Counter Sequence { get; } = new();

        public List<long> SentAt(string id)
        {
            lock (_sent[id])
            {
                return _sent[id].ToList();
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var id = request.RequestUri!.AbsolutePath.Split('/').Last();
            var at = Interlocked.Increment(ref Sequence.Value);
            lock (_sent[id])
            {
                _sent[id].Add(at);
            }

            await Task.Yield();
            if (_latency)
            {
                await Task.Delay(1, cancellationToken);
            }

            var answer = _scripts[id].TryDequeue(out var next) ? next : _afterScript;
            var isGet = request.Method == HttpMethod.Get;
            return answer switch
            {
                Answer.Ok => ScriptedHandler.Response(200, isGet ? $"{{\"signature_request\":{{\"signature_request_id\":\"{id}\"}}}}" : "{}",
                    headers: new Dictionary<string, string> { ["X-RateLimit-Limit"] = "100", ["X-RateLimit-Remaining"] = "50", ["X-Ratelimit-Reset"] = "1800000060" }),
                Answer.CannotAct => ScriptedHandler.Response(400, Error(request.RequestUri.AbsolutePath.Contains("remove") ? "signature_request_remove_failed" : "signature_request_cancel_failed")),
                Answer.NotFound => ScriptedHandler.Response(404, Error("not_found")),
                Answer.Gone => ScriptedHandler.Response(410, Error("deleted")),
                Answer.RateLimitedWithHeaders => ScriptedHandler.Response(429, Error("exceeded_rate"),
                    headers: new Dictionary<string, string> { ["X-RateLimit-Limit"] = "100", ["X-RateLimit-Remaining"] = "0", ["X-Ratelimit-Reset"] = "1800000060" }),
                Answer.RateLimitedBare => ScriptedHandler.Response(429, Error("exceeded_rate")),
                Answer.ServerError => ScriptedHandler.Response(500, Error("unknown")),
                Answer.HtmlGatewayError => ScriptedHandler.Response(503, "<html>busy</html>", "text/html"),
                Answer.Conflict => ScriptedHandler.Response(409, Error("conflict")),
                Answer.ConnectionReset => throw new HttpRequestException("connection reset", new IOException("reset by peer")),
                Answer.Timeout => throw new TaskCanceledException("no answer"),
                Answer.Unauthorized => ScriptedHandler.Response(401, Error("unauthorized")),
                _ => Redirect(),
            };
        }

        private static HttpResponseMessage Redirect()
        {
            var response = ScriptedHandler.Response(301, string.Empty, "text/html");
            response.Headers.Location = new Uri("https://elsewhere.example/");
            return response;
        }

        private static string Error(string name) => $"{{\"error\":{{\"error_msg\":\"scripted\",\"error_name\":\"{name}\"}}}}";
    }

    public sealed class Counter
    {
        public long Value;
    }
}
