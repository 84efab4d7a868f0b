using System.Reflection;
using BindingCheck;

// BindingCheck <module folder> --resolves <name,name,...> [--list]
// Exit code 0: every reference binds on .NET Framework 4.7.2 (some through the resolver); 1: some would not; 2: usage.
if (args.Length < 3 || args[1] != "--resolves")
{
    Console.Error.WriteLine("usage: BindingCheck <module folder> --resolves <name,name,...> [--list]");
    return 2;
}

var moduleFolder = args[0];
var dependencies = Path.Combine(moduleFolder, "dependencies");
var resolverAnswers = args[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var list = args.Skip(3).Contains("--list");
var referencePack = typeof(FrameworkBindingModel).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ReferencePack").Value!;

var model = new FrameworkBindingModel(FrameworkBindingModel.ReadInBox(referencePack), resolverAnswers, dependencies);
var assemblies = Directory.GetFiles(moduleFolder, "*.dll").Concat(Directory.GetFiles(dependencies, "*.dll")).Select(ModuleAssembly.Read);
var bindings = model.Bind(assemblies).ToList();

var throughResolver = bindings.Where(binding => binding.Outcome == BindingOutcome.Resolver).ToList();
var failing = bindings.Where(binding => binding.Outcome == BindingOutcome.Fails).ToList();
foreach (var binding in list ? throughResolver.Concat(failing) : failing)
{
    Console.WriteLine($"{(binding.Outcome == BindingOutcome.Fails ? "would not bind" : "resolver")}: {binding}");
}

Console.WriteLine(failing.Count == 0
    ? $"binding (.NET Framework 4.7.2 model): {bindings.Count} references bind, {throughResolver.Count} of them only through the resolver"
    : $"binding (.NET Framework 4.7.2 model): {failing.Count} of {bindings.Count} references would not bind in Windows PowerShell 5.1");
return failing.Count == 0 ? 0 : 1;
