using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace HelloSign.LoadProbe;

/// <summary>
/// LoadProbe &lt;module folder&gt; &lt;API base URI&gt; [--no-initializer], the API key in HELLOSIGN_PROBE_API_KEY.
/// Loads HelloSign.dll the way Import-Module does (LoadFrom, the exported types scanned for cmdlets, each
/// IModuleAssemblyInitializer's OnImport run), then does through HelloSign.Core what a command does (<see cref="Work"/>).
/// Exit code 0: all of it worked; 2: an assembly would not load; 1: anything else; 64: usage.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var apiKey = Environment.GetEnvironmentVariable("HELLOSIGN_PROBE_API_KEY");
        if (args.Length < 2 || string.IsNullOrEmpty(apiKey) || !Uri.TryCreate(args[1], UriKind.Absolute, out var apiBaseUri))
        {
            Console.Error.WriteLine("usage: LoadProbe <module folder> <API base URI> [--no-initializer]; the API key in HELLOSIGN_PROBE_API_KEY");
            return 64;
        }

        var runInitializer = !args.Skip(2).Contains("--no-initializer");
        try
        {
            var module = Assembly.LoadFrom(Path.Combine(args[0], "HelloSign.dll"));
            var types = module.GetExportedTypes();
            var cmdlets = types.Count(type => type.IsDefined(typeof(CmdletAttribute), inherit: false));
            // The probe's own code looks for HelloSign.Core in the probe's folder, where it is not; in powershell.exe
            // the callers are the cmdlets, beside it. Bind it as they would, and answer for nothing else.
            var core = Path.Combine(args[0], "HelloSign.Core.dll");
            AppDomain.CurrentDomain.AssemblyResolve += (_, request) =>
                new AssemblyName(request.Name).Name == "HelloSign.Core" ? Assembly.LoadFrom(core) : null;
            if (runInitializer)
            {
                foreach (var initializer in types.Where(type => typeof(IModuleAssemblyInitializer).IsAssignableFrom(type) && type.IsClass))
                {
                    ((IModuleAssemblyInitializer)Activator.CreateInstance(initializer)).OnImport();
                }
            }

            Console.WriteLine($"probe: loaded HelloSign.dll from {args[0]} ({cmdlets} cmdlets); initializer {(runInitializer ? "run" : "not run")}");
            Work.Run(apiBaseUri, apiKey!);
            Console.WriteLine("probe: passed");
            return 0;
        }
        catch (Exception e) when (LoadFailure(e) is { } failure)
        {
            Console.WriteLine($"probe: an assembly would not load: {failure.GetType().Name}: {failure.Message}");
            return 2;
        }
        catch (Exception e)
        {
            Console.WriteLine($"probe: failed: {e}");
            return 1;
        }
    }

    private static Exception? LoadFailure(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is FileNotFoundException or FileLoadException or BadImageFormatException or TypeLoadException)
            {
                return current;
            }

            if (current is ReflectionTypeLoadException typeLoad && typeLoad.LoaderExceptions.FirstOrDefault(inner => inner is not null) is { } first)
            {
                return LoadFailure(first) ?? first;
            }
        }

        return null;
    }
}
