using System;
using System.Collections.Generic;

namespace HelloSign.Core.RateLimiting;

/// <summary>
/// A client-side send rate learned from 429s, for when the responses say nothing usable about the limit. The design is
/// the AWS SDKs' "adaptive" retry mode: full speed until the first 429; then the rate drops to <see cref="Beta"/> of what
/// the server was accepting and climbs back along a CUBIC curve, regaining that rate after K seconds and probing above
/// it afterwards, until the next 429. Requests are given evenly spaced send slots at the current rate.
/// Not thread-safe: <see cref="RateLimitPacer"/> holds its lock around every call.
/// </summary>
internal sealed class AdaptiveRate
{
    /// <summary>The multiplicative decrease on a 429.</summary>
    public const double Beta = 0.7;

    /// <summary>CUBIC's scaling constant C (requests/s per s³): how steeply the rate recovers.</summary>
    public const double Scale = 0.4;

    /// <summary>The rate never drops below this (requests/s), so a run always moves.</summary>
    public const double MinimumRate = 0.5;

    /// <summary>Successes in this trailing span give the rate the server is accepting.</summary>
    public static readonly TimeSpan MeasuringSpan = TimeSpan.FromSeconds(1);

    /// <summary>A shorter span than this is too short to divide by: a burst in it would look like thousands a second.</summary>
    private static readonly TimeSpan ShortestMeasurement = TimeSpan.FromMilliseconds(50);

    private readonly Queue<DateTimeOffset> _successes = new();
    private DateTimeOffset? _firstSent;
    private double? _rate;
    private double _rateBeforeDecrease;
    private DateTimeOffset _decreasedAt;
    private double _secondsToRecover;
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    /// <summary>The learned rate in requests/s; null while no 429 has asked for one (full speed).</summary>
    public double? Rate => _rate;

    /// <summary>
    /// Reserves the next send slot at the learned rate and returns how long to wait for it (zero: send now).
    /// After a pause one slot of credit is kept, so a timer that wakes late does not lower the rate.
    /// </summary>
    public TimeSpan Reserve(DateTimeOffset now)
    {
        _firstSent ??= now;
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
        var measured = MeasuredRate(now);
        if (_rate is null)
        {
            return;
        }

        var sinceDecrease = (now - _decreasedAt).TotalSeconds;
        var cubic = (Scale * Math.Pow(sinceDecrease - _secondsToRecover, 3)) + _rateBeforeDecrease;
        // Never more than twice what the server has been seen to accept, so that a run held back by something else
        // (its own -ThrottleLimit, latency) does not build up a rate it has never tried.
        var ceiling = 2 * Math.Max(measured, _rateBeforeDecrease);
        _rate = Math.Max(MinimumRate, Math.Min(cubic, ceiling));
    }

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

        _rateBeforeDecrease = accepted;
        _rate = Math.Max(MinimumRate, accepted * Beta);
        _decreasedAt = now;
        // K of the CUBIC curve: the time it takes to climb back to the rate before the decrease.
        _secondsToRecover = Math.Pow(accepted * (1 - Beta) / Scale, 1.0 / 3);
        return true;
    }

    /// <summary>Responses with a usable window take over: what was learned here no longer applies.</summary>
    public void Forget()
    {
        _rate = null;
        _successes.Clear();
        _firstSent = null;
        _nextSlot = DateTimeOffset.MinValue;
    }

    /// <summary>Successes per second over the trailing <see cref="MeasuringSpan"/> (or since the first request, if later); drops older ones.</summary>
    private double MeasuredRate(DateTimeOffset now)
    {
        var from = now - MeasuringSpan;
        while (_successes.Count > 0 && _successes.Peek() <= from)
        {
            _successes.Dequeue();
        }

        if (_firstSent is { } first && first > from)
        {
            from = first;
        }

        var span = now - from;
        return _successes.Count / Math.Max(span.TotalSeconds, ShortestMeasurement.TotalSeconds);
    }
}
