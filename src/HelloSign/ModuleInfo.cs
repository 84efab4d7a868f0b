using System;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HelloSign;

/// <summary>Facts about this module for the User-Agent header.</summary>
internal static class ModuleInfo
{
    public static string Version { get; } =
        typeof(ModuleInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ModuleInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>e.g. "HelloSign-PowerShell/0.1.0 (PowerShell 7.6.9; Linux 6.1)".</summary>
    public static string UserAgent(PSCmdlet cmdlet)
    {
        var powerShellVersion = cmdlet.Host?.Version?.ToString() ?? "unknown";
        if (cmdlet.SessionState.PSVariable.GetValue("PSVersionTable") is System.Collections.IDictionary table && table["PSVersion"] is { } version)
        {
            powerShellVersion = version.ToString();
        }

        var os = RuntimeInformation.OSDescription.Trim();
        return $"HelloSign-PowerShell/{Version} (PowerShell {powerShellVersion}; {Sanitize(os)})";
    }

    // User-Agent comments may not contain parentheses or control characters.
    private static string Sanitize(string text)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c is '(' or ')' or '\\' || c < 0x20 || c > 0x7e ? ' ' : c);
        }

        return builder.ToString();
    }
}
