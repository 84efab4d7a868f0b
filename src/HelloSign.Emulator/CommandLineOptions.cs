using System.Globalization;

namespace HelloSign.Emulator;

/// <summary>The command line: --seed is required, the rest optional.</summary>
internal sealed record CommandLineOptions(string SeedPath, int Port, int? HttpsPort, string? ConfigPath, int? ParentProcessId)
{
    public const string Usage =
        "usage: dotnet HelloSign.Emulator.dll --seed <path.json> [--port 0] [--https-port 0] [--config <path.json>] [--parent-pid <pid>]";

    private static readonly string[] Names = ["--seed", "--port", "--https-port", "--config", "--parent-pid"];

    /// <exception cref="ArgumentException">An unknown, repeated or incomplete option, or a missing --seed.</exception>
    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (!Names.Contains(name) || i + 1 >= args.Count || !values.TryAdd(name, args[i + 1]))
            {
                throw new ArgumentException($"Unexpected or incomplete argument '{name}'.");
            }
        }

        var seedPath = values.GetValueOrDefault("--seed") ?? throw new ArgumentException("--seed <path.json> is required.");
        return new CommandLineOptions(
            seedPath,
            ReadNumber(values, "--port", max: 65535) ?? 0,
            ReadNumber(values, "--https-port", max: 65535),
            values.GetValueOrDefault("--config"),
            ReadNumber(values, "--parent-pid", max: int.MaxValue));
    }

    private static int? ReadNumber(Dictionary<string, string> values, string name, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= max
            ? number
            : throw new ArgumentException($"{name} expects a whole number from 0 to {max}.");
    }
}
