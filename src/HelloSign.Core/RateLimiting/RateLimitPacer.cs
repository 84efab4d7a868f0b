using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.RateLimiting;

/// <summary>
/// One rate-limit budget per connection, shared by every request made through it (including from parallel runspaces).
/// While responses report a plausible window (X-RateLimit-Remaining and X-Ratelimit-Reset), it lets requests go while
/// the window has room and holds them until it resets when it has none. While they report nothing usable, it paces to a
/// rate learned from 429s (<see cref="AdaptiveRate"/>). After a 429 it holds everyone for as long as the response, or
/// else the last window, asks; only a short Retry-After while a learned rate paces the rest holds just its request. So
/// a long run goes at close to the allowance without bursts of 429s.
/// </summary>
public sealed class RateLimitPacer
{
    /// <summary>Slack after the reset instant, for clock granularity between us and the server.</summary>
    public static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(100);

    /// <summary>A Date header has one-second resolution: smaller differences from our clock are noise, not skew.</summary>
    private static readonly TimeSpan SignificantSkew = TimeSpan.FromSeconds(2);

    /// <summary>Timers may wake a little early; a window counts as over this much before the wait for it ends.</summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest single wait for a reset time. Hourly windows existed on older accounts, so an hour is plausible.</summary>
    public static readonly TimeSpan MaximumResetWait = TimeSpan.FromMinutes(61);

    /// <summary>Used instead when a reset time is further away than that: it is garbage or clock skew, so try again soon.</summary>
    public static readonly TimeSpan ImplausibleResetRetry = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest Retry-After that holds only the request it answers while a learned rate paces the others: a token
    /// bucket's, rounded up to whole seconds. A longer one (or one before any rate is learned) holds everyone.
    /// </summary>
    public static readonly TimeSpan LongestOwnRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Backoff bounds after a 429 that said nothing about when to come back.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(60);

    private readonly object _gate = new();
    private readonly Clock _clock;
    private readonly Random _jitter;
    private readonly AdaptiveRate _adaptive = new();
    private readonly List<WarningWatch> _warningWatches = new();
    private int? _remaining;
    private DateTimeOffset? _resetAt;
    private int _inFlight;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;
    private string _blockReason = string.Empty;
    private bool _forgetWindowAfterBlock;
    private int _consecutiveRateLimits;
    private int _decreasesWithoutSuccess;
    private long _responses;
    private long _responsesAtDecrease;
    private int _inFlightAtDecrease;
    private TimeSpan _serverClockOffset;
    private int _waiters;
    private int _windowWaiters;
    private int _pacedWaiters;
    private TaskCompletionSource<bool> _windowMayHaveRoom = NewSignal();
    private DateTimeOffset _waitStartedAt;
    private TimeSpan _totalWait;
    private (string Reason, DateTimeOffset Until)? _longestWait;

    public RateLimitPacer(Clock? clock = null, int? jitterSeed = null)
    {
        _clock = clock ?? Clock.System;
        _jitter = jitterSeed is { } seed ? new Random(seed) : new Random();
    }

    /// <summary>Wall-clock time during which at least one request was held back by the rate limit.</summary>
    public TimeSpan TotalWaitTime
    {
        get
        {
            lock (_gate)
            {
                return _waiters > 0 ? _totalWait + (_clock.UtcNow - _waitStartedAt) : _totalWait;
            }
        }
    }

    /// <summary>
    /// What requests are being held for right now, for a progress display: the reason and when the longest current wait
    /// ends, on the local clock (UTC). Null while nothing waits. Safe to read from any thread.
    /// </summary>
    public (string Reason, DateTimeOffset Until)? CurrentWait
    {
        get
        {
            lock (_gate)
            {
                return _longestWait is { } wait && wait.Until > _clock.UtcNow ? wait : null;
            }
        }
    }

    /// <summary>The rate learned from 429s (requests/s) while responses carry no usable window; null at full speed.</summary>
    public double? LearnedRate
    {
        get
        {
            lock (_gate)
            {
                return _adaptive.Rate;
            }
        }
    }

    /// <summary>Now on the server's clock, to which reset times belong (ours, corrected by the skew the Date header shows).</summary>
    private DateTimeOffset ServerNow => _clock.UtcNow + _serverClockOffset;

    /// <summary>True while the responses have told us the current window: then the window rules, not the learned rate.</summary>
    private bool WindowKnown => _remaining is not null && _resetAt is not null;

    /// <summary>The last limit the API reported, for display.</summary>
    public int? LastLimit { get; private set; }

    /// <summary>
    /// Lets <paramref name="warn"/> hear, from any thread, what the user should be told rather than traced: a header
    /// value the pacer sets aside as implausible, with what it does instead. Each kind is told once per watch, so a
    /// command that watches for the length of its run warns once per run. Dispose the result to stop watching.
    /// </summary>
    public IDisposable WatchWarnings(Action<string> warn)
    {
        var watch = new WarningWatch(this, warn);
        lock (_gate)
        {
            _warningWatches.Add(watch);
        }

        return watch;
    }

    /// <summary>
    /// Waits until a request may be sent and reserves a place for it; every call must be matched by <see cref="Release"/>.
    /// <paramref name="notify"/> hears about each wait (how long and why) before it starts.
    /// </summary>
    public async Task WaitForTurnAsync(Action<string>? notify, CancellationToken cancellationToken)
    {
        var paced = false;
        while (true)
        {
            TimeSpan wait;
            string reason;
            Task? earlyWake = null;
            var slotReserved = false;
            lock (_gate)
            {
                var now = ServerNow;
                if (_resetAt is { } passed && now >= passed + ResetMargin - TimerSlack)
                {
                    // The window is over: the next response will tell us about the new one.
                    _remaining = null;
                    _resetAt = null;
                }

                if (_blockedUntil > now)
                {
                    wait = _blockedUntil - now;
                    reason = _blockReason;
                }
                else if (_forgetWindowAfterBlock)
                {
                    _forgetWindowAfterBlock = false;
                    _remaining = null;
                    _resetAt = null;
                    continue;
                }
                else if (_remaining is { } remaining && remaining - _inFlight <= 0 && _resetAt is { } reset)
                {
                    wait = BoundResetWait(reset - now, out var implausible);
                    if (implausible)
                    {
                        reason = $"the rate limit is used up and the API's reset time ({Show(reset)}) is implausibly far away, so trying again sooner";
                        Block(now + wait, reason, forgetWindowAfterwards: true);
                    }
                    else
                    {
                        // Not a block: requests in flight may have been counted in the figure already, so when they
                        // answer the window may turn out to have room after all. Wasting it would cost a whole window.
                        reason = $"the rate limit is used up until {Show(reset)}";
                        earlyWake = _windowMayHaveRoom.Task;
                        _windowWaiters++;
                    }
                }
                else if (!paced && !WindowKnown && (wait = _adaptive.Reserve(_clock.UtcNow)) > TimeSpan.Zero)
                {
                    paced = slotReserved = true;
                    _pacedWaiters++;
                    reason = $"pacing at {Rate()} requests/s, the rate learned from the API's 429s";
                }
                else
                {
                    _inFlight++;
                    return;
                }

                BeginWait(wait, reason);
            }

            try
            {
                notify?.Invoke($"Waiting {Seconds(wait)}: {reason}.");
                await DelayAsync(wait, earlyWake, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    EndWait();
                    if (earlyWake is not null)
                    {
                        _windowWaiters--;
                    }
                    else if (slotReserved)
                    {
                        _pacedWaiters--;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Gives back the place reserved by <see cref="WaitForTurnAsync"/> and learns from the response's headers;
    /// <paramref name="observed"/> is null when no response arrived (a transport failure).
    /// </summary>
    public void Release(RateLimitInfo? observed, bool wasRateLimited = false)
    {
        lock (_gate)
        {
            _inFlight = Math.Max(0, _inFlight - 1);
            if (observed is not null)
            {
                _responses++;
                if (!wasRateLimited)
                {
                    _consecutiveRateLimits = 0;
                    _decreasesWithoutSuccess = 0;
                    _adaptive.OnAccepted(_clock.UtcNow);
                }

                Learn(observed);
            }

            if (_windowWaiters > 0)
            {
                _windowMayHaveRoom.TrySetResult(true);
                _windowMayHaveRoom = NewSignal();
            }
        }

        DeliverWarnings();
    }

    /// <summary>
    /// After a 429: holds every request until the window resets — the time the response gave, else the one the last
    /// responses gave — or for as long as Retry-After asks (only this request, when that is short and a learned rate
    /// paces the others: see <see cref="LongestOwnRetryAfter"/>). Knowing no window, it also lowers the learned rate; and
    /// knowing nothing at all, or when 429s keep coming, it holds everyone for a capped exponential backoff with jitter.
    /// Returns the hold chosen (zero: none, the learned rate alone paces the retry). A hold for this request only
    /// (<see cref="RateLimitHold.OnlyThisRequest"/>) is the caller's to wait out, with <see cref="WaitOutAsync"/>.
    /// </summary>
    public RateLimitHold OnRateLimited(RateLimitInfo observed)
    {
        try
        {
            lock (_gate)
            {
                return ChooseHoldAfter429(observed);
            }
        }
        finally
        {
            DeliverWarnings();
        }
    }

    /// <summary>Waits out a hold for one request only, counted (and shown) as waiting for the rate limit.</summary>
    public async Task WaitOutAsync(RateLimitHold hold, Action<string>? notify, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            BeginWait(hold.Wait, hold.Reason);
        }

        try
        {
            notify?.Invoke($"Waiting {Seconds(hold.Wait)}: {hold.Reason}.");
            await _clock.Delay(hold.Wait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                EndWait();
            }
        }
    }

    /// <summary>
    /// Capped exponential backoff with jitter: attempt 1 waits about <paramref name="first"/>, doubling each time,
    /// never more than <paramref name="maximum"/>; the jitter keeps parallel retries from arriving together.
    /// </summary>
    public static TimeSpan Backoff(int attempt, TimeSpan first, TimeSpan maximum, Random jitter)
    {
        var exponent = Math.Min(Math.Max(attempt, 1) - 1, 20);
        var ceiling = Math.Min(maximum.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, exponent));
        double fraction;
        lock (jitter)
        {
            fraction = 0.5 + (jitter.NextDouble() * 0.5);
        }

        return TimeSpan.FromMilliseconds(ceiling * fraction);
    }

    private RateLimitHold ChooseHoldAfter429(RateLimitInfo observed)
    {
        var now = ServerNow;
        var consecutive = ++_consecutiveRateLimits;
        if (observed.ResetAt is { } reportedReset)
        {
            WarnIfImplausible(reportedReset, now);
        }

        TimeSpan wait;
        string reason;
        var reset = observed.ResetAt ?? _resetAt;
        if (reset is { } resetAt && resetAt + ResetMargin > now)
        {
            // A window is known: it, not a learned rate, says when there is room again.
            wait = BoundResetWait(resetAt - now, out var implausible);
            reason = implausible
                ? $"the API answered 429 (rate limit exceeded) with an implausibly far reset time ({Show(resetAt)}), so trying again sooner"
                : $"the API answered 429 (rate limit exceeded); the window resets at {Show(resetAt)}";
            Block(now + wait, reason, implausible);
            _remaining = 0;
            return new RateLimitHold(wait, reason, onlyThisRequest: false);
        }

        var lowered = LowerLearnedRate(out var sentBeforeLastDecrease);
        if (observed.RetryAfterFrom(now) is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            if (retryAfter < MaximumResetWait)
            {
                wait = retryAfter;
                reason = "the API answered 429 (rate limit exceeded) and asked to retry after a pause";
                if (_adaptive.Rate is not null && retryAfter <= LongestOwnRetryAfter)
                {
                    // A short pause while a learned rate paces the others speaks for this request alone: a smooth
                    // limit (a token bucket) turned it away for want of a token, and holding everyone for a whole
                    // rounded-up second each time would make that the rate. A longer one points at a used-up window.
                    return new RateLimitHold(wait, reason, onlyThisRequest: true);
                }
            }
            else
            {
                wait = ImplausibleResetRetry;
                reason = "the API answered 429 (rate limit exceeded) and asked for an implausibly long pause, so trying again sooner";
                Warn("Retry-After", $"The API asked to retry after {Seconds(retryAfter)} (Retry-After), longer than any rate-limit window ({LongestWindow} min); the module waits {Seconds(ImplausibleResetRetry)} instead and tries again.");
            }
        }
        else if (!lowered && !sentBeforeLastDecrease)
        {
            // Nothing measured to learn a rate from (no request has succeeded yet): back off, growing while 429s keep coming.
            wait = Backoff(consecutive, FirstBackoff, MaximumBackoff, _jitter);
            reason = "the API answered 429 (rate limit exceeded) without saying when it resets, so backing off";
        }
        else if (lowered && _decreasesWithoutSuccess > 1)
        {
            // The lower rate alone did not help (a used-up fixed window, say): hold everyone as well, longer each time.
            wait = Backoff(_decreasesWithoutSuccess - 1, FirstBackoff, MaximumBackoff, _jitter);
            reason = $"the API keeps answering 429 (rate limit exceeded) without saying when it resets, so backing off and pacing at {Rate()} requests/s";
        }
        else
        {
            // The learned rate, now lower, paces the retry like every other request.
            return new RateLimitHold(TimeSpan.Zero, string.Empty, onlyThisRequest: false);
        }

        Block(now + wait, reason, forgetWindowAfterwards: false);
        return new RateLimitHold(wait, reason, onlyThisRequest: false);
    }

    /// <summary>
    /// Lowers the learned rate once per overload: a 429 for a request sent before the last decrease says nothing new
    /// (TCP reduces once per round trip for the same reason). Requests in flight at a decrease are the next to answer.
    /// </summary>
    private bool LowerLearnedRate(out bool sentBeforeLastDecrease)
    {
        sentBeforeLastDecrease = _adaptive.Rate is not null && _responses - _responsesAtDecrease <= _inFlightAtDecrease;
        if (sentBeforeLastDecrease || !_adaptive.OnThrottled(_clock.UtcNow))
        {
            return false;
        }

        _decreasesWithoutSuccess++;
        _responsesAtDecrease = _responses;
        // Requests waiting for a slot given out at the old rate will be sent too fast as well.
        _inFlightAtDecrease = _inFlight + _pacedWaiters;
        return true;
    }

    private void Learn(RateLimitInfo observed)
    {
        if (observed.Limit is { } limit)
        {
            LastLimit = limit;
        }

        if (observed.ServerTime is { } serverTime)
        {
            // A clock ahead of the server's by more than a window would make every reset look past.
            var offset = serverTime - _clock.UtcNow;
            _serverClockOffset = offset.Duration() >= SignificantSkew ? offset : TimeSpan.Zero;
        }

        if (observed.ResetAt is not { } reset)
        {
            return;
        }

        var now = ServerNow;
        WarnIfImplausible(reset, now);
        if (reset + ResetMargin <= now)
        {
            // A late response from a window that is already over says nothing about the current one.
            return;
        }

        if (reset == _resetAt)
        {
            // Responses arrive out of order; the smallest remaining count is the most recent.
            _remaining = Min(_remaining, observed.Remaining);
        }
        else
        {
            // A different live window: the limit regime changed, or a new window began. The server knows best.
            _remaining = observed.Remaining;
            _resetAt = reset;
        }

        if (WindowKnown)
        {
            _adaptive.Forget();
        }
    }

    private void WarnIfImplausible(DateTimeOffset reset, DateTimeOffset now)
    {
        if (reset - now + ResetMargin > MaximumResetWait)
        {
            Warn("X-Ratelimit-Reset", $"The API's X-Ratelimit-Reset header ({reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}, {Show(reset)}) is more than {LongestWindow} minutes away, longer than any rate-limit window; the module does not wait for it: when the limit is used up it waits {Seconds(ImplausibleResetRetry)} and tries again.");
        }
    }

    private void Warn(string kind, string message)
    {
        foreach (var watch in _warningWatches)
        {
            watch.Queue(kind, message);
        }
    }

    /// <summary>Tells the watchers outside the lock, so that a slow or re-entrant one cannot stall the pacer.</summary>
    private void DeliverWarnings()
    {
        WarningWatch[] watches;
        lock (_gate)
        {
            if (_warningWatches.Count == 0)
            {
                return;
            }

            watches = _warningWatches.ToArray();
        }

        foreach (var watch in watches)
        {
            watch.Deliver();
        }
    }

    private void Block(DateTimeOffset until, string reason, bool forgetWindowAfterwards)
    {
        if (until > _blockedUntil)
        {
            _blockedUntil = until;
            _blockReason = reason;
        }

        _forgetWindowAfterBlock |= forgetWindowAfterwards;
    }

    private async Task DelayAsync(TimeSpan wait, Task? earlyWake, CancellationToken cancellationToken)
    {
        if (earlyWake is null)
        {
            await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = _clock.Delay(wait, stopDelay.Token);
        if (await Task.WhenAny(delay, earlyWake).ConfigureAwait(false) == delay)
        {
            await delay.ConfigureAwait(false); // rethrows a cancellation
            return;
        }

        stopDelay.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TimeSpan BoundResetWait(TimeSpan untilReset, out bool implausible)
    {
        var wait = untilReset + ResetMargin;
        implausible = wait > MaximumResetWait;
        return implausible ? ImplausibleResetRetry : wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private void BeginWait(TimeSpan wait, string reason)
    {
        var now = _clock.UtcNow;
        if (_waiters++ == 0)
        {
            _waitStartedAt = now;
            _longestWait = null;
        }

        if (_longestWait is not { } longest || now + wait > longest.Until)
        {
            _longestWait = (reason, now + wait);
        }
    }

    private void EndWait()
    {
        if (--_waiters == 0)
        {
            _totalWait += _clock.UtcNow - _waitStartedAt;
            _longestWait = null;
        }
    }

    private static string LongestWindow => MaximumResetWait.TotalMinutes.ToString("0", CultureInfo.InvariantCulture);

    private string Rate() => _adaptive.Rate?.ToString("0.#", CultureInfo.InvariantCulture) ?? "full speed";

    private static int? Min(int? a, int? b) => a is { } x && b is { } y ? Math.Min(x, y) : a ?? b;

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Show(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan wait) => wait < TimeSpan.FromSeconds(1)
        ? wait.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : wait.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>One watcher of warnings; hears each kind once, in the order they arose.</summary>
    private sealed class WarningWatch(RateLimitPacer pacer, Action<string> warn) : IDisposable
    {
        private readonly HashSet<string> _told = new(StringComparer.Ordinal);
        private readonly Queue<string> _pending = new();

        /// <summary>Called under the pacer's lock.</summary>
        public void Queue(string kind, string message)
        {
            if (_told.Add(kind))
            {
                _pending.Enqueue(message);
            }
        }

        public void Deliver()
        {
            while (true)
            {
                string message;
                lock (pacer._gate)
                {
                    if (_pending.Count == 0)
                    {
                        return;
                    }

                    message = _pending.Dequeue();
                }

                warn(message);
            }
        }

        public void Dispose()
        {
            lock (pacer._gate)
            {
                pacer._warningWatches.Remove(this);
                _pending.Clear();
            }
        }
    }
}
