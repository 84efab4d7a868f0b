using System.Globalization;
using System.Text.Json;

namespace HelloSign.Emulator;

/// <summary>
/// Posts signature_request_canceled events once a cancel completes, retrying until the receiver answers
/// 200 with exactly "Hello API Event Received" (as Dropbox Sign requires) or the attempts run out.
/// One background loop delivers in due-time order; deliveries are sequential, which is plenty for tests.
/// </summary>
internal sealed class CallbackSender : BackgroundService
{
    public const string ExpectedReply = "Hello API Event Received";
    private const string EventType = "signature_request_canceled";

    private readonly Lock _gate = new();
    private readonly PriorityQueue<PendingDelivery, long> _queue = new();
    private readonly List<CallbackAttempt> _attempts = [];
    private readonly SemaphoreSlim _wakeUp = new(0);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    // Bumped by Clear so deliveries already under way after a reset are forgotten.
    private int _generation;

    // Real callbacks arrive with this User-Agent; receivers may look for it.
    public CallbackSender() => _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "HelloSign API");

    public void Schedule(CallbackJob job)
    {
        lock (_gate)
        {
            _queue.Enqueue(new PendingDelivery(job, Attempt: 1, _generation, Payload: null), job.DueAtMs);
        }

        _wakeUp.Release();
    }

    public List<CallbackAttempt> Attempts()
    {
        lock (_gate)
        {
            return [.. _attempts];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _generation++;
            _queue.Clear();
            _attempts.Clear();
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        _wakeUp.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                if (TakeDue(out var waitMs) is { } delivery)
                {
                    await DeliverAsync(delivery, stoppingToken);
                }
                else
                {
                    await _wakeUp.WaitAsync(waitMs, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: undelivered events are simply dropped.
        }
    }

    /// <summary>The next delivery if it is due; otherwise how long to sleep (-1: until something is scheduled).</summary>
    private PendingDelivery? TakeDue(out int waitMs)
    {
        lock (_gate)
        {
            waitMs = Timeout.Infinite;
            if (!_queue.TryPeek(out var next, out var dueAtMs))
            {
                return null;
            }

            var untilDue = dueAtMs - UnixTime.NowMs();
            if (untilDue > 0)
            {
                waitMs = (int)Math.Min(untilDue, int.MaxValue);
                return null;
            }

            return _queue.Dequeue();
        }
    }

    private async Task DeliverAsync(PendingDelivery delivery, CancellationToken stoppingToken)
    {
        var job = delivery.Job;
        var payload = delivery.Payload ?? BuildPayload(job);
        var (status, replyOk, error) = await PostAsync(job.Url, payload.Json, stoppingToken);
        lock (_gate)
        {
            if (delivery.Generation != _generation)
            {
                return;
            }

            _attempts.Add(new CallbackAttempt(job.SignatureRequestId, delivery.Attempt, status, replyOk, error, payload.EventTime, UnixTime.NowMs()));
            if (!replyOk && delivery.Attempt < job.MaxAttempts)
            {
                _queue.Enqueue(delivery with { Attempt = delivery.Attempt + 1, Payload = payload }, UnixTime.NowMs() + job.RetryMs);
            }
        }
    }

    private async Task<(int Status, bool ReplyOk, string? Error)> PostAsync(string url, string json, CancellationToken stoppingToken)
    {
        // A plain form field (no per-part content type), like the field "json" Dropbox Sign posts.
        var field = new StringContent(json);
        field.Headers.ContentType = null;
        using var form = new MultipartFormDataContent { { field, "json" } };
        try
        {
            using var response = await _http.PostAsync(url, form, stoppingToken);
            var reply = await response.Content.ReadAsStringAsync(stoppingToken);
            var status = (int)response.StatusCode;
            return (status, status == StatusCodes.Status200OK && reply == ExpectedReply, null);
        }
        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !stoppingToken.IsCancellationRequested)
        {
            return (0, false, ex.Message);
        }
    }

    /// <summary>The event is dated when the cancel completed and signed with the owner's first API key.</summary>
    private static EventPayload BuildPayload(CallbackJob job)
    {
        var eventTime = (job.DueAtMs / 1000).ToString(CultureInfo.InvariantCulture);
        var callback = new EventCallback(
            new CallbackEvent(
                eventTime,
                EventType,
                EventHash.Compute(job.Account.ApiKeys[0], eventTime, EventType),
                new EventMetadata(RelatedSignatureId: null, job.Account.AccountId, ReportedForAppId: null, EventMessage: null)),
            SignatureRequestResponse.ForCanceledEvent(job.SignatureRequestId));
        return new EventPayload(eventTime, JsonSerializer.Serialize(callback, EmulatorJson.Options));
    }

    private sealed record EventPayload(string EventTime, string Json);

    private sealed record PendingDelivery(CallbackJob Job, int Attempt, int Generation, EventPayload? Payload);
}
