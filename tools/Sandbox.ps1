#Requires -Version 7.4
<#
.SYNOPSIS
    A place to try the module by hand without an account: the local emulator, seeded with demo data
    (demo/sandbox-seed.json) at the real API's rate limit, and an interactive pwsh with the module imported and
    connected to it. Leaving that shell (exit, or the shell being killed) stops the emulator.
    Run by: dotnet pwsh ./build.ps1 -Task Sandbox (which builds first).
.PARAMETER WorkingDirectory
    Where the shell starts; it gets ids.txt (demo/ids.txt) and the seed. Default: a new temporary folder,
    removed when the shell ends. A folder given here is kept.
.PARAMETER RateLimit
    Requests per window per account. Default 100 per 60 s, as the real API's standard endpoints.
.PARAMETER CancelDelayMs
    How long a queued cancel takes to complete, as the real API cancels asynchronously: -Wait shows it.
#>
[CmdletBinding()]
param(
    [string] $WorkingDirectory,
    [ValidateRange(1, 1000000)] [int] $RateLimit = 100,
    [ValidateRange(1, 3600)] [int] $RateLimitWindowSeconds = 60,
    [ValidateRange(0, 3600000)] [int] $CancelDelayMs = 5000
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'tools/HelloSignEmulator.psm1')

# The seed's dates moved by whole days so that its newest request is a day old: "older than 30 days" in the
# README's recipes then finds some requests and not others, whenever the sandbox is started.
function Write-RecentSeed([string] $Source, [string] $Destination) {
    $seed = Get-Content -Raw -LiteralPath $Source | ConvertFrom-Json
    $newest = ($seed.signature_requests.created_at | Measure-Object -Maximum).Maximum
    $yesterday = [DateTimeOffset]::UtcNow.AddDays(-1).ToUnixTimeSeconds()
    $shift = [long][Math]::Floor(($yesterday - $newest) / 86400) * 86400
    foreach ($request in $seed.signature_requests) {
        $request.created_at += $shift
        if ($null -ne $request.expires_at) { $request.expires_at += $shift }
        foreach ($signature in $request.signatures) {
            if ($null -ne $signature.signed_at) { $signature.signed_at += $shift }
        }
    }
    $seed | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $Destination -Encoding utf8NoBOM
}

$ownsFolder = -not $WorkingDirectory
if ($ownsFolder) { $WorkingDirectory = Join-Path ([IO.Path]::GetTempPath()) "hellosign-sandbox-$PID" }
$WorkingDirectory = (New-Item -ItemType Directory -Force $WorkingDirectory).FullName
Copy-Item (Join-Path $root 'demo/ids.txt') $WorkingDirectory
$seedPath = Join-Path $WorkingDirectory 'sandbox-seed.json'
Write-RecentSeed (Join-Path $root 'demo/sandbox-seed.json') $seedPath

# Explicit, so the sandbox stays realistic whatever the emulator's defaults are.
$config = @{
    rate_limit      = @{ limit = $RateLimit; window_seconds = $RateLimitWindowSeconds }
    cancel_delay_ms = $CancelDelayMs
}
# Tied to this process (--parent-pid): if this launcher is killed, the emulator goes too. Ctrl+C in the shell
# stops the command running there, not the emulator.
$emulator = Start-HelloSignEmulator -SeedPath $seedPath -Config $config -IgnoreCtrlC
try {
    $shell = [Diagnostics.ProcessStartInfo]::new('dotnet')
    $arguments = @(
        (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NoExit', '-File', (Join-Path $PSScriptRoot 'SandboxShell.ps1'),
        '-ApiBaseUri', $emulator.ApiBaseUri, '-AdminUri', $emulator.AdminUri, '-SeedPath', $seedPath,
        '-EmulatorProcessId', $emulator.Process.Id
    )
    foreach ($argument in $arguments) { $shell.ArgumentList.Add($argument) }
    $shell.WorkingDirectory = $WorkingDirectory
    $shell.UseShellExecute = $false    # the shell shares this console (or this process's redirected input)
    # A blocking wait, not a native-command call: Ctrl+C in the shell (to stop a run) must not end the shell,
    # and PowerShell stops a native command on Ctrl+C, while it cannot interrupt WaitForExit.
    [Diagnostics.Process]::Start($shell).WaitForExit()
}
finally {
    Stop-HelloSignEmulator $emulator
    if ($ownsFolder) { Remove-Item -Recurse -Force -LiteralPath $WorkingDirectory -ErrorAction SilentlyContinue }
    Write-Host 'HelloSign sandbox: the emulator is stopped.'
}
