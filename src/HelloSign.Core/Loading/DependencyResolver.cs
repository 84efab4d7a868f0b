using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace HelloSign.Core.Loading;

/// <summary>
/// Windows PowerShell 5.1 has no binding redirects for a module, and System.Text.Json 8's own dependencies ask
/// for versions that differ from each other. This answers requests for exactly that family, by simple name,
/// with the copies shipped in the module's dependencies folder. PowerShell 7 has them all in the runtime.
/// </summary>
public sealed class DependencyResolver
{
    /// <summary>
    /// Every assembly the module ships besides its own. build.ps1 fails when the published set differs,
    /// so a new transitive dependency can't ship unnoticed.
    /// </summary>
    public static readonly IReadOnlyList<string> KnownDependencies = new[]
    {
        "System.Text.Json",
        "System.Text.Encodings.Web",
        "System.Memory",
        "System.Buffers",
        "System.Runtime.CompilerServices.Unsafe",
        "System.Numerics.Vectors",
        "System.Threading.Tasks.Extensions",
        "Microsoft.Bcl.AsyncInterfaces",
    };

    private readonly string _folder;
    private readonly Func<string, bool> _fileExists;

    public DependencyResolver(string folder, Func<string, bool>? fileExists = null)
    {
        _folder = folder;
        _fileExists = fileExists ?? File.Exists;
    }

    /// <summary>The file to load for <paramref name="requestedAssembly"/>, or null to let the runtime decide.</summary>
    public string? Resolve(string? requestedAssembly)
    {
        if (string.IsNullOrWhiteSpace(requestedAssembly))
        {
            return null;
        }

        string? name;
        try
        {
            name = new AssemblyName(requestedAssembly).Name;
        }
        catch (Exception e) when (e is ArgumentException or FileLoadException)
        {
            return null;
        }

        var known = KnownDependencies.FirstOrDefault(dependency => string.Equals(dependency, name, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            return null;
        }

        var path = Path.Combine(_folder, known + ".dll");
        return _fileExists(path) ? path : null;
    }
}
