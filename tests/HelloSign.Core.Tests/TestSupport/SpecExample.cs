using System.IO;

namespace HelloSign.Core.Tests.TestSupport;

/// <summary>Reads the official example payloads copied beside the tests (SpecExamples/SOURCE.md).</summary>
internal static class SpecExample
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "SpecExamples", name + ".json"));
}
