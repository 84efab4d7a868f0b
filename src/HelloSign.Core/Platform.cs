namespace HelloSign.Core;

/// <summary>Which .NET the module runs on: Windows PowerShell 5.1 is .NET Framework, PowerShell 7 is .NET.</summary>
public static class Platform
{
    /// <summary>
    /// True on .NET Framework and on Mono, which implements it (the load probe runs there): both have the
    /// Framework's binder and HTTP stack. Read from the core library's name rather than the runtime's
    /// description, which says "Mono" on Mono.
    /// </summary>
    public static bool IsNetFramework { get; } = typeof(object).Assembly.GetName().Name == "mscorlib";
}
