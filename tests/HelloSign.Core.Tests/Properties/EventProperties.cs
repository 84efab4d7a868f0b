using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using CsCheck;
using HelloSign.Core.Events;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace HelloSign.Core.Tests.Properties;

public class EventProperties(ITestOutputHelper output)
{
    private const int Cases = 3_000;

    private static readonly Gen<string> EventType = Gen.Frequency(
        (3, Gen.OneOf("signature_request_sent", "signature_request_signed", "signature_request_canceled", "callback_test", "account_confirmed")),
        (1, Generators.Text(30)));

    private static readonly Gen<string> EventTime = Gen.Frequency(
        (3, Gen.Long[0, 4_000_000_000].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("", "-1", "1.5", "99999999999999999999", "253402300800", " 1669926463")),
        (1, Generators.Text(20)));

    private static readonly string[] Fields =
    {
        "event_time", "event_type", "event_hash", "event_metadata", "reported_for_account_id", "reported_for_app_id", "related_signature_id",
        "event_message", "signature_request_id", "title", "metadata", "created_at", "expires_at", "is_complete", "signatures", "signed_at", "order",
        "cc_email_addresses", "details_url",
    };

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (2, Gen.OneOf("true", "false", "null", "0", "-0", "1e400", "-1e400", "123456789012345678901234567890", "0.1", "1669926463", "NaN", "\"\"")),
        (2, Gen.Select(Generators.Text(20), Gen.Bool).Select(Generators.JsonString)),
        (1, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))));

    /// <summary>Any JSON value (and a few non-JSON tokens), nested a few levels or, now and then, past the reader's depth.</summary>
    private static readonly Gen<string> JsonValue = Gen.Recursive<string>((depth, self) => depth >= 3
        ? Gen.Frequency((9, Scalar), (1, Gen.Int[60, 70].Select(n => new string('[', n) + new string(']', n))))
        : Gen.Frequency(
            (4, Scalar),
            (1, self.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (1, JsonObject(self))));

    private static Gen<string> JsonObject(Gen<string> values) =>
        Gen.Select(Gen.Frequency((3, Gen.OneOf(Fields)), (1, Generators.Text(8))), values).Array[0, 5]
            .Select(fields => "{" + string.Join(",", fields.Select(field => Generators.JsonString(field.Item1, false) + ":" + field.Item2)) + "}");

    private static readonly Gen<string> Hash = Gen.Frequency(
        (3, Gen.String[Gen.Char["0123456789abcdef"], 64, 64]),
        (1, Generators.Text(70)));

    /// <summary>An event as HelloSign sends it, every part of it odd now and then.</summary>
    private static readonly Gen<string> EventJson =
        Gen.Select(EventTime, EventType, Hash.Null(0.2), JsonValue, JsonValue, Gen.Bool)
        .Select((time, type, hash, metadata, request, timeAsNumber) =>
            "{\"event\":{\"event_time\":" + (timeAsNumber ? time : Generators.JsonString(time, false)) +
            ",\"event_type\":" + Generators.JsonString(type, false) +
            (hash is null ? string.Empty : ",\"event_hash\":" + Generators.JsonString(hash, false)) +
            ",\"event_metadata\":" + metadata + "},\"signature_request\":" + request + "}");

    private static readonly Gen<string> Body = Gen.Select(
            Gen.Frequency((6, EventJson), (1, JsonValue), (1, Gen.OneOf(SpecEvents())), (1, Generators.Text(200))),
            Gen.Int[0, 7],
            Gen.Double.Unit,
            Generators.Text(6))
        .Select(Wrap);

    [Fact]
    public void Reading_never_throws_and_gives_an_event_or_a_reason()
    {
        var read = 0;
        var cases = Property.Check(Body, body =>
        {
            if (Outcomes.Event(body, Outcomes.EventKey) is not null) Interlocked.Increment(ref read);
        }, output, Cases);

        Assert.True(read > cases / 5, $"only {read} of {cases} bodies read as events; the generator no longer reaches past the envelope");
    }

    [Fact]
    public void Verifying_never_throws_and_matches_only_the_right_hash()
    {
        Property.Check(Gen.Select(Gen.Byte.Array[0, 100], Generators.Text(40), Generators.Text(40), Generators.Text(70).Null(0.1)),
            sample => Outcomes.Hash(sample.Item1, sample.Item2, sample.Item3, sample.Item4), output, Cases);
    }

    [Fact]
    public void Any_event_with_a_wrong_hash_fails_verification() => WrongHashesFail(EventHash.Matches, output);

    [Fact]
    public void The_property_catches_a_verifier_that_compares_only_a_prefix()
    {
        // Accepts the first eight digits or more of the right hash.
        static bool Careless(byte[] key, string time, string type, string? given) =>
            given?.Trim() is { Length: >= 8 } start && EventHash.Compute(key, time, type).StartsWith(start.ToLowerInvariant(), StringComparison.Ordinal);

        var failure = Assert.Throws<XunitException>(() => WrongHashesFail(Careless, output, shrinkSeconds: 0));
        output.WriteLine(failure.Message);
    }

    /// <summary>The real hash altered as a forger or a broken proxy would: one digit, one digit fewer or more, another key, time or type.</summary>
    private static readonly Gen<(byte[] Key, string Time, string Type, string Wrong)> Forgery =
        Gen.Select(Gen.Byte.Array[1, 80], EventTime, EventType, Gen.Int[0, 7], Gen.Int[0, 63], Gen.Char[Generators.HexDigits + "０ｆ \0g"])
        .Select((key, time, type, how, at, c) =>
        {
            var right = EventHash.Compute(key, time, type);
            var wrong = how switch
            {
                0 => right.Substring(0, at) + c + right.Substring(at + 1),
                1 => right.Remove(at, 1),
                2 => right.Insert(at, c.ToString()),
                3 => EventHash.Compute(key.Concat(new byte[] { 0 }).ToArray(), time, type),
                4 => EventHash.Compute(key, time + "0", type),
                5 => EventHash.Compute(key, time, type + " "),
                6 => right.Substring(0, at),
                _ => new string(right.Reverse().ToArray()),
            };
            return (key, time, type, wrong);
        });

    private static void WrongHashesFail(Func<byte[], string, string, string?, bool> matches, ITestOutputHelper output, int? shrinkSeconds = null)
    {
        int wrong = 0, read = 0;
        var cases = Property.Check(Forgery, sample =>
        {
            var (key, time, type, given) = sample;
            if (given.Trim().ToLowerInvariant() == EventHash.Compute(key, time, type))
            {
                return; // the alteration changed nothing (a digit replaced by itself)
            }

            Interlocked.Increment(ref wrong);
            Assert.False(matches(key, time, type, given), $"the hash {Property.Literal(given)} was accepted");

            // And the same through the reader, as Convert-FromHelloSignEvent verifies a callback.
            var json = "{\"event\":{\"event_time\":" + Generators.JsonString(time, false) + ",\"event_type\":" + Generators.JsonString(type, false) +
                       ",\"event_hash\":" + Generators.JsonString(given, false) + "}}";
            var (callback, _) = CallbackEventReader.Read(json);
            if (callback is null) return;
            Interlocked.Increment(ref read);
            Assert.Equal((time, type, given), (callback.EventTimeText, callback.EventType, callback.EventHash));
            Assert.False(matches(key, callback.EventTimeText, callback.EventType, callback.EventHash), $"the event with hash {Property.Literal(given)} verified");
        }, output, Cases, shrinkSeconds: shrinkSeconds, name: nameof(Any_event_with_a_wrong_hash_fails_verification));

        Assert.True(wrong > cases * 4 / 5 && read > cases / 2, $"{wrong} of {cases} hashes were wrong, {read} events read");
    }

    private static string Wrap(string json, int how, double cut, string noise) => how switch
    {
        0 or 1 or 2 => json,
        3 => "--Xy" + noise.Length + "\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n" + json + "\r\n--Xy" + noise.Length + "--\r\n",
        4 => "--" + noise + "\nContent-Disposition: form-data; name=json\n\n" + json + "\n--" + noise + "--",
        5 => "event=1&json=" + Uri.EscapeDataString(new string(json.Select(c => char.IsSurrogate(c) ? '?' : c).ToArray())).Replace("%20", "+") + "&x=" + noise,
        6 => json.Substring(0, (int)(json.Length * cut)),
        _ => noise + json,
    };

    private static string[] SpecEvents() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "SpecExamples"), "EventCallback*.json").Select(File.ReadAllText).ToArray();
}
