using System.Globalization;
using System.Text;

namespace HelloSign.Core.Text;

/// <summary>
/// Makes text from outside (input lines, API messages, titles) safe to put in a message, warning, prompt or
/// verbose line: one line, bounded length, and nothing a console would obey instead of show — control and escape
/// characters, line and paragraph separators, bidirectional overrides (U+202E would render a message reversed),
/// other invisible format characters, and lone surrogates.
/// </summary>
public static class SafeText
{
    /// <summary>Shows each harmful character as a visible escape, e.g. <c>&lt;U+202E&gt;</c>: for refused input, where the user must see what is there.</summary>
    public static string Escaped(string text, int maximumLength = 80) => Clean(text, maximumLength, escape: true);

    /// <summary>Replaces each harmful character with a space and trims: for prose from the API (messages, titles).</summary>
    public static string Flattened(string text, int maximumLength = 500) => Clean(text, maximumLength, escape: false).Trim();

    /// <summary>True for a character that must never reach a console raw.</summary>
    public static bool IsHarmful(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' ||
        CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static string Clean(string text, int maximumLength, bool escape)
    {
        var cut = text.Length > maximumLength ? text.Substring(0, maximumLength) : text;
        var builder = new StringBuilder(cut.Length + 8);
        for (var i = 0; i < cut.Length; i++)
        {
            var c = cut[i];
            if (char.IsHighSurrogate(c) && i + 1 < cut.Length && char.IsLowSurrogate(cut[i + 1]))
            {
                // A well-formed pair is an ordinary character (an emoji, say); only lone halves are harmful.
                builder.Append(c).Append(cut[++i]);
            }
            else if (IsHarmful(c))
            {
                if (escape)
                {
                    builder.Append("<U+").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('>');
                }
                else
                {
                    builder.Append(' ');
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        if (text.Length > maximumLength)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }
}
