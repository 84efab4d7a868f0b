#Requires -Version 7.4
<#
.SYNOPSIS
    Coverage-guided fuzzing of the HelloSign.Core parsers with SharpFuzz and AFL++ (Linux).
.DESCRIPTION
    Installs what is missing (the Debian package afl++, the SharpFuzz.CommandLine dotnet tool in out/fuzz/tools),
    builds fuzz/HelloSign.Fuzz, instruments HelloSign.Core.dll, then runs afl-fuzz on each target for -Seconds,
    one after another, starting from fuzz/corpus/<target>. Findings go to out/fuzz/<target>/. Crash and hang
    inputs are replayed and grouped by how they fail; the smallest few of each distinct failure are copied, named
    by their hash, to tests/HelloSign.Core.Tests/FuzzRegressions/<target>/, where the xunit regression tests
    replay them. Ends with a table of execs, paths, crashes and hangs per target (also in out/fuzz/summary.json).
    Usually run as: dotnet pwsh ./build.ps1 -Task Fuzz [-FuzzSeconds 60]. See docs/fuzzing.md.
#>
[CmdletBinding()]
param(
    # How long afl-fuzz runs on each target.
    [ValidateRange(5, 86400)]
    [int] $Seconds = 60,

    # Which targets to fuzz (default: all of them).
    [ValidateSet('ids', 'errors', 'events')]
    [string[]] $Target = @('ids', 'errors', 'events'),

    # How many inputs to keep as regression tests for each distinct failure (the smallest ones).
    [ValidateRange(1, 1000)]
    [int] $KeepPerFailure = 3
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = Split-Path -Parent $PSScriptRoot
$Out = Join-Path $Root 'out/fuzz'
$Tools = Join-Path $Out 'tools'
$Plain = Join-Path $Out 'plain'         # the harness as built: replays saved inputs
$Instrumented = Join-Path $Out 'bin'    # the same with HelloSign.Core.dll instrumented, for afl-fuzz
$Regressions = Join-Path $Root 'tests/HelloSign.Core.Tests/FuzzRegressions'
$SharpFuzzVersion = '2.3.0'
$Dictionaries = @{ ids = 'ids.dict'; errors = 'json.dict'; events = 'json.dict' }

function Invoke-Checked {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Install-Afl {
    if (Get-Command afl-fuzz -ErrorAction SilentlyContinue) { return }
    if (-not (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        throw 'afl-fuzz is not installed and there is no apt-get to install it with: install AFL++ (https://aflplus.plus) and run again.'
    }

    Write-Host 'Installing afl++ (apt-get)'
    $sudo = if ((& id -u) -ne '0') { @('sudo') } else { @() }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    $install = $sudo + @('apt-get', 'install', '-y', '-q', 'afl++')
    & $install[0] @($install | Select-Object -Skip 1)
    if ($LASTEXITCODE -ne 0) {
        # A fresh machine has no package lists yet.
        $update = $sudo + @('apt-get', 'update', '-q')
        Invoke-Checked $update[0] @($update | Select-Object -Skip 1)
        Invoke-Checked $install[0] @($install | Select-Object -Skip 1)
    }
}

function Install-SharpFuzz {
    $command = Join-Path $Tools 'sharpfuzz'
    if (-not (Test-Path $command)) {
        Write-Host "Installing SharpFuzz.CommandLine $SharpFuzzVersion in $Tools"
        # To the host: what this function outputs is its result.
        Invoke-Checked 'dotnet' @('tool', 'install', '--tool-path', $Tools, 'SharpFuzz.CommandLine', '--version', $SharpFuzzVersion) | Out-Host
    }

    return $command
}

function Build-Harness {
    param([string] $SharpFuzz)
    Remove-Item -Recurse -Force $Plain, $Instrumented -ErrorAction SilentlyContinue
    Invoke-Checked 'dotnet' @('publish', (Join-Path $Root 'fuzz/HelloSign.Fuzz/HelloSign.Fuzz.csproj'), '-c', 'Release', '-o', $Plain, '--nologo', '-v', 'quiet')
    Copy-Item -Recurse $Plain $Instrumented
    # Only the code under test is instrumented: the harness and the runtime would add noise, not coverage.
    Invoke-Checked $SharpFuzz @((Join-Path $Instrumented 'HelloSign.Core.dll'))
}

function Read-FuzzerStats {
    param([string] $Path)
    $stats = @{}
    if (Test-Path $Path) {
        foreach ($line in Get-Content $Path) {
            if ($line -match '^\s*(\w+)\s*:\s*(.*?)\s*$') { $stats[$Matches[1]] = $Matches[2] }
        }
    }

    return $stats
}

function Get-Stat {
    param([hashtable] $Stats, [string[]] $Names)
    # AFL++ renamed some fields over the years (paths_total -> corpus_count, unique_crashes -> saved_crashes).
    foreach ($name in $Names) { if ($Stats.ContainsKey($name)) { return $Stats[$name] } }
    return '?'
}

# Replays files through the uninstrumented harness: one object per file, with the signature of its failure
# (exception and method, or the broken rule), empty when it passed.
function Invoke-Replay {
    param([string] $Name, [string[]] $Files)
    if ($Files.Count -eq 0) { return @() }
    $lines = & dotnet (Join-Path $Plain 'HelloSign.Fuzz.dll') $Name @Files
    foreach ($line in $lines) {
        $status, $signature, $file, $message = $line -split "`t", 4
        [pscustomobject]@{ Passed = $status -eq 'ok'; Signature = $signature; File = $file; Message = $message }
    }
}

# Copies crash and hang inputs into the regression folder, named by content hash: for each distinct failure
# (same exception from the same method, or the same broken rule) the smallest, up to -KeepPerFailure counting
# those already there. Returns the replay of every finding, with Saved set on the copied ones.
function Save-Findings {
    param([string] $Findings, [string] $Name)
    $destination = Join-Path $Regressions $Name
    $null = New-Item -ItemType Directory -Force $destination
    $found = @(foreach ($folder in 'crashes', 'hangs') {
            $path = Join-Path $Findings "default/$folder"
            if (Test-Path $path) { Get-ChildItem $path -File | Where-Object Name -NE 'README.txt' }
        })
    $kept = @{}
    foreach ($existing in Invoke-Replay $Name @(Get-ChildItem $destination -File | Where-Object Extension -NE '.md' | ForEach-Object FullName)) {
        $kept[$existing.Signature] = 1 + ($kept[$existing.Signature] ?? 0)
    }

    $replayed = @(Invoke-Replay $Name @($found | Sort-Object Length | ForEach-Object FullName))
    foreach ($finding in $replayed) {
        $prefix = if ($finding.File -match '[\\/]hangs[\\/]') { 'hang' } elseif ($finding.Passed) { 'crash-unreproduced' } else { 'crash' }
        $key = if ($finding.Passed) { $prefix } else { $finding.Signature }
        $hash = (Get-FileHash -Algorithm SHA256 $finding.File).Hash.Substring(0, 16).ToLowerInvariant()
        $copy = Join-Path $destination "$prefix-$hash"
        $save = -not (Test-Path $copy) -and ($kept[$key] ?? 0) -lt $KeepPerFailure
        if ($save) {
            Copy-Item $finding.File $copy
            & chmod 644 $copy # afl-fuzz writes its findings readable by the owner only
            $kept[$key] = 1 + ($kept[$key] ?? 0)
        }

        $finding | Add-Member -NotePropertyName Saved -NotePropertyValue $save
    }

    return , $replayed
}

if (-not $IsLinux) {
    throw 'AFL++ fuzzing runs on Linux only (WSL works).'
}

$null = New-Item -ItemType Directory -Force $Out
Install-Afl
$sharpFuzz = Install-SharpFuzz
Write-Host 'Building and instrumenting fuzz/HelloSign.Fuzz'
Build-Harness -SharpFuzz $sharpFuzz

# What afl-fuzz needs in a container: no CPU governor or core_pattern to tune, maybe no CPU binding, no TUI.
# The target is 'dotnet', which afl-fuzz can't see the instrumentation in: SharpFuzz's fork server reports it.
$aflEnvironment = @{
    AFL_SKIP_BIN_CHECK = '1'
    AFL_SKIP_CPUFREQ = '1'
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'
    AFL_NO_AFFINITY = '1'
    AFL_NO_UI = '1'
    DOTNET_CLI_TELEMETRY_OPTOUT = '1'
}
$previous = @{}
foreach ($name in $aflEnvironment.Keys) {
    $previous[$name] = [Environment]::GetEnvironmentVariable($name)
    [Environment]::SetEnvironmentVariable($name, $aflEnvironment[$name])
}

$summary = [System.Collections.Generic.List[object]]::new()
try {
    foreach ($name in $Target) {
        $findings = Join-Path $Out $name
        Remove-Item -Recurse -Force $findings -ErrorAction SilentlyContinue
        $null = New-Item -ItemType Directory -Force $findings
        $log = Join-Path $Out "$name.log"
        $arguments = @(
            '-i', (Join-Path $Root "fuzz/corpus/$name"),
            '-o', $findings,
            '-x', (Join-Path $Root "fuzz/dictionaries/$($Dictionaries[$name])"),
            '-t', '5000', '-m', 'none', '-V', "$Seconds",
            '--', 'dotnet', (Join-Path $Instrumented 'HelloSign.Fuzz.dll'), $name)
        $command = "afl-fuzz $($arguments -join ' ')"
        Write-Host "Fuzzing '$name' for $Seconds s: $command"

        # afl-fuzz stops itself after -V seconds; timeout only guards against it hanging on the way.
        & timeout --kill-after=15 "$($Seconds + 300)" afl-fuzz @arguments *> $log
        $exitCode = $LASTEXITCODE
        $stats = Read-FuzzerStats (Join-Path $findings 'default/fuzzer_stats')
        if ($exitCode -ne 0 -or $stats.Count -eq 0) {
            Get-Content $log -Tail 30 | Write-Host
            throw "afl-fuzz on '$name' failed (exit code $exitCode); its output is in $log."
        }

        $replayed = Save-Findings -Findings $findings -Name $name
        $failures = @($replayed | Group-Object Signature | Sort-Object Count -Descending)
        foreach ($failure in $failures) {
            $example = $failure.Group[0]
            $what = if ($example.Passed) { 'did not fail when replayed (a hang, or flaky)' } else { "$($failure.Name) -- $($example.Message)" }
            Write-Host ("  {0,4} x {1}" -f $failure.Count, $what)
        }

        $saved = @($replayed | Where-Object Saved)

        $summary.Add([pscustomobject]@{
                Target = $name
                Seconds = Get-Stat $stats @('run_time')
                Execs = Get-Stat $stats @('execs_done')
                'Execs/s' = Get-Stat $stats @('execs_per_sec')
                Paths = Get-Stat $stats @('corpus_count', 'paths_total')
                Edges = Get-Stat $stats @('edges_found')
                Crashes = Get-Stat $stats @('saved_crashes', 'unique_crashes')
                Hangs = Get-Stat $stats @('saved_hangs', 'unique_hangs')
                DistinctFailures = @($failures | Where-Object { -not $_.Group[0].Passed }).Count
                NewRegressionFiles = $saved.Count
                Command = $command
            })
    }
}
finally {
    foreach ($name in $previous.Keys) { [Environment]::SetEnvironmentVariable($name, $previous[$name]) }
}

$summary | ConvertTo-Json | Set-Content (Join-Path $Out 'summary.json')
Write-Host ''
Write-Host "AFL++ $((Read-FuzzerStats (Join-Path $Out "$($Target[0])/default/fuzzer_stats"))['afl_version']), SharpFuzz $SharpFuzzVersion, $Seconds s per target:"
$summary | Format-Table Target, Seconds, Execs, 'Execs/s', Paths, Edges, Crashes, Hangs, DistinctFailures, NewRegressionFiles -AutoSize | Out-String -Width 200 | Write-Host
$found = ($summary | Measure-Object -Property NewRegressionFiles -Sum).Sum
if ($found -gt 0) {
    Write-Warning "$found new crash or hang input(s) saved under $Regressions; dotnet test tests/HelloSign.Core.Tests replays them. Commit them."
}
else {
    Write-Host 'No new crashes or hangs.'
}
