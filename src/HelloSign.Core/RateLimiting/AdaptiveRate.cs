using System;
using System.Collections.Generic;

namespace HelloSign.Core.RateLimiting;

/// <summary>
/// A client-side send rate learned from 429s, for when the responses say nothing usable about the limit. After the AWS
/// SDKs' "adaptive" retry mode: full speed until the first 429; then the rate drops to <see cref="Beta"/> of what the
/// server was accepting and climbs back along a CUBIC curve — flat near that rate for a while (<see cref="RecoveryTimeAt"/>), then
/// probing above it ever faster until the next 429. Two changes from that design: the curve is relative to the rate
/// and its time scales with it (so it probes alike, per request, at 2/s and at 40/s), and after the first 429 the rate doubles every second instead (like TCP's
/// slow start), because the first measurement is the least reliable: a cold client sends in bunches, and a bunch meets
/// a small server burst long before the sustained rate is reached. Requests get evenly spaced send slots at the rate.
/// Not thread-safe: <see cref="RateLimitPacer"/> holds its lock around every call.
/// </summary>
internal sealed class AdaptiveRate
{
    /// <summary>The multiplicative decrease on a 429.</summary>
    public const double Beta = 0.9;

    /// <summary>
    /// CUBIC's scaling constant, relative: the rate is r·(1 + Scale·(t/u − K)³), with t the time since the decrease and
    /// u the time <see cref="RequestsPerTimeUnit"/> take at rate r (at least a second).
    /// </summary>
    public const double Scale = 0.1;

    /// <summary>
    /// Sets the curve's time unit, so that a slow limit is probed as gently, per request, as a fast one: at 40/s the
    /// unit is a second, at 2/s twenty.
    /// </summary>
    public const double RequestsPerTimeUnit = 40;

    /// <summary>K, when the curve regains the rate before the decrease, in time units: the cube root of (1 − β) / Scale.</summary>
    private static readonly double RecoveryUnits = Math.Pow((1 - Beta) / Scale, 1.0 / 3);

    /// <summary>The rate never drops below this (requests/s), so a run always moves.</summary>
    public const double MinimumRate = 0.5;

    /// <summary>Successes in this trailing span give the rate the server is accepting.</summary>
    public static readonly TimeSpan MeasuringSpan = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A shorter span than this is too short to divide by: the burst a server's bucket lets through after a pause (the
    /// client waited out a Retry-After, say) would look like a rate many times the real one, and be learned as such.
    /// </summary>
    private static readonly TimeSpan ShortestMeasurement = TimeSpan.FromMilliseconds(250);

    private readonly Queue<DateTimeOffset> _successes = new();
    private double? _rate;
    private double _rateBeforeDecrease;
    private DateTimeOffset _decreasedAt;
    private bool _slowStart;
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    /// <summary>The learned rate in requests/s; null while no 429 has asked for one (full speed).</summary>
    public double? Rate => _rate;

    /// <summary>
    /// Reserves the next send slot at the learned rate and returns how long to wait for it (zero: send now).
    /// After a pause one slot of credit is kept, so a timer that wakes late does not lower the rate.
    /// </summary>
    public TimeSpan Reserve(DateTimeOffset now)
    {
        if (_rate is not { } rate)
        {
            return TimeSpan.Zero;
        }

        var interval = TimeSpan.FromSeconds(1 / rate);
        var earliest = now - interval;
        var slot = _nextSlot > earliest ? _nextSlot : earliest;
        _nextSlot = slot + interval;
        return slot > now ? slot - now : TimeSpan.Zero;
    }

    /// <summary>A response that was not a 429: measure it, and let the rate climb along the curve.</summary>
    public void OnAccepted(DateTimeOffset now)
    {
        _successes.Enqueue(now);
        DropOldSuccesses(now);
        if (_rate is null)
        {
            return;
        }

        var seconds = (now - _decreasedAt).TotalSeconds;
        var climbed = _slowStart
            ? _rateBeforeDecrease * Beta * Math.Pow(2, seconds)
            : _rateBeforeDecrease * (1 + (Scale * Math.Pow((seconds / TimeUnit(_rateBeforeDecrease).TotalSeconds) - RecoveryUnits, 3)));
        // Never more than twice what the server has been seen to accept, so that a run held back by something else
        // (its own -ThrottleLimit, latency, a pause) does not build up a rate it has never tried. Counted over the
        // whole trailing span, so that a burst after a pause does not count as a rate.
        var ceiling = 2 * Math.Max(_successes.Count / MeasuringSpan.TotalSeconds, _rateBeforeDecrease);
        _rate = Math.Max(MinimumRate, Math.Min(climbed, ceiling));
    }

    /// <summary>When the curve from <paramref name="rate"/> regains it after a decrease.</summary>
    public static TimeSpan RecoveryTimeAt(double rate) => TimeSpan.FromTicks((long)(TimeUnit(rate).Ticks * RecoveryUnits));

    private static TimeSpan TimeUnit(double rate) => TimeSpan.FromSeconds(Math.Max(1, RequestsPerTimeUnit / rate));

    /// <summary>
    /// A 429 that said nothing usable: the rate drops to <see cref="Beta"/> of what the server was accepting (or of the
    /// current rate, if lower). Returns false when there is nothing to base a rate on yet (no success measured).
    /// </summary>
    public bool OnThrottled(DateTimeOffset now)
    {
        var measured = MeasuredRate(now);
        double? basis = measured > 0 ? Math.Min(_rate ?? measured, measured) : _rate;
        if (basis is not { } accepted)
        {
            return false;
        }

        _slowStart = _rate is null;
        _rateBeforeDecrease = accepted;
        var rate = Math.Max(MinimumRate, accepted * Beta);
        _rate = rate;
        _decreasedAt = now;
        // Give the server's bucket a moment: the next slot no sooner than one interval at the new rate.
        var gap = now + TimeSpan.FromSeconds(1 / rate);
        _nextSlot = _nextSlot > gap ? _nextSlot : gap;
        return true;
    }

    /// <summary>Responses with a usable window take over: what was learned here no longer applies.</summary>
    public void Forget()
    {
        _rate = null;
        _successes.Clear();
        _nextSlot = DateTimeOffset.MinValue;
    }

    /// <summary>
    /// Successes per second over the trailing <see cref="MeasuringSpan"/>, from the oldest success in it: a run that
    /// began (or resumed) a moment ago is measured over that moment, not over a second it was idle for.
    /// </summary>
    private double MeasuredRate(DateTimeOffset now)
    {
        DropOldSuccesses(now);
        if (_successes.Count == 0)
        {
            return 0;
        }

        var span = now - _successes.Peek();
        return _successes.Count / Math.Max(span.TotalSeconds, ShortestMeasurement.TotalSeconds);
    }

    private void DropOldSuccesses(DateTimeOffset now)
    {
        while (_successes.Count > 0 && _successes.Peek() <= now - MeasuringSpan)
        {
            _successes.Dequeue();
        }
    }
}
