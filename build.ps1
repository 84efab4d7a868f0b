#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks the HelloSign module.
.DESCRIPTION
    Run from a fresh clone with only the .NET SDK installed:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
    Tasks:
        Build    (default) the importable module in out/HelloSign, and the API emulator in out/emulator
        Test     every test: xunit, then Pester in a child pwsh; ends with 'tests: N passed, M failed'
        Demo     cancels demo/ids.txt against the local emulator and shows what happened
        Sandbox  an interactive pwsh with the module connected to the emulator (demo data, 100 requests/min)
        Bench    the benchmarks in docs/benchmarks.md
        Package  out/HelloSign.<version>.nupkg
        Fuzz     coverage-guided fuzzing of the parsers (installs AFL++ and SharpFuzz)
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Sandbox', 'Bench', 'Package', 'Fuzz', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test: run only the Pester files whose names match (e.g. 'Stop*').
    [string] $PesterFilter = '*',

    # Fuzz: seconds per fuzz target.
    [int] $FuzzSeconds = 60
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'HelloSign'
$EmulatorOut = Join-Path $Out 'emulator'
$TestResults = Join-Path $Out 'TestResults'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
    return ($props.Project.PropertyGroup | Where-Object { $_['ModuleVersion'] } | Select-Object -First 1).ModuleVersion
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    return Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages'
}

# The pwsh of this build (the pinned dotnet tool), to run tests and demos in a clean child process.
function Invoke-ChildPwsh {
    param([string[]] $Arguments)
    Invoke-Native 'dotnet' (@((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive') + $Arguments)
}

function Invoke-Build {
    Write-Host "Building HelloSign $(Get-ModuleVersion) ($Configuration)"
    $publish = Join-Path $Out 'publish/HelloSign'
    Remove-Item -Recurse -Force $publish, $ModuleOut -ErrorAction SilentlyContinue
    Invoke-Native 'dotnet' @('publish', (Join-Path $Root 'src/HelloSign/HelloSign.csproj'), '-c', $Configuration, '-o', $publish, '--nologo', '-v', 'quiet')

    $null = New-Item -ItemType Directory -Force $ModuleOut, (Join-Path $ModuleOut 'dependencies')
    Copy-Item (Join-Path $publish 'HelloSign.dll'), (Join-Path $publish 'HelloSign.Core.dll') $ModuleOut
    # Windows PowerShell 5.1 needs System.Text.Json and its family beside the module; PowerShell 7 uses its own.
    Get-ChildItem $publish -Filter '*.dll' | Where-Object Name -NotLike 'HelloSign*' | Copy-Item -Destination (Join-Path $ModuleOut 'dependencies')
    Assert-KnownDependencies
    Assert-FrameworkBinding
    $format = Join-Path $Root 'src/HelloSign/HelloSign.Format.ps1xml'
    if (Test-Path $format) { Copy-Item $format $ModuleOut }

    $manifest = Get-Content -Raw (Join-Path $Root 'HelloSign.psd1')
    $manifest = $manifest -replace "ModuleVersion(\s*)=(\s*)'0\.0\.0'", "ModuleVersion`$1=`$2'$(Get-ModuleVersion)'"
    $manifest = $manifest -replace '\A(#[^\n]*\n)+', ''    # the leading comment explains the source's placeholder
    Set-Content -Path (Join-Path $ModuleOut 'HelloSign.psd1') -Value $manifest -NoNewline

    $helpBuilder = Join-Path $Root 'tools/Build-Help.ps1'
    if (Test-Path $helpBuilder) { & $helpBuilder -DocsPath (Join-Path $Root 'docs/en-US') -OutputPath (Join-Path $ModuleOut 'en-US') }

    Invoke-Native 'dotnet' @('publish', (Join-Path $Root 'src/HelloSign.Emulator/HelloSign.Emulator.csproj'), '-c', $Configuration, '-o', $EmulatorOut, '--nologo', '-v', 'quiet')
    Write-Host "Module: $ModuleOut"
}

# Windows PowerShell resolves only the dependencies the module knows by name; a new one would fail to load
# there, so the build stops here instead.
function Assert-KnownDependencies {
    $known = Get-ResolverDependencies | Sort-Object
    $shipped = Get-ChildItem (Join-Path $ModuleOut 'dependencies') -Filter '*.dll' | ForEach-Object BaseName | Sort-Object
    $difference = Compare-Object @($known) @($shipped)
    if ($difference) {
        $unknown = ($difference | Where-Object SideIndicator -EQ '=>').InputObject -join ', '
        $missing = ($difference | Where-Object SideIndicator -EQ '<=').InputObject -join ', '
        throw "The module's dependencies changed. Not known to DependencyResolver: [$unknown]; known but not shipped: [$missing]. Update src/HelloSign.Core/Loading/DependencyResolver.cs after checking the new assembly loads in Windows PowerShell 5.1."
    }
}

function Get-ResolverDependencies {
    $core = [System.Reflection.Assembly]::LoadFile((Join-Path $ModuleOut 'HelloSign.Core.dll'))
    return $core.GetType('HelloSign.Core.Loading.DependencyResolver')::KnownDependencies
}

# Windows PowerShell 5.1 (.NET Framework 4.7.2) binds strong-named references exactly and probes only the requesting
# assembly's folder; tools/BindingCheck models that over out/HelloSign and fails on a reference that would not bind
# and that the resolver does not answer for (docs/windows-powershell.md).
function Assert-FrameworkBinding {
    $checker = Join-Path $Out 'bindingcheck'
    Invoke-Native 'dotnet' @('publish', (Join-Path $Root 'tools/BindingCheck/BindingCheck.csproj'), '-c', $Configuration, '-o', $checker, '--nologo', '-v', 'quiet')
    $answers = (Get-ResolverDependencies) -join ','
    & dotnet (Join-Path $checker 'BindingCheck.dll') $ModuleOut --resolves $answers
    if ($LASTEXITCODE -ne 0) {
        throw "A reference of the module would not bind in Windows PowerShell 5.1 (see above). Ship the version asked for, or add the assembly to DependencyResolver.KnownDependencies."
    }
}

function Get-TrxCounts {
    param([string] $Path)
    $counters = ([xml](Get-Content -Raw $Path)).TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout }
}

function Get-TargetFrameworks {
    param([string] $ProjectPath)
    $node = ([xml](Get-Content -Raw $ProjectPath)).SelectSingleNode('/Project/PropertyGroup/TargetFrameworks | /Project/PropertyGroup/TargetFramework')
    return $node.InnerText -split ';'
}

# Loads out/HelloSign in a .NET Framework 4.7.2 program under Mono's strict loader (which, unlike its default,
# refuses a different major version, as .NET Framework does) and calls the emulator. Two tests: it must work with
# the module's initializer run, and fail to load the System.Text.Json family without it.
function Invoke-LoadProbe {
    Write-Host 'load probe: tools/LoadProbe under mono --assembly-loader=strict'
    $probeOut = Join-Path $Out 'loadprobe'
    Invoke-Native 'dotnet' @('publish', (Join-Path $Root 'tools/LoadProbe/LoadProbe.csproj'), '-c', $Configuration, '-o', $probeOut, "-p:ModulePath=$ModuleOut", '--nologo', '-v', 'quiet') | Write-Host
    Import-Module (Join-Path $Root 'tools/HelloSignEmulator.psm1')
    $emulator = Start-HelloSignEmulator
    $result = [pscustomobject]@{ Passed = 0; Failed = 0 }
    try {
        $env:HELLOSIGN_PROBE_API_KEY = $emulator.Seed.accounts[0].api_keys[0]
        $family = (Get-ResolverDependencies | ForEach-Object { [regex]::Escape($_) }) -join '|'
        foreach ($case in @(
                @{ Name = 'with the resolver'; Arguments = @(); Expected = 0; Says = '^probe: passed$' }
                @{ Name = 'fails without the resolver hooked'; Arguments = @('--no-initializer'); Expected = 2; Says = "^probe: an assembly would not load: .*'($family)," }
            )) {
            $output = @(& mono --assembly-loader=strict (Join-Path $probeOut 'LoadProbe.exe') $ModuleOut $emulator.ApiBaseUri @($case.Arguments))
            $output | ForEach-Object { Write-Host "  $_" }
            $ok = $LASTEXITCODE -eq $case.Expected -and ($output -match $case.Says)
            Write-Host "load probe $($case.Name): $(if ($ok) { 'passed' } else { "FAILED (exit code $LASTEXITCODE)" })"
            if ($ok) { $result.Passed++ } else { $result.Failed++ }
        }
    }
    finally {
        Remove-Item Env:HELLOSIGN_PROBE_API_KEY -ErrorAction SilentlyContinue
        Stop-HelloSignEmulator $emulator
    }
    return $result
}

function Invoke-Test {
    Invoke-Build
    Remove-Item -Recurse -Force $TestResults -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Force $TestResults
    $passed = 0
    $failed = 0

    # The .NET Framework leg (net472 test targets and the load probe) runs under Mono; .ci/run installs it and sets
    # HELLOSIGN_REQUIRE_FRAMEWORK_LEG, so there a missing mono is a failure rather than a skip.
    $frameworkLeg = [bool](Get-Command mono -CommandType Application -ErrorAction SilentlyContinue)
    if (-not $frameworkLeg) {
        Write-Host 'Framework leg NOT run: mono is not installed, so the net472 tests and the load probe did not run (apt-get install mono-complete).'
        if ($env:HELLOSIGN_REQUIRE_FRAMEWORK_LEG) { $failed++ }
    }

    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj') {
        foreach ($framework in Get-TargetFrameworks $project.FullName | Where-Object { $frameworkLeg -or $_ -notlike 'net4*' }) {
            $trx = "$($project.BaseName).$framework.trx"
            Write-Host "xunit: $($project.BaseName) ($framework)"
            & dotnet test $project.FullName -c $Configuration -f $framework --nologo -v quiet --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $TestResults
            $trxPath = Join-Path $TestResults $trx
            if (Test-Path $trxPath) {
                $counts = Get-TrxCounts $trxPath
                $passed += $counts.Passed
                $failed += $counts.Failed
            }
            elseif ($LASTEXITCODE -ne 0) {
                Write-Host "xunit: $($project.BaseName) ($framework) did not run (exit code $LASTEXITCODE)."
                $failed++
            }
        }
    }

    if ($frameworkLeg) {
        $counts = Invoke-LoadProbe
        $passed += $counts.Passed
        $failed += $counts.Failed
    }

    Write-Host 'Pester: tests/HelloSign'
    Invoke-Native 'dotnet' @('restore', (Join-Path $Root 'tools/packages.proj'), '--nologo', '-v', 'quiet')
    $pester = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1'
    $pesterCounts = Join-Path $TestResults 'pester-counts.json'
    & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Invoke-PesterTests.ps1') `
        -PesterPath $pester -TestPath (Join-Path $Root 'tests/HelloSign') -Filter "$PesterFilter" -ResultPath $TestResults -CountsPath $pesterCounts
    if (Test-Path $pesterCounts) {
        $counts = Get-Content -Raw $pesterCounts | ConvertFrom-Json
        $passed += $counts.Passed
        $failed += $counts.Failed
    }
    else {
        Write-Host "Pester did not run to the end (exit code $LASTEXITCODE)."
        $failed++
    }

    "tests: $passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-ChildPwsh @('-File', (Join-Path $Root 'tools/Demo.ps1'))
}

# In this process, not through Invoke-ChildPwsh, whose child is non-interactive: the sandbox's shell must not be.
function Invoke-Sandbox {
    Invoke-Build
    & (Join-Path $Root 'tools/Sandbox.ps1')
}

function Invoke-Bench {
    Invoke-Build
    Invoke-Native 'dotnet' @('build', (Join-Path $Root 'tools/HttpFloor/HttpFloor.csproj'), '-c', 'Release', '-o', (Join-Path $Out 'httpfloor'), '--nologo', '-v', 'quiet')
    Invoke-ChildPwsh @('-File', (Join-Path $Root 'tools/Bench.ps1'))
}

function Invoke-Package {
    Invoke-Build
    Invoke-ChildPwsh @('-File', (Join-Path $Root 'tools/Package.ps1'), '-ModulePath', $ModuleOut, '-OutputPath', $Out)
}

function Invoke-Fuzz {
    & (Join-Path $Root 'tools/Fuzz.ps1') -Seconds $FuzzSeconds
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Sandbox' { Invoke-Sandbox }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
    'Fuzz' { Invoke-Fuzz }
    'Clean' { Remove-Item -Recurse -Force $Out -ErrorAction SilentlyContinue }
}
