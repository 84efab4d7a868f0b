using System;
using System.Linq;
using System.Text.RegularExpressions;
using CsCheck;
using HelloSign.Core.Ids;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace HelloSign.Core.Tests.Properties;

public class IdNormalizationProperties(ITestOutputHelper output)
{
    private const int Cases = 4000;
    private static readonly Regex PlainHex = new("^[0-9a-f]{20,64}$", RegexOptions.CultureInvariant);

    private static readonly Gen<string> Decoration = Gen.Frequency(
        (3, Gen.String[Gen.Char[" \t\r\n\uFEFF\u200B\0\"'"], 0, 3]),
        (1, Generators.Text(3)));

    private static readonly Gen<string> PlainId =
        Gen.Select(Decoration, Generators.HexId, Decoration).Select((before, id, after) => before + id + after);

    private static readonly string[] HelloSignHosts = { "app.hellosign.com", "hellosign.com", "sign.dropbox.com", "app.dropboxsign.com", "www.hellofax.com", "APP.HelloSign.COM", "evil.com@app.hellosign.com", "app.hellosign.com:443" };
    private static readonly string[] ForeignHosts = { "evil.com", "hellosign.com.evil.com", "evilhellosign.com", "hellosign.com@evil.com", "app.hellosign.co", "localhost", "127.0.0.1", "[::1]", "" };

    private static readonly Gen<string> Segment = Gen.OneOf(
        Gen.OneOf("sign", "home", "manage", "signature_request", "..", ".", "%2e%2e", "%2F", "..%2F", ""),
        Generators.HexId,
        Generators.PercentEncoded(Generators.HexId),
        Generators.HexId.Select(id => id + "/../" + id.Substring(1)),
        Generators.Text(12));

    private static readonly Gen<string> QueryPair =
        Gen.Select(
            Gen.OneOf("guid", "GUID", "signature_request_id", "foo", "guid[]", "", "guid%3D"),
            Gen.OneOf(Generators.HexId, Generators.PercentEncoded(Generators.HexId), Generators.HexId.Select(id => id + "%00"), Generators.HexId.Select(id => "../" + id), Generators.Text(20)))
        .Select((name, value) => name + "=" + value);

    private static readonly Gen<string> Query = Gen.Frequency(
        (1, Gen.Const(string.Empty)),
        (3, QueryPair.Array[1, 3].Select(pairs => "?" + string.Join("&", pairs))));

    private static readonly Gen<string> Fragment = Gen.Frequency((3, Gen.Const(string.Empty)), (1, Generators.Text(10).Select(text => "#" + text)));

    private static Gen<string> Link(string[] hosts) =>
        Gen.Select(
            Gen.OneOf("https://", "http://", "HTTPS://", "ftp://", "https:/", "//", ""),
            Gen.OneOf(hosts),
            Segment.Array[0, 4],
            Query,
            Fragment,
            Decoration)
        .Select((scheme, host, segments, query, fragment, space) => space + scheme + host + "/" + string.Join("/", segments) + query + fragment + space);

    private static readonly Gen<string> LongLine = Gen.Select(Gen.OneOf(Generators.HexId, Generators.Text(8)), Gen.Int[3_990, 4_200], Gen.Int[0, 9])
        .Select((unit, length, scale) => Generators.Repeat(unit, scale == 0 ? length * 25 : length));

    /// <summary>What users give: ids, ids in decorations, HelloSign and other links, noise, very long lines, null.</summary>
    internal static readonly Gen<string?> Input = Gen.Frequency(
        (4, PlainId),
        (4, Link(HelloSignHosts)),
        (1, Link(ForeignHosts)),
        (2, Generators.Text(80)),
        (1, LongLine))
        .Null(0.01);

    [Fact]
    public void Parsing_never_throws_and_gives_an_id_a_reason_or_blank()
    {
        Property.Check(Input, input => Outcomes.Id(input), output, Cases);
    }

    [Fact]
    public void A_produced_id_is_plain_hex() => ProducedIdsArePlainHex(SignatureRequestIdParser.Parse, output);

    [Fact]
    public void Normalizing_a_produced_id_again_gives_the_same_id()
    {
        var valid = 0;
        var cases = Property.Check(Input, input =>
        {
            if (SignatureRequestIdParser.Parse(input) is { Status: IdParseStatus.Valid, Id: { } id })
            {
                valid++;
                foreach (var again in new[] { id, id.ToUpperInvariant(), " \uFEFF\"" + id + "\"\r\n", "https://app.hellosign.com/home/manage?guid=" + id })
                {
                    var result = SignatureRequestIdParser.Parse(again);
                    Assert.True(result.Status == IdParseStatus.Valid && result.Id == id, $"{Property.Literal(again)} gave {result.Status} {result.Id}, not {id}");
                }
            }
        }, output, Cases);
        AssertNotVacuous(valid, cases);
    }

    [Fact]
    public void Links_to_other_hosts_never_give_an_id()
    {
        Property.Check(Link(ForeignHosts), link =>
        {
            var result = SignatureRequestIdParser.Parse(link);
            Assert.True(result.Status != IdParseStatus.Valid, $"took {result.Id} from a link to another host");
        }, output, Cases / 4);
    }

    [Fact]
    public void The_property_catches_a_parser_that_skips_the_hex_check()
    {
        // A parser that checks the length of the last segment but not its characters.
        static IdParseResult Careless(string? input)
        {
            var text = input?.Trim() ?? string.Empty;
            var last = text.Split('?')[0].TrimEnd('/').Split('/').Last();
            var candidate = text.Contains("guid=") ? Uri.UnescapeDataString(text.Substring(text.IndexOf("guid=", StringComparison.Ordinal) + 5)) : last;
            return candidate.Length is >= 20 and <= 64 ? IdParseResult.Valid(candidate.ToLowerInvariant()) : IdParseResult.Invalid("no");
        }

        var failure = Assert.Throws<XunitException>(() => ProducedIdsArePlainHex(Careless, output, shrinkSeconds: 1));
        output.WriteLine(failure.Message);
        Assert.Contains("Shrunk by CsCheck", failure.Message);

        // The same seed finds the same first failing case.
        var again = Assert.Throws<XunitException>(() => ProducedIdsArePlainHex(Careless, output, shrinkSeconds: 0));
        Assert.Equal(FirstLine(failure.Message), FirstLine(again.Message));
    }

    private static void ProducedIdsArePlainHex(Func<string?, IdParseResult> parse, ITestOutputHelper output, int? shrinkSeconds = null)
    {
        var valid = 0;
        var cases = Property.Check(Input, input =>
        {
            var result = parse(input);
            if (result.Status == IdParseStatus.Valid)
            {
                valid++;
                Assert.True(result.Id is not null && PlainHex.IsMatch(result.Id), $"produced id {Property.Literal(result.Id ?? "null")}");
            }
        }, output, Cases, shrinkSeconds: shrinkSeconds, name: nameof(A_produced_id_is_plain_hex));
        AssertNotVacuous(valid, cases);
    }

    // A property over ids that are never produced would pass for any parser.
    private static void AssertNotVacuous(int valid, long cases) =>
        Assert.True(valid >= cases / 5, $"only {valid} of {cases} generated inputs gave an id; the generator no longer exercises the property");

    private static string FirstLine(string text) => text.Split('\n')[0];
}
