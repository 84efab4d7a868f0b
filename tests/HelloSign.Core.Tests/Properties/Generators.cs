using System;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;

namespace HelloSign.Core.Tests.Properties;

/// <summary>Generators shared by the properties: hostile text, hex ids, JSON strings.</summary>
internal static class Generators
{
    public const string HexDigits = "0123456789abcdefABCDEF";

    // What has broken parsers before: controls, NUL, BOM and zero-width space, line separators, lone surrogates,
    // the replacement character, and the syntax of paths, queries, fragments, escapes and quotes.
    private const string Awkward = "\0\t\n\r\v\f\u0001\u001b\u007f\u0085\u00a0\u1680\u2000\u2028\u2029\u200b\ufeff\ufffd\ud800\udbff\udc00\udfff%/\\.?#&=+:;@\"'<> {}[],";

    /// <summary>Any UTF-16 unit, weighted toward hex digits and characters that tend to break parsers.</summary>
    public static readonly Gen<char> AnyChar = Gen.Frequency(
        (3, Gen.Char[HexDigits]),
        (2, Gen.Char),
        (3, Gen.Char[Awkward]),
        (2, Gen.Char['\u0000', '\uffff']));

    public static readonly Gen<string> HexId = Gen.String[Gen.Char[HexDigits], 18, 66];

    public static Gen<string> Text(int maximumLength) => Gen.String[AnyChar, 0, maximumLength];

    /// <summary>A string of about <paramref name="length"/> characters, by repeating <paramref name="unit"/>.</summary>
    public static string Repeat(string unit, int length) =>
        unit.Length == 0 ? string.Empty : new StringBuilder(length + unit.Length).Insert(0, unit, length / unit.Length + 1).ToString(0, length);

    /// <summary>Some characters of <paramref name="text"/> written as %XX (UTF-8), as a browser would escape them.</summary>
    public static Gen<string> PercentEncoded(Gen<string> text) =>
        Gen.Select(text, Gen.Int[0, 3]).Select((value, mode) => mode switch
        {
            0 => value,
            1 => Uri.EscapeDataString(SafeForEscaping(value)),
            2 => string.Concat(Encoding.UTF8.GetBytes(value).Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture))),
            _ => string.Concat(value.Select((c, i) => i % 2 == 0 && c < 128 ? "%" + ((int)c).ToString("x2", CultureInfo.InvariantCulture) : c.ToString())),
        });

    /// <summary>A JSON string literal for any text; non-ASCII as \uXXXX escapes (lone surrogates included) or raw.</summary>
    public static string JsonString(string text, bool escapeAll)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') builder.Append('\\').Append(c);
            else if (c < ' ' || (escapeAll && c > '~') || char.IsSurrogate(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    // Uri.EscapeDataString refuses lone surrogates; a browser would have replaced them anyway.
    private static string SafeForEscaping(string text) =>
        new(text.Select((c, i) => char.IsSurrogate(c) && !IsPaired(text, i) ? '\ufffd' : c).ToArray());

    private static bool IsPaired(string text, int i) =>
        char.IsHighSurrogate(text[i]) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) : i > 0 && char.IsHighSurrogate(text[i - 1]);
}
