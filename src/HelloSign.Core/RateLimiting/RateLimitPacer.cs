using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.RateLimiting;

/// <summary>
/// One rate-limit budget per connection, shared by every request made through it (including from parallel runspaces).
/// It lets requests go while the last response said there is room, holds them until the window resets when
/// there is none, and holds everyone after a 429 — so a long run goes at close to the allowance without bursts of 429s.
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

    /// <summary>Backoff bounds after a 429 that said nothing about when to come back.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(60);

    private readonly object _gate = new();
    private readonly Clock _clock;
    private readonly Random _jitter;
    private int? _remaining;
    private DateTimeOffset? _resetAt;
    private int _inFlight;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;
    private string _blockReason = string.Empty;
    private bool _forgetWindowAfterBlock;
    private int _consecutiveRateLimits;
    private TimeSpan _serverClockOffset;
    private int _waiters;
    private DateTimeOffset _waitStartedAt;
    private TimeSpan _totalWait;

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

    /// <summary>Now on the server's clock, to which reset times belong (ours, corrected by the skew the Date header shows).</summary>
    private DateTimeOffset ServerNow => _clock.UtcNow + _serverClockOffset;

    /// <summary>The last limit the API reported, for display.</summary>
    public int? LastLimit { get; private set; }

    /// <summary>
    /// Waits until a request may be sent and reserves a place for it; every call must be matched by <see cref="Release"/>.
    /// <paramref name="notify"/> hears about each wait (how long and why) before it starts.
    /// </summary>
    public async Task WaitForTurnAsync(Action<string>? notify, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            string reason;
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
                    reason = implausible
                        ? $"the rate limit is used up and the API's reset time ({Show(reset)}) is implausibly far away, so trying again sooner"
                        : $"the rate limit is used up until {Show(reset)}";
                    Block(now + wait, reason, implausible);
                }
                else
                {
                    _inFlight++;
                    return;
                }

                BeginWait(_clock.UtcNow);
            }

            try
            {
                notify?.Invoke($"Waiting {Seconds(wait)}: {reason}.");
                await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    EndWait();
                }
            }
        }
    }

    /// <summary>Gives back the place reserved by <see cref="WaitForTurnAsync"/> and learns from the response's headers.</summary>
    public void Release(RateLimitInfo observed, bool wasRateLimited = false)
    {
        lock (_gate)
        {
            _inFlight = Math.Max(0, _inFlight - 1);
            if (!wasRateLimited)
            {
                _consecutiveRateLimits = 0;
            }

            Learn(observed);
        }
    }

    /// <summary>
    /// After a 429: holds every request until the window resets — the time the response gave, else the one
    /// the last responses gave, else Retry-After — or, knowing none, for a capped exponential backoff with jitter
    /// that grows while 429s keep coming. Returns the wait chosen.
    /// </summary>
    public TimeSpan OnRateLimited(RateLimitInfo observed)
    {
        lock (_gate)
        {
            var now = ServerNow;
            var consecutive = ++_consecutiveRateLimits;
            var reset = observed.ResetAt ?? _resetAt;
            TimeSpan wait;
            var implausible = false;
            string reason;
            if (reset is { } resetAt && resetAt + ResetMargin > now)
            {
                wait = BoundResetWait(resetAt - now, out implausible);
                reason = implausible
                    ? $"the API answered 429 (rate limit exceeded) with an implausibly far reset time ({Show(resetAt)}), so trying again sooner"
                    : $"the API answered 429 (rate limit exceeded); the window resets at {Show(resetAt)}";
            }
            else if (observed.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
            {
                wait = retryAfter < MaximumResetWait ? retryAfter : ImplausibleResetRetry;
                reason = "the API answered 429 (rate limit exceeded) and asked to retry after a pause";
            }
            else
            {
                wait = Backoff(consecutive, FirstBackoff, MaximumBackoff, _jitter);
                reason = "the API answered 429 (rate limit exceeded) without saying when it resets, so backing off";
            }

            Block(now + wait, reason, implausible);
            _remaining = 0;
            return wait;
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

        if (observed.Remaining is not { } remaining || observed.ResetAt is not { } reset)
        {
            return;
        }

        if (reset + ResetMargin <= ServerNow)
        {
            // A late response from a window that is already over says nothing about the current one.
            return;
        }

        if (reset == _resetAt)
        {
            // Responses arrive out of order; the smallest remaining count is the most recent.
            _remaining = Math.Min(_remaining ?? remaining, remaining);
        }
        else
        {
            // A different live window: the limit regime changed, or a new window began. The server knows best.
            _remaining = remaining;
            _resetAt = reset;
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

    private static TimeSpan BoundResetWait(TimeSpan untilReset, out bool implausible)
    {
        var wait = untilReset + ResetMargin;
        implausible = wait > MaximumResetWait;
        return implausible ? ImplausibleResetRetry : wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private void BeginWait(DateTimeOffset now)
    {
        if (_waiters++ == 0)
        {
            _waitStartedAt = now;
        }
    }

    private void EndWait()
    {
        if (--_waiters == 0)
        {
            _totalWait += _clock.UtcNow - _waitStartedAt;
        }
    }

    private static string Show(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan wait) => wait.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
