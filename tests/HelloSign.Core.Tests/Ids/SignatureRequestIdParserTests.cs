using HelloSign.Core.Ids;
using Xunit;

namespace HelloSign.Core.Tests.Ids;

public class SignatureRequestIdParserTests
{
    private const string Id40 = "fa5c8a0b0f492d768749333ad6fcc214c111e967";
    private const string Id24 = "d10338cad145e1cb68afc828";

    [Theory]
    [InlineData(Id40)]
    [InlineData(Id24)]
    [InlineData("  " + Id40 + "  ")]
    [InlineData("\t" + Id40 + "\r")]
    [InlineData("\uFEFF" + Id40)]
    [InlineData("\"" + Id40 + "\"")]
    [InlineData("FA5C8A0B0F492D768749333AD6FCC214C111E967")]
    public void Plain_ids_are_trimmed_and_lowercased(string input)
    {
        var result = SignatureRequestIdParser.Parse(input);

        Assert.Equal(IdParseStatus.Valid, result.Status);
        Assert.Equal(input.Trim().Trim('\uFEFF', '"').ToLowerInvariant(), result.Id);
    }

    [Theory]
    [InlineData("https://app.hellosign.com/home/manage?guid=" + Id40, Id40)]
    [InlineData("https://app.hellosign.com/home/manage?foo=1&guid=" + Id40 + "#top", Id40)]
    [InlineData("https://app.hellosign.com/sign/" + Id24, Id24)]
    [InlineData("https://app.hellosign.com/sign/" + Id40 + "/", Id40)]
    [InlineData("  https://app.hellosign.com/sign/" + Id40 + "\r", Id40)]
    [InlineData("https://sign.dropbox.com/home/manage?guid=" + Id40, Id40)]
    public void Ids_are_taken_out_of_HelloSign_links(string input, string expected)
    {
        var result = SignatureRequestIdParser.Parse(input);

        Assert.Equal(IdParseStatus.Valid, result.Status);
        Assert.Equal(expected, result.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r")]
    [InlineData("\uFEFF")]
    public void Blank_input_is_blank_not_invalid(string? input)
    {
        Assert.Equal(IdParseStatus.Blank, SignatureRequestIdParser.Parse(input).Status);
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("fa5c8a0b0f492d76874")] // too short
    [InlineData("fa5c8a0b0f492d768749333ad6fcc214c111e967fa5c8a0b0f492d768749333ad6fcc214c1")] // too long
    [InlineData("../../account")]
    [InlineData("fa5c8a0b0f492d768749333ad6fcc214c111e967/../../account")]
    [InlineData("fa5c8a0b0f492d768749333ad6fcc214c111e967?page=2")]
    [InlineData("fa5c8a0b0f492d768749333ad6fcc214c111e967#x")]
    [InlineData("fa5c8a0b0f492d768749333ad6fcc214c111e96%2F")]
    [InlineData("fa5c8a0b0f492d76874 333ad6fcc214c111e967")]
    [InlineData("https://evil.example/sign/fa5c8a0b0f492d768749333ad6fcc214c111e967")]
    [InlineData("https://hellosign.com.evil.example/sign/fa5c8a0b0f492d768749333ad6fcc214c111e967")]
    [InlineData("https://app.hellosign.com/home/manage?guid=../../account")]
    [InlineData("https://app.hellosign.com/")]
    [InlineData("ｆa5c8a0b0f492d768749333ad6fcc214c111e967")] // full-width f
    public void Anything_else_is_invalid_with_a_reason(string input)
    {
        var result = SignatureRequestIdParser.Parse(input);

        Assert.Equal(IdParseStatus.Invalid, result.Status);
        Assert.Null(result.Id);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void Control_characters_in_a_refused_value_are_escaped_in_the_reason()
    {
        var result = SignatureRequestIdParser.Parse("bad\u001b[31mred");

        Assert.Equal(IdParseStatus.Invalid, result.Status);
        Assert.DoesNotContain(result.Reason!, c => c == (char)0x1b);
        Assert.Contains("<U+001B>", result.Reason);
    }

    [Fact]
    public void Very_long_input_is_refused_without_echoing_it_whole()
    {
        var result = SignatureRequestIdParser.Parse(new string('a', 100_000));

        Assert.Equal(IdParseStatus.Invalid, result.Status);
        Assert.True(result.Reason!.Length < 300);
    }

    [Fact]
    public void A_refused_value_shows_bidi_overrides_and_escapes_visibly_never_raw()
    {
        var hostile = "ee1060066d970b1ad170\u202efdp.exe\u001b[2J\u200b";

        var reason = SignatureRequestIdParser.Parse(hostile).Reason!;

        Assert.DoesNotContain(reason, c => c is '\u202e' or '\u001b' or '\u200b');
        Assert.Contains("<U+202E>", reason);
        Assert.Contains("<U+001B>", reason);
    }
}
