using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace BindingCheck;

/// <summary>An assembly as the binder sees it: its identity, where it lies, and what it asks for.</summary>
internal sealed record ModuleAssembly(string Path, AssemblyName Identity, IReadOnlyList<AssemblyName> References)
{
    public static ModuleAssembly Read(string path) =>
        TryRead(path) ?? throw new InvalidDataException($"{path} is not an assembly.");

    /// <summary>The assembly in <paramref name="path"/>, or null for a file without an assembly manifest.</summary>
    public static ModuleAssembly? TryRead(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        if (!pe.HasMetadata || !pe.GetMetadataReader().IsAssembly)
        {
            return null;
        }

        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(handle => metadata.GetAssemblyReference(handle).GetAssemblyName()).ToList();
        return new ModuleAssembly(path, metadata.GetAssemblyDefinition().GetAssemblyName(), references);
    }

    public string Name => Identity.Name!;
}

internal enum BindingOutcome
{
    /// <summary>powershell.exe has it loaded already (System.Management.Automation).</summary>
    Host,
    /// <summary>In the box: .NET Framework unifies any version up to its own.</summary>
    InBox,
    /// <summary>Found in the requesting assembly's own folder, with the identity asked for.</summary>
    Beside,
    /// <summary>Would fail to bind, but the module's resolver answers for it.</summary>
    Resolver,
    /// <summary>Would fail to bind, and nothing answers for it: FileNotFoundException or FileLoadException.</summary>
    Fails,
}

internal sealed record Binding(ModuleAssembly Requester, AssemblyName Reference, BindingOutcome Outcome, string Detail)
{
    public override string ToString() => $"{Reference.Name} {Reference.Version} from {Requester.Name} ({Detail})";
}

/// <summary>
/// .NET Framework 4.7.2's binding rule for a module loaded with LoadFrom and no binding redirects (powershell.exe
/// has none for modules): an in-box assembly binds at any version up to the Framework's own; any other strong-named
/// reference binds only to a file in the requesting assembly's folder with exactly the version asked for (a
/// simple-named one to any version); what fails is left to AssemblyResolve, where only the module's resolver answers.
/// Not modelled: the GAC beyond the in-box set, and publisher policy.
/// </summary>
internal sealed class FrameworkBindingModel
{
    private static readonly string[] HostAssemblies = { "System.Management.Automation" };

    private readonly IReadOnlyDictionary<string, Version> _inBox;
    private readonly ISet<string> _resolverAnswers;
    private readonly string _resolverFolder;

    public FrameworkBindingModel(IReadOnlyDictionary<string, Version> inBox, IEnumerable<string> resolverAnswers, string resolverFolder)
    {
        _inBox = inBox;
        _resolverAnswers = new HashSet<string>(resolverAnswers, StringComparer.OrdinalIgnoreCase);
        _resolverFolder = resolverFolder;
    }

    /// <summary>The in-box assemblies of a reference pack (its folder and Facades), by name, with their versions.</summary>
    public static IReadOnlyDictionary<string, Version> ReadInBox(string referencePack)
    {
        var facades = Path.Combine(referencePack, "Facades");
        return Directory.GetFiles(referencePack, "*.dll")
            .Concat(Directory.Exists(facades) ? Directory.GetFiles(facades, "*.dll") : Array.Empty<string>())
            .Select(ModuleAssembly.TryRead)
            .OfType<ModuleAssembly>()
            .ToDictionary(assembly => assembly.Name, assembly => assembly.Identity.Version!, StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<Binding> Bind(IEnumerable<ModuleAssembly> assemblies) =>
        assemblies.SelectMany(assembly => assembly.References.Select(reference => Bind(assembly, reference)));

    private Binding Bind(ModuleAssembly requester, AssemblyName reference)
    {
        var name = reference.Name!;
        if (HostAssemblies.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return new Binding(requester, reference, BindingOutcome.Host, "loaded by powershell.exe");
        }

        if (_inBox.TryGetValue(name, out var inBoxVersion) && reference.Version! <= inBoxVersion)
        {
            return new Binding(requester, reference, BindingOutcome.InBox, $"in the box at {inBoxVersion}");
        }

        var beside = Path.Combine(Path.GetDirectoryName(requester.Path)!, name + ".dll");
        string why;
        if (File.Exists(beside))
        {
            var found = ModuleAssembly.Read(beside).Identity;
            if (Satisfies(found, reference))
            {
                return new Binding(requester, reference, BindingOutcome.Beside, "beside it");
            }

            why = $"{found.Version} beside it";
        }
        else
        {
            why = "not beside it";
        }

        return _resolverAnswers.Contains(name) && File.Exists(Path.Combine(_resolverFolder, name + ".dll"))
            ? new Binding(requester, reference, BindingOutcome.Resolver, why + "; the resolver answers")
            : new Binding(requester, reference, BindingOutcome.Fails, why + "; the resolver does not answer for it");
    }

    /// <summary>A strong-named reference needs the exact version and key; a simple-named one takes any version.</summary>
    private static bool Satisfies(AssemblyName found, AssemblyName reference)
    {
        var token = reference.GetPublicKeyToken() ?? Array.Empty<byte>();
        return token.Length == 0
            || (token.SequenceEqual(found.GetPublicKeyToken() ?? Array.Empty<byte>()) && reference.Version == found.Version);
    }
}
