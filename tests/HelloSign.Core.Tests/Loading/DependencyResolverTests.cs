using System.IO;
using HelloSign.Core.Loading;
using Xunit;

namespace HelloSign.Core.Tests.Loading;

public class DependencyResolverTests
{
    private static readonly string Folder = Path.Combine("module", "dependencies");

    private static DependencyResolver Create() => new(Folder, _ => true);

    [Theory]
    [InlineData("System.Text.Json, Version=8.0.0.6, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", "System.Text.Json")]
    [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", "System.Runtime.CompilerServices.Unsafe")]
    [InlineData("System.Memory, Version=4.0.1.1", "System.Memory")]
    [InlineData("System.Buffers", "System.Buffers")]
    [InlineData("microsoft.bcl.asyncinterfaces, Version=8.0.0.0", "Microsoft.Bcl.AsyncInterfaces")]
    [InlineData("System.Text.Encodings.Web, Version=8.0.0.0", "System.Text.Encodings.Web")]
    [InlineData("System.Threading.Tasks.Extensions, Version=4.2.0.1", "System.Threading.Tasks.Extensions")]
    [InlineData("System.Numerics.Vectors, Version=4.1.4.0", "System.Numerics.Vectors")]
    public void Answers_the_System_Text_Json_family_whatever_version_is_asked_for(string requested, string file)
    {
        Assert.Equal(Path.Combine(Folder, file + ".dll"), Create().Resolve(requested));
    }

    [Theory]
    [InlineData("Newtonsoft.Json, Version=13.0.0.0")]
    [InlineData("System.Management.Automation, Version=3.0.0.0")]
    [InlineData("HelloSign.Core")]
    [InlineData("System.Text.Json.Extra")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("not a valid, name, =")]
    public void Leaves_every_other_request_to_the_runtime(string? requested)
    {
        Assert.Null(Create().Resolve(requested));
    }

    [Fact]
    public void Says_nothing_when_the_file_is_missing()
    {
        var resolver = new DependencyResolver(Folder, _ => false);

        Assert.Null(resolver.Resolve("System.Text.Json, Version=8.0.0.0"));
    }
}
