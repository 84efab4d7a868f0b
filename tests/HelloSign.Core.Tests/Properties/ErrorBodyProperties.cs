using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Text;
using CsCheck;
using HelloSign.Core.Errors;
using HelloSign.Core.Http;
using HelloSign.Core.RateLimiting;
using Xunit;
using Xunit.Abstractions;

namespace HelloSign.Core.Tests.Properties;

/// <summary>An error response: its status, the start of its body, and how far the body goes on after that.</summary>
public sealed record ErrorBodyCase(int Status, byte[] Head, int PadLength, byte Pad)
{
    public int Length => Head.Length + PadLength;

    public override string ToString() =>
        $"HTTP {Status}, {Length:#,0} bytes: {Property.Describe(Head)}{(PadLength > 0 ? $" then {PadLength:#,0} x 0x{Pad:x2}" : string.Empty)}";
}

public class ErrorBodyProperties(ITestOutputHelper output)
{
    private const int Bound = BoundedBodyReader.MaximumErrorBodyBytes;
    private const int LargestBody = 8 * 1024 * 1024;

    private static readonly Gen<int> Status = Gen.Frequency(
        (4, Gen.OneOf(400, 401, 402, 403, 404, 409, 410, 418, 422, 429, 500, 502, 503, 504, 301, 302, 307)),
        (2, Gen.Int[100, 599]),
        (1, Gen.Int));

    private static readonly Gen<string> ErrorName = Gen.Frequency(
        (2, Gen.OneOf("bad_request", "unauthorized", "not_found", "exceeded_rate", "signature_request_cancel_failed", "signature_request_remove_failed", "")),
        (1, Generators.Text(40)));

    private static readonly Gen<string> ApiErrorJson =
        Gen.Select(ErrorName.Null(0.2), Generators.Text(120).Null(0.2), Gen.Bool, Gen.Bool)
        .Select((name, message, escapeAll, trailingComma) =>
        {
            var fields = new[] { ("error_msg", message), ("error_path", "cc_email_addresses[0]"), ("error_name", name) }
                .Where(field => field.Item2 is not null)
                .Select(field => $"\"{field.Item1}\": {Generators.JsonString(field.Item2!, escapeAll)}");
            return "{\n  \"error\": {\n    " + string.Join(",\n    ", fields) + (trailingComma ? "," : string.Empty) + "\n  }\n}";
        });

    private static readonly string[] Specials =
    {
        "", " ", "\r\n", "\uFEFF", "null", "{}", "[]", "\"error\"", "{\"error\":\"x\"}", "{\"error\":null}", "{\"error\":[]}",
        "{\"error\":{}}", "{\"error\":{\"error_msg\":123}}", "{\"error\":{\"error_name\":\"x\"}}", "{\"error\":{\"error_msg\":\"\"}}",
        "{\"error\":{\"error_msg\":\"a\",\"error_msg\":\"b\"}}", "{\"ERROR\":{\"error_msg\":\"a\"}}", "{\"error\":{\"error_msg\":\"a\"}} trailing",
    };

    private static readonly Gen<string> Html = Gen.Select(Status, Generators.Text(200))
        .Select((status, text) => $"<!DOCTYPE html><html><head><title>{status} Bad Gateway</title></head><body><h1>{text}</h1></body></html>");

    private static readonly Gen<string> DeepNesting = Gen.Select(Gen.Int[1, 5_000], Gen.Int[0, 2])
        .Select((depth, shape) => shape switch
        {
            0 => new string('[', depth),
            1 => Generators.Repeat("{\"error\":", depth * 9) + "{\"error_msg\":\"deep\"}" + new string('}', depth),
            _ => "{\"error\":{\"error_msg\":" + Generators.Repeat("[", depth) + "\"x\"" + Generators.Repeat("]", depth) + "}}",
        });

    private static readonly Gen<byte[]> Utf8 = Gen.OneOf(
        ApiErrorJson, Html, DeepNesting, Gen.OneOf(Specials), Gen.OneOf(SpecExamples()))
        .Select(text => Encoding.UTF8.GetBytes(text));

    /// <summary>Random bytes, API errors (whole or cut short), HTML, deep nesting, odd JSON, the spec's examples.</summary>
    private static readonly Gen<byte[]> Head = Gen.Frequency(
        (2, Gen.Byte.Array[0, 3_000]),
        (4, Utf8),
        (2, Gen.Select(Utf8, Gen.Double.Unit).Select((bytes, fraction) => bytes.Take((int)(bytes.Length * fraction)).ToArray())),
        (1, Utf8.Select(bytes => new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray())));

    // Invalid UTF-8 (0xFF, a lone lead byte 0xE2) is weighted down only because decoding 64 KB of it takes ~5 ms.
    private static readonly Gen<byte> Pad = Gen.Frequency<byte>((4, (byte)' '), (3, (byte)'a'), (1, (byte)'{'), (1, 0), (1, 0xFF), (1, 0xE2));

    /// <summary>Bodies short, just under, at and just over the bound, and several MB long.</summary>
    private static Gen<ErrorBodyCase> Cases(Gen<int> padding) =>
        Gen.Select(Status, Head, padding, Pad).Select((status, head, pad, fill) =>
            new ErrorBodyCase(status, head, pad >= 0 ? pad : Math.Max(0, Bound + pad + 3 - head.Length), fill));

    private static readonly Gen<ErrorBodyCase> AnyBody = Cases(Gen.Frequency(
        (6, Gen.Const(0)),
        (2, Gen.Int[1, 70_000]),
        (1, Gen.Int[-5, -1]), // total length Bound-2 .. Bound+2
        (1, Gen.Int[1_000_000, LargestBody])));

    private static readonly Gen<ErrorBodyCase> SeveralMegabytes = Cases(Gen.Int[2_000_000, LargestBody]);

    // The bodies are written into a buffer rather than allocated, megabytes each; one per thread, since CsCheck
    // shrinks a failure on several threads at once.
    private readonly ThreadLocal<byte[]> _buffer = new(() => new byte[LargestBody + 1024 * 1024]);

    [Fact]
    public void Any_error_body_gives_a_clear_error_that_carries_the_status() => CheckBodies(AnyBody, 3_000);

    /// <summary>Outcomes.ErrorBody reads through a MemoryStream and fails if its position passed the bound.</summary>
    [Fact]
    public void Reading_a_body_of_several_MB_stops_at_the_bound() => CheckBodies(SeveralMegabytes, 1_000);

    [Fact]
    public void A_well_formed_API_error_keeps_its_name_and_message()
    {
        var printable = Gen.String[Gen.Char, 1, 60];
        Property.Check(Gen.Select(Gen.Int[400, 599], printable, printable), error =>
        {
            var (status, name, message) = error;
            var json = "{\"error\":{\"error_msg\":" + Generators.JsonString(message, true) + ",\"error_name\":" + Generators.JsonString(name, false) + "}}";
            var failure = Outcomes.ErrorBody(status, Encoding.UTF8.GetBytes(json));

            Assert.Equal(name.Trim(), failure.ErrorName);
            Assert.Equal(message.Trim() is { Length: > 0 } shown ? shown : "The API gave no message.", failure.Message);
            Assert.Equal(ApiErrorMapper.Classify(status, failure.ErrorName), failure.Kind);
        }, output, 2_000);
    }

    private void CheckBodies(Gen<ErrorBodyCase> bodies, int cases, [CallerMemberName] string name = "")
    {
        Property.Check(bodies, body => Outcomes.ErrorBody(body.Status, Write(body)), output, cases, print: Show, name: name);
    }

    private ArraySegment<byte> Write(ErrorBodyCase body)
    {
        var buffer = _buffer.Value!;
        Array.Copy(body.Head, buffer, body.Head.Length);
        // Only what a reader could reach is filled: a reader that went further would show in the stream's position.
        Array.Fill(buffer, body.Pad, body.Head.Length, Math.Min(body.PadLength, Bound + 2));
        return new ArraySegment<byte>(buffer, 0, body.Length);
    }

    private static string Show(ErrorBodyCase body) => body.ToString();

    private static string[] SpecExamples() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "SpecExamples"), "Error*.json").Select(File.ReadAllText).ToArray();
}
