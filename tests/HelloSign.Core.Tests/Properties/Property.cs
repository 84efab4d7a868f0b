using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsCheck;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace HelloSign.Core.Tests.Properties;

/// <summary>
/// Runs a property over generated cases from a fixed seed, so every run checks the same cases and a failure
/// reproduces. CsCheck's own Sample draws from per-thread random seeds; here the cases come from one seeded PCG
/// (a stream per property), and only a failure is handed to CsCheck, which shrinks it to the simplest input.
/// </summary>
/// <remarks>
/// Environment: HELLOSIGN_PROPERTY_SEED (a number) checks other cases; HELLOSIGN_PROPERTY_CASES (a number)
/// overrides every property's case count, for a longer soak; HELLOSIGN_PROPERTY_SHRINK_SECONDS bounds shrinking.
/// </remarks>
internal static class Property
{
    public const string SeedVariable = "HELLOSIGN_PROPERTY_SEED";
    public const string CasesVariable = "HELLOSIGN_PROPERTY_CASES";
    public const string ShrinkVariable = "HELLOSIGN_PROPERTY_SHRINK_SECONDS";

    public const ulong DefaultSeed = 20261129;

    public static ulong Seed { get; } = ReadNumber(SeedVariable) is { } seed ? (ulong)seed : DefaultSeed;

    private static readonly long? CasesOverride = ReadNumber(CasesVariable);
    private static readonly int ShrinkSeconds = (int)(ReadNumber(ShrinkVariable) ?? 5);

    /// <summary>
    /// Checks <paramref name="property"/> (it throws to fail) for <paramref name="cases"/> generated values and
    /// returns how many it checked. A failure is shrunk for <paramref name="shrinkSeconds"/> (0: not at all).
    /// </summary>
    public static long Check<T>(Gen<T> gen, Action<T> property, ITestOutputHelper output, int cases,
        Func<T, string>? print = null, int? shrinkSeconds = null, [CallerMemberName] string name = "")
    {
        var count = CasesOverride ?? cases;
        var pcg = new PCG(StreamOf(name), Seed);
        for (long i = 0; i < count; i++)
        {
            var state = pcg.State;
            var value = gen.Generate(pcg, null, out _);
            try
            {
                property(value);
            }
            catch (Exception failure)
            {
                throw Shrink(gen, property, pcg.ToString(state), value, failure, i, name, print ?? Describe, shrinkSeconds ?? ShrinkSeconds);
            }
        }

        output.WriteLine($"{name}: {count:#,0} cases passed ({SeedVariable}={Seed}).");
        return count;
    }

    /// <summary>A readable, one-line form of a generated value: strings escaped, long ones cut.</summary>
    public static string Describe<T>(T value) => value switch
    {
        null => "null",
        string text => Literal(text),
        byte[] bytes => $"{bytes.Length} bytes: {Literal(Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 2000)))}",
        _ => CsCheck.Check.Print(value),
    };

    public static string Literal(string text)
    {
        const int Shown = 2000;
        var builder = new StringBuilder("\"");
        foreach (var c in text.Length > Shown ? text.Substring(0, Shown) : text)
        {
            if (c is '"' or '\\') builder.Append('\\').Append(c);
            else if (c is >= ' ' and <= '~') builder.Append(c);
            else builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }

        builder.Append('"');
        return text.Length > Shown ? builder.Append($"... ({text.Length:#,0} chars)").ToString() : builder.ToString();
    }

    private static XunitException Shrink<T>(Gen<T> gen, Action<T> property, string seed, T value, Exception failure,
        long index, string name, Func<T, string> print, int shrinkSeconds)
    {
        var header = $"Property {name} failed on case {index:#,0} ({SeedVariable}={Seed}; CsCheck seed {seed}).{Environment.NewLine}" +
                     $"Input: {print(value)}{Environment.NewLine}Failure: {failure.GetType().Name}: {failure.Message}";
        if (shrinkSeconds <= 0)
        {
            return new XunitException($"{header}{Environment.NewLine}{failure}");
        }

        try
        {
            // CsCheck replays the seed first, then looks for smaller failing inputs for a few seconds.
            gen.Sample(property, seed: seed, time: shrinkSeconds, print: print);
        }
        catch (CsCheckException shrunk)
        {
            return new XunitException($"{header}{Environment.NewLine}Shrunk by CsCheck: {shrunk.Message}{Environment.NewLine}{shrunk.InnerException}");
        }

        return new XunitException($"{header}{Environment.NewLine}(Did not fail again when replayed.){Environment.NewLine}{failure}");
    }

    // Stable across runs and machines (string.GetHashCode is not), so each property keeps its own cases.
    private static uint StreamOf(string name)
    {
        var hash = 2166136261;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }

    private static long? ReadNumber(string variable) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
