using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using HelloSign.Core;
using HelloSign.Core.Loading;

namespace HelloSign;

/// <summary>
/// On Windows PowerShell 5.1, resolves System.Text.Json and its family from the module's dependencies folder
/// (see <see cref="DependencyResolver"/>). On PowerShell 7 it does nothing: the runtime's own copies are used,
/// so the module never loads a second System.Text.Json.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly DependencyResolver Resolver = new(
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies"));

    public void OnImport()
    {
        if (Platform.IsNetFramework)
        {
            AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // Remove-Module ends the runspace's session: its connection closes (commands still running on it finish).
        ConnectionStore.CloseCurrent();
        AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
    }

    private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args) =>
        Resolver.Resolve(args.Name) is { } path ? Assembly.LoadFrom(path) : null;
}
