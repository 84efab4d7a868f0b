using System;
using System.Runtime.InteropServices;

namespace HelloSign.Core;

/// <summary>Which .NET the module runs on: Windows PowerShell 5.1 is .NET Framework, PowerShell 7 is .NET.</summary>
public static class Platform
{
    public static bool IsNetFramework { get; } = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
}
