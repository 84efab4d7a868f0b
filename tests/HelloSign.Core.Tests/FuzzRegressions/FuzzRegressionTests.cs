using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HelloSign.Core.Tests.Properties;
using Xunit;

namespace HelloSign.Core.Tests.FuzzRegressions;

/// <summary>
/// Replays every input the fuzzer saved (FuzzRegressions/&lt;target&gt;/, crashes and hangs found by tools/Fuzz.ps1)
/// and every seed of the fuzz corpus (fuzz/corpus/&lt;target&gt;/) through the same target the fuzzer ran: each must
/// give the documented outcome (Outcomes.cs) without throwing, and in seconds rather than hanging.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.Names)
        {
            foreach (var (root, folder) in new[] { (AppContext.BaseDirectory, "FuzzRegressions"), (RepositoryRoot() ?? string.Empty, "fuzz/corpus") })
            {
                var path = Path.Combine(root, folder, target);
                if (root.Length > 0 && Directory.Exists(path))
                {
                    foreach (var file in Directory.GetFiles(path).Where(file => !file.EndsWith(".md", StringComparison.Ordinal)).OrderBy(file => file, StringComparer.Ordinal))
                    {
                        data.Add(target, file.Substring(root.Length).TrimStart(Path.DirectorySeparatorChar).Replace('\\', '/'));
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_saved_input_gives_the_documented_outcome(string target, string path)
    {
        var root = path.StartsWith("fuzz/", StringComparison.Ordinal) ? RepositoryRoot()! : AppContext.BaseDirectory;
        var input = File.ReadAllBytes(Path.Combine(root, path));
        var run = Task.Run(() => FuzzTargets.Run(target, input));

        Assert.True(await Task.WhenAny(run, Task.Delay(Patience)) == run, $"the {target} target still runs after {Patience.TotalSeconds} s on {path}");
        await run;
    }

    [Fact]
    public void Every_target_has_seeds_to_replay()
    {
        var inputs = Inputs().Select(row => ((string)row[0], (string)row[1])).ToList();

        Assert.NotNull(RepositoryRoot());
        Assert.All(FuzzTargets.Names, target => Assert.Contains(inputs, input => input.Item1 == target && input.Item2.StartsWith("fuzz/corpus/", StringComparison.Ordinal)));
    }

    /// <summary>The checkout the tests were built from: the seed corpus is read where it is committed.</summary>
    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "fuzz", "corpus")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
