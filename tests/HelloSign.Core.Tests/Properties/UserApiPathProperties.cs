using System;
using System.Linq;
using CsCheck;
using HelloSign.Core.Http;
using Xunit;
using Xunit.Abstractions;

namespace HelloSign.Core.Tests.Properties;

public class UserApiPathProperties(ITestOutputHelper output)
{
    private const int Cases = 20000;
    private static readonly Uri Base = new("https://api.hellosign.com/v3/");

    private static readonly Gen<string> Piece = Gen.OneOf(
        Gen.OneOf("signature_request", "list", "account", "..", ".", "/", "//", "\\", "%2e", "%2F", "?", "#", ":", "@", "https://", "evil.example", "v3", "~", "\r\n", "\u2028", " "),
        Generators.HexId,
        Generators.Text(6));

    private static readonly Gen<string> Path = Piece.Array[1, 8].Select(pieces => string.Concat(pieces));

    [Fact]
    public void Whatever_is_typed_an_accepted_path_stays_under_the_base_with_no_query_or_fragment()
    {
        var accepted = 0;
        Property.Check(Path, typed =>
        {
            string relative;
            try
            {
                relative = ApiPath.FromUser(typed, Enumerable.Empty<System.Collections.Generic.KeyValuePair<string, object?>>()).Relative;
            }
            catch (ArgumentException)
            {
                return;
            }

            accepted++;
            var target = new Uri(Base, relative);
            Assert.Equal(Base.GetLeftPart(UriPartial.Authority), target.GetLeftPart(UriPartial.Authority));
            Assert.StartsWith("/v3/", target.AbsolutePath);
            Assert.Equal(string.Empty, target.Query);
            Assert.Equal(string.Empty, target.Fragment);
            // Nothing was reinterpreted on the way: the URI's path is exactly the base plus what was accepted.
            Assert.Equal("/v3/" + relative, target.AbsolutePath);
        }, output, Cases, print: typed => System.Text.Json.JsonSerializer.Serialize(typed));

        // The generator must reach the accepting side too, or the property would hold vacuously.
        Assert.True(accepted > Cases / 100, $"only {accepted} of {Cases} generated paths were accepted");
    }
}
