<#
.SYNOPSIS
    The benchmarks behind the figures in README.md and docs/benchmarks.md. Run by: dotnet pwsh ./build.ps1 -Task Bench
.DESCRIPTION
    Everything runs against one local emulator. Each timed run is a fresh child pwsh that times only the work
    (not its own start-up), and the emulator's state is checked afterwards so a fast wrong run can't count.
    Writes docs/benchmarks.md.
#>
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$root = Split-Path $PSScriptRoot -Parent
$manifest = Join-Path $root 'out/HelloSign/HelloSign.psd1'
$floor = Join-Path $root 'out/httpfloor/HttpFloor.dll'
$work = Join-Path $root 'out/bench'
$null = New-Item -ItemType Directory -Force $work
$idsFile = Join-Path $work 'ids.txt'
Import-Module (Join-Path $root 'tools/HelloSignEmulator.psm1')

function Invoke-Child([string] $Script) {
    $file = Join-Path $work 'child.ps1'
    Set-Content $file ("`$ErrorActionPreference = 'Stop'`n" + $Script)
    $lines = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $file
    if ($LASTEXITCODE -ne 0) { throw "A benchmark child failed:`n$($lines -join "`n")" }
    $lines | Select-Object -Last 1 | ConvertFrom-Json
}

function New-Ids([int] $Count, [hashtable] $Config = @{}) {
    Reset-HelloSignEmulator -Emulator $emulator
    Set-HelloSignEmulatorConfig -Emulator $emulator -Config $Config
    $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count $Count
    Set-Content $idsFile $ids
    Clear-HelloSignEmulatorLog -Emulator $emulator
    $ids
}

function Assert-AllCanceled([string[]] $Ids, [string] $Case) {
    $set = [Collections.Generic.HashSet[string]]::new([string[]] $Ids)
    $canceled = @(Get-HelloSignEmulatorState -Emulator $emulator | Where-Object { $set.Contains($_.signature_request_id) -and $_.cancel_count -eq 1 }).Count
    if ($canceled -ne $Ids.Count) { throw "$Case canceled $canceled of $($Ids.Count) ids." }
}

$connect = "Connect-HelloSign -ApiKey (ConvertTo-SecureString '{0}' -AsPlainText -Force) -ApiBaseUri '{1}' -InformationAction Ignore"
function Measure-Module([int] $ThrottleLimit = 0) {
    $throttle = if ($ThrottleLimit) { "-ThrottleLimit $ThrottleLimit" } else { '' }
    Invoke-Child @"
Import-Module '$manifest'
$($connect -f $key, $emulator.ApiBaseUri)
`$watch = [Diagnostics.Stopwatch]::StartNew()
Get-Content '$idsFile' | Stop-HelloSignSignatureRequest -Force $throttle
@{ seconds = `$watch.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
}

function Measure-InvokeRestMethod {
    Invoke-Child @"
`$headers = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('${key}:')) }
`$watch = [Diagnostics.Stopwatch]::StartNew()
Get-Content '$idsFile' | ForEach-Object { `$null = Invoke-RestMethod -Method Post -Uri "$($emulator.ApiBaseUri)/signature_request/cancel/`$_" -Headers `$headers }
@{ seconds = `$watch.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
}

function Measure-Floor {
    $line = & dotnet $floor $emulator.ApiBaseUri $key $idsFile
    if ($LASTEXITCODE -ne 0) { throw 'HttpFloor failed.' }
    $line | ConvertFrom-Json
}

$rows = [Collections.Generic.List[object]]::new()
function Add-Row([string] $Case, [string] $Variant, [double] $Seconds, [int] $Count, [string] $Note = '') {
    $row = [pscustomobject]@{ Case = $Case; Variant = $Variant; Seconds = [math]::Round($Seconds, 2); PerSecond = [math]::Round($Count / $Seconds, 1); Note = $Note }
    $rows.Add($row)
    $row | Format-Table -HideTableHeaders | Out-String -Width 160 | Write-Host -NoNewline
}

# Unlimited unless a case sets its own limit: the emulator's default is the real 100 requests per minute.
$emulator = Start-HelloSignEmulator -Config @{ rate_limit = @{ limit = 1000000 } }
try {
    $key = $emulator.Seed.accounts[0].api_keys[0]
    Write-Host "Emulator at $($emulator.ApiBaseUri)"

    # Warm the emulator up (JIT, thread pool) so that whichever variant runs first isn't penalised.
    $null = New-Ids 5000
    $null = Measure-Floor

    # 1. 5,000 ids, no added latency: the median of three runs of each variant, interleaved, since a shared
    #    2-core machine is noisy.
    $runs = @{ floor = @(); irm = @(); module = @() }
    foreach ($round in 1..3) {
        $ids = New-Ids 5000; $runs.floor += (Measure-Floor).seconds; Assert-AllCanceled $ids 'HttpFloor'
        $ids = New-Ids 5000; $runs.irm += (Measure-InvokeRestMethod).seconds; Assert-AllCanceled $ids 'Invoke-RestMethod'
        $ids = New-Ids 5000; $runs.module += (Measure-Module).seconds; Assert-AllCanceled $ids 'module default'
    }

    $floorRun = @{ seconds = ($runs.floor | Sort-Object)[1] }
    $irm = @{ seconds = ($runs.irm | Sort-Object)[1] }
    $module = @{ seconds = ($runs.module | Sort-Object)[1] }
    $spread = { param($values) 'median of 3: ' + (($values | ForEach-Object { '{0:0.00}' -f $_ }) -join ', ') }
    Add-Row '5,000 ids, no latency' 'C# HttpClient loop (floor)' $floorRun.seconds 5000 (& $spread $runs.floor)
    Add-Row '5,000 ids, no latency' 'Invoke-RestMethod loop' $irm.seconds 5000 (& $spread $runs.irm)
    Add-Row '5,000 ids, no latency' 'Stop-HelloSignSignatureRequest -Force (default)' $module.seconds 5000 (& $spread $runs.module)

    # 2. 1,000 ids with 100 ms latency, one at a time vs. 8 in flight (and the default).
    $latencyRuns = @{}
    foreach ($limit in 1, 4, 8) {
        $ids = New-Ids 1000 @{ latency_ms = 100 }
        $latencyRuns[$limit] = Measure-Module $limit; Assert-AllCanceled $ids "ThrottleLimit $limit"
        Add-Row '1,000 ids, 100 ms latency' "-ThrottleLimit $limit" $latencyRuns[$limit].seconds 1000 $(if ($limit -eq 4) { 'default' } else { '' })
    }

    # 3. A rate-limited run: 100 requests per 2 s window (50/s), 1,000 ids. Each result carries the window it was
    #    sent in (RateLimitReset); the full windows (all but the first and last, which are partial) show the
    #    sustained use of the allowance.
    $ids = New-Ids 1000 @{ rate_limit = @{ window_seconds = 2; limit = 100 } }
    $limited = Invoke-Child @"
Import-Module '$manifest'
$($connect -f $key, $emulator.ApiBaseUri)
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$results = Get-Content '$idsFile' | Stop-HelloSignSignatureRequest -Force -PassThru -ErrorVariable failed
`$windows = `$results | Group-Object RateLimitReset | Sort-Object Name | ForEach-Object Count
@{ seconds = `$watch.Elapsed.TotalSeconds; windows = @(`$windows); failed = `$failed.Count } | ConvertTo-Json -Compress
"@
    Assert-AllCanceled $ids 'rate-limited'
    $rateLimited429 = @(Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object status -EQ 429).Count
    $fullWindows = @($limited.windows | Select-Object -Skip 1 | Select-Object -SkipLast 1)
    $sustainedRate = ($fullWindows | Measure-Object -Sum).Sum / ($fullWindows.Count * 2)
    Add-Row 'rate limit 100 per 2 s (50/s)' 'Stop-HelloSignSignatureRequest -Force' $limited.seconds 1000 "$rateLimited429 429s, $($limited.failed) failed; per window: $($limited.windows -join ' ')"

    # 4. Import-Module cost on a bare pwsh -NoProfile start, two ways (median of 11 fresh processes each):
    #    - interactive: pwsh's console loads PSReadLine at start, which also initializes PowerShell's format
    #      database; then Import-Module HelloSign is timed inside the process;
    #    - non-interactive (-Command, runbooks): the same one-line script with and without the import, interleaved.
    #      Here the module's FormatsToProcess is the first to need the format database, and pays its one-time set-up.
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $interactive = 1..11 | ForEach-Object { (Invoke-Child "Import-Module PSReadLine; `$t = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$manifest'; @{ ms = `$t.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress").ms } | Sort-Object
    $bare = [Collections.Generic.List[double]]::new(); $with = [Collections.Generic.List[double]]::new()
    foreach ($i in 1..11) {
        $bare.Add((Measure-Command { & dotnet $pwshDll -NoProfile -NonInteractive -Command '$null = 0; exit' }).TotalMilliseconds)
        $with.Add((Measure-Command { & dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$manifest'; exit" }).TotalMilliseconds)
    }
    $bareMedian = ($bare | Sort-Object)[5]; $withMedian = ($with | Sort-Object)[5]
    $importInteractive = $interactive[5]
    $importCold = $withMedian - $bareMedian

    # 5. Loading a journal of 100,000 lines.
    $journal = Join-Path $work 'journal.jsonl'
    $account = $emulator.Seed.accounts[0].account_id
    $writer = [IO.StreamWriter]::new($journal)
    for ($i = 0; $i -lt 100000; $i++) { $writer.WriteLine('{"id":"' + ('{0:x40}' -f $i) + '","outcome":"Queued","error":null,"time":"2026-11-29T10:00:00.000Z","account_id":"' + $account + '","action":"Cancel"}') }
    $writer.Dispose()
    $journalLoad = Invoke-Child @"
Add-Type -Path '$(Join-Path $root 'out/HelloSign/HelloSign.Core.dll')'
`$null = [HelloSign.Core.Journal.OutcomeJournal]::Open('$journal', '$account', 'Cancel', `$true).Dispose()
`$t = Measure-Command { `$j = [HelloSign.Core.Journal.OutcomeJournal]::Open('$journal', '$account', 'Cancel', `$true); `$n = `$j.FinalCount; `$j.Dispose() }
@{ ms = `$t.TotalMilliseconds; final = `$n } | ConvertTo-Json -Compress
"@

    # 6. Streaming: ids generated on the fly through the pipeline with -WhatIf; peak memory vs. count.
    $streaming = foreach ($count in 100000, 1000000) {
        $run = Invoke-Child @"
Import-Module '$manifest'
$($connect -f $key, $emulator.ApiBaseUri)
`$watch = [Diagnostics.Stopwatch]::StartNew()
1..$count | ForEach-Object { '{0:x40}' -f `$_ } | Stop-HelloSignSignatureRequest -WhatIf -InformationVariable info 6>`$null | Out-Null
[GC]::Collect()
@{ seconds = `$watch.Elapsed.TotalSeconds; peakMB = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB; received = `$info[-1].MessageData.Received } | ConvertTo-Json -Compress
"@ 
        [pscustomobject]@{ Count = $count; Seconds = [math]::Round($run.seconds, 1); PeakMB = [math]::Round($run.peakMB); Received = $run.received }
    }

    # 7. Reading 5,000 requests (50 pages of 100): the typed listing vs. Invoke-HelloSignRequest -All, which
    #    converts every page with ConvertFrom-Json; each run must have written every request.
    $null = New-Ids 5000
    foreach ($variant in 'Get-HelloSignSignatureRequest', 'Invoke-HelloSignRequest signature_request/list -All') {
        $listing = Invoke-Child @"
Import-Module '$manifest'
$($connect -f $key, $emulator.ApiBaseUri)
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$count = @($variant).Count
@{ seconds = `$watch.Elapsed.TotalSeconds; count = `$count } | ConvertTo-Json -Compress
"@
        if ($listing.count -lt 5000) { throw "$variant wrote $($listing.count) requests." }
        Add-Row "list $($listing.count) requests" $variant $listing.seconds $listing.count
    }
}
finally {
    Stop-HelloSignEmulator -Emulator $emulator
}

$vsIrm = $irm.seconds / $module.seconds
$vsFloor = $module.seconds / $floorRun.seconds
$concurrency = $latencyRuns[1].seconds / $latencyRuns[8].seconds
$allowanceShare = $sustainedRate / 50
$targets = @(
    [pscustomobject]@{ Target = 'default module run >= 5x faster than the Invoke-RestMethod loop'; Measured = '{0:0.0}x' -f $vsIrm; Met = $vsIrm -ge 5 }
    [pscustomobject]@{ Target = 'default module run within 1.5x of the raw HttpClient loop'; Measured = '{0:0.00}x' -f $vsFloor; Met = $vsFloor -le 1.5 }
    [pscustomobject]@{ Target = '100 ms latency: -ThrottleLimit 8 >= 6x faster than 1'; Measured = '{0:0.0}x' -f $concurrency; Met = $concurrency -ge 6 }
    [pscustomobject]@{ Target = 'rate-limited: sustained >= 95% of the allowance, 0 failed'; Measured = '{0:0.0}% ({1:0.0}/s of 50/s)' -f (100 * $allowanceShare), $sustainedRate; Met = $allowanceShare -ge 0.95 }
    [pscustomobject]@{ Target = 'Import-Module adds < 100 ms to pwsh -NoProfile (interactive start)'; Measured = '{0:0} ms' -f $importInteractive; Met = $importInteractive -lt 100 }
    [pscustomobject]@{ Target = 'the same, non-interactive -Command start (first use of the format database)'; Measured = '{0:0} ms (start {1:0} -> {2:0} ms)' -f $importCold, $bareMedian, $withMedian; Met = $importCold -lt 100 }
    [pscustomobject]@{ Target = 'journal of 100,000 lines loads in < 1 s'; Measured = '{0:0} ms' -f $journalLoad.ms; Met = $journalLoad.ms -lt 1000 }
    [pscustomobject]@{ Target = '1,000,000 ids streamed with -WhatIf: whole pwsh process peaks < 200 MB'; Measured = '{0:0} MB' -f $streaming[-1].PeakMB; Met = $streaming[-1].PeakMB -lt 200 }
)

$rows | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
$targets | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
$streaming | Format-Table -AutoSize | Out-String -Width 160 | Write-Host

$cpu = (Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '.*:\s*'
$memory = ((Get-Content /proc/meminfo -ErrorAction SilentlyContinue | Select-Object -First 1) -replace '\D') / 1MB
$table = { param($items, $columns) ('| ' + ($columns -join ' | ') + ' |'); ('|' + (($columns | ForEach-Object { '---' }) -join '|') + '|'); foreach ($item in $items) { '| ' + (($columns | ForEach-Object { $item.$_ }) -join ' | ') + ' |' } }
@(
    '# Benchmarks'
    ''
    'Produced by `dotnet pwsh ./build.ps1 -Task Bench` (tools/Bench.ps1), which rewrites this file. Every run is against the'
    'local emulator on loopback (src/HelloSign.Emulator), in a fresh child pwsh that times only the work; after each run the'
    'emulator is checked to have canceled every id exactly once.'
    ''
    "Run on $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC; machine: $([Environment]::ProcessorCount) cores ($cpu), $([math]::Round($memory)) GB, $([Runtime.InteropServices.RuntimeInformation]::OSDescription); PowerShell $($PSVersionTable.PSVersion); .NET $([Environment]::Version)."
    'The emulator shares the two cores with the client, so absolute rates are lower than against a remote API; the ratios are the point.'
    ''
    '## Targets'
    ''
    & $table $targets 'Target', 'Measured', 'Met'
    ''
    '## Runs'
    ''
    & $table $rows 'Case', 'Variant', 'Seconds', 'PerSecond', 'Note'
    ''
    '## Streaming with -WhatIf (ids generated in the pipeline, never buffered)'
    ''
    'Memory grows with the run''s ledger of distinct ids (a 40-hex id in 20 bytes plus a state byte, about 25-37 bytes with the table''s slack), not with the input. PeakMB is the whole pwsh process''s peak working set.'
    ''
    & $table $streaming 'Count', 'Seconds', 'PeakMB', 'Received'
) | Set-Content (Join-Path $root 'docs/benchmarks.md')
Write-Host "Wrote docs/benchmarks.md"
& (Join-Path $PSScriptRoot 'Bench-Pacing.ps1') # issue 14: adds its own section to docs/benchmarks.md
