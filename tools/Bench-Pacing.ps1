<#
.SYNOPSIS
    Issue 14's benchmarks: pacing when the rate-limit headers are missing, partial or odd. Run by tools/Bench.ps1
    (dotnet pwsh ./build.ps1 -Task Bench), which calls it last; or alone: dotnet pwsh ./tools/Bench-Pacing.ps1 [-Case ...].
.DESCRIPTION
    Each case runs 1,000 ids at the default -ThrottleLimit and at 8 against a fresh emulator limit, in a child pwsh, and
    reads from the emulator's log how many requests it answered 429 and when the accepted ones arrived; the results'
    RateLimitReset says which fixed window each id went in. Every id is checked canceled exactly once. Run with every
    case, it replaces its section of docs/benchmarks.md.
#>
param(
    [ValidateSet('TokenBucket', 'HeadersOn2xxOnly', 'FullHeaders', 'RepeatedRuns')]
    [string[]] $Case = @('TokenBucket', 'HeadersOn2xxOnly', 'FullHeaders', 'RepeatedRuns')
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$root = Split-Path $PSScriptRoot -Parent
$manifest = Join-Path $root 'out/HelloSign/HelloSign.psd1'
$work = Join-Path $root 'out/bench'
$null = New-Item -ItemType Directory -Force $work
Import-Module (Join-Path $root 'tools/HelloSignEmulator.psm1')

# Runs Stop-HelloSignSignatureRequest in a fresh pwsh over each batch of ids in turn, on one connection (as one
# session would); returns per batch the seconds it took, its failed ids and how many of its ids went in each window.
function Invoke-Runs([string[][]] $Batches, [int] $ThrottleLimit) {
    $files = for ($i = 0; $i -lt $Batches.Count; $i++) {
        $file = Join-Path $work "pacing-ids-$i.txt"
        Set-Content $file $Batches[$i]
        $file
    }
    $throttle = if ($ThrottleLimit) { "-ThrottleLimit $ThrottleLimit" } else { '' }
    $child = Join-Path $work 'pacing-child.ps1'
    Set-Content $child @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
Connect-HelloSign -ApiKey (ConvertTo-SecureString '$key' -AsPlainText -Force) -ApiBaseUri '$($emulator.ApiBaseUri)' -InformationAction Ignore
`$runs = foreach (`$file in '$($files -join "','")') {
    `$watch = [Diagnostics.Stopwatch]::StartNew()
    `$results = Get-Content `$file | Stop-HelloSignSignatureRequest -Force -PassThru $throttle -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    `$windows = @(`$results | Where-Object RateLimitReset | Group-Object { `$_.RateLimitReset.Ticks } | Sort-Object { [long] `$_.Name } | ForEach-Object { @{ reset = [long] `$_.Name; count = `$_.Count } })
    @{ seconds = `$watch.Elapsed.TotalSeconds; failed = `$failed.Count; windows = `$windows }
}
ConvertTo-Json -Depth 5 -Compress -InputObject @(`$runs)
"@
    $lines = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $child
    if ($LASTEXITCODE -ne 0) { throw "A pacing benchmark child failed:`n$($lines -join "`n")" }
    $lines | Select-Object -Last 1 | ConvertFrom-Json
}

function New-Batch([int] $Count, [hashtable] $RateLimit) {
    Reset-HelloSignEmulator -Emulator $emulator
    Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = $RateLimit }
    $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count $Count
    Clear-HelloSignEmulatorLog -Emulator $emulator
    $ids
}

function Assert-AllCanceled([string[]] $Ids, [string] $What) {
    $set = [Collections.Generic.HashSet[string]]::new([string[]] $Ids)
    $canceled = @(Get-HelloSignEmulatorState -Emulator $emulator | Where-Object { $set.Contains($_.signature_request_id) -and $_.cancel_count -eq 1 }).Count
    if ($canceled -ne $Ids.Count) { throw "$What canceled $canceled of $($Ids.Count) ids." }
}

# The cancels the emulator answered, split into 429s and accepted ones (with the span from the first to the last).
function Get-CancelTraffic {
    $cancels = @(Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -Like '*/signature_request/cancel/*')
    $accepted = @($cancels | Where-Object status -EQ 200)
    [pscustomobject]@{
        RateLimited = @($cancels | Where-Object status -EQ 429).Count
        Accepted    = $accepted.Count
        Span        = (($accepted | Measure-Object ended_at_ms -Maximum).Maximum - ($accepted | Measure-Object started_at_ms -Minimum).Minimum) / 1000
    }
}

$throttleLimits = @(@{ Name = 'default'; Value = 0 }, @{ Name = '8'; Value = 8 })
$rows = [Collections.Generic.List[object]]::new()
function Add-Row([string] $Name, [string] $Throttle, [double] $Seconds, [string] $Allowance, [string] $RateLimited, [int] $Failed, [string] $Met, [string] $Note = '') {
    $row = [pscustomobject]@{ Case = $Name; ThrottleLimit = $Throttle; Seconds = [math]::Round($Seconds, 1); Allowance = $Allowance; '429s' = $RateLimited; Failed = $Failed; Met = $Met; Note = $Note }
    $rows.Add($row)
    $row | Format-Table -HideTableHeaders | Out-String -Width 200 | Write-Host -NoNewline
}

# The machine is shared: its load is part of what the figures mean.
$load = { ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0] }
$loadAtStart = & $load
$emulator = Start-HelloSignEmulator
try {
    $key = $emulator.Seed.accounts[0].api_keys[0]

    if ('TokenBucket' -in $Case) {
        # nginx-like: 40 a second, a burst of 5, and not a single rate-limit header on any response (the issue's case);
        # then as API gateways do it, with Retry-After (whole seconds) on each 429.
        foreach ($variant in @(
                @{ Label = 'token bucket 40/s burst 5, no headers'; RetryAfter = 'none'; HasTarget = $true }
                @{ Label = 'token bucket 40/s burst 5, Retry-After only'; RetryAfter = 'seconds'; HasTarget = $false })) {
            foreach ($throttle in $throttleLimits) {
                # The same run without a limit first (the emulator's default is the real 100 a minute, so a limit too
                # high to reach): on a busy machine the client itself may not reach 40/s.
                $ids = New-Batch 1000 @{ limit = 1000000 }
                $null = Invoke-Runs (, $ids) $throttle.Value
                $unlimited = Get-CancelTraffic
                $ids = New-Batch 1000 @{ kind = 'token_bucket'; rate_per_second = 40; burst = 5; retry_after = $variant.RetryAfter }
                $run = (Invoke-Runs (, $ids) $throttle.Value)[0]
                Assert-AllCanceled $ids $variant.Label
                $traffic = Get-CancelTraffic
                # What the bucket could have accepted from the first accepted request to the last: the burst and 40 a second.
                $share = $traffic.Accepted / (5 + 40 * $traffic.Span)
                $perId = $traffic.RateLimited / $ids.Count
                $met = $share -ge 0.95 -and $perId -le 0.1 -and $run.failed -eq 0
                $note = 'without a limit the same run went at {0:0}/s' -f ($unlimited.Accepted / $unlimited.Span)
                if (-not $variant.HasTarget) {
                    # Not one of the issue's cases: shown against the same bar, for comparison.
                    $note = "no target in the issue (by the token bucket's bar: $met); the first 429s' Retry-After (1 s) holds every request then in flight; $note"
                    $met = 'n/a'
                }
                Add-Row $variant.Label $throttle.Name $run.seconds ('{0:0.0}% ({1:0.0}/s)' -f (100 * $share), ($traffic.Accepted / $traffic.Span)) ('{0} ({1:0.000} per id)' -f $traffic.RateLimited, $perId) $run.failed $met $note
            }
        }
    }

    # HelloSign's fixed window, 50 per 2 s; the full windows (all but the first and last) show the sustained use.
    foreach ($variant in @(
            @{ Name = 'HeadersOn2xxOnly'; Label = 'fixed window 50 per 2 s, headers on 200s only'; Config = @{ window_seconds = 2; limit = 50; headers_on_429 = $false; retry_after = 'none' } }
            @{ Name = 'FullHeaders'; Label = 'fixed window 50 per 2 s, full headers'; Config = @{ window_seconds = 2; limit = 50 } }) | Where-Object Name -In $Case) {
        foreach ($throttle in $throttleLimits) {
            $ids = New-Batch 1000 $variant.Config
            $run = (Invoke-Runs (, $ids) $throttle.Value)[0]
            Assert-AllCanceled $ids $variant.Label
            $traffic = Get-CancelTraffic
            $full = @($run.windows | Select-Object -Skip 1 | Select-Object -SkipLast 1 | ForEach-Object count)
            $share = ($full | Measure-Object -Sum).Sum / ($full.Count * 50)
            $lowest = ($full | Measure-Object -Minimum).Minimum / 50
            $windowCount = @($run.windows).Count
            $met = if ($variant.Name -eq 'FullHeaders') { $lowest -eq 1 -and $traffic.RateLimited -eq 0 } else { $lowest -ge 0.95 -and $traffic.RateLimited -le $windowCount }
            Add-Row $variant.Label $throttle.Name $run.seconds ('{0:0.0}% of each full window (lowest {1:0}%)' -f (100 * $share), (100 * $lowest)) ('{0} in {1} windows' -f $traffic.RateLimited, $windowCount) $run.failed $met "per window: $(@($run.windows | ForEach-Object count) -join ' ')"
        }
    }

    if ('RepeatedRuns' -in $Case) {
        # Ten runs of 60 ids back to back on one connection at 20 per 20 s. A run takes an extra window when one of its
        # windows other than its last goes partly unused. Connect-HelloSign's own request counts in the first window.
        $ids = New-Batch 600 @{ window_seconds = 20; limit = 20 }
        $batches = [string[][]] @(for ($i = 0; $i -lt 10; $i++) { , $ids[($i * 60)..($i * 60 + 59)] })
        $runs = Invoke-Runs $batches 0
        Assert-AllCanceled $ids 'repeated runs'
        $used = @{}
        foreach ($window in $runs.windows) { $used[$window.reset] = $used[$window.reset] + $window.count }
        $first = [long] ($runs.windows.reset | Measure-Object -Minimum).Minimum # Measure-Object gives a double: not the same key
        $used[$first]++
        $extra = @($runs | Where-Object { @($_.windows | Select-Object -SkipLast 1 | Where-Object { $used[$_.reset] -lt 20 }).Count -gt 0 })
        $traffic = Get-CancelTraffic
        $seconds = @($runs.seconds | ForEach-Object { '{0:0.0}' -f $_ }) -join ' '
        $perRun = @($runs | ForEach-Object { @($_.windows | ForEach-Object count) -join '+' }) -join ', '
        Add-Row 'ten runs of 60 ids, 20 per 20 s, full headers' 'default' ($runs.seconds | Measure-Object -Sum).Sum "$($extra.Count) of 10 runs took an extra window" $traffic.RateLimited (($runs.failed | Measure-Object -Sum).Sum) ($extra.Count -eq 0) "seconds per run: $seconds; ids per window: $perRun"
    }
}
finally {
    Stop-HelloSignEmulator -Emulator $emulator
}

$rows | Format-Table -AutoSize | Out-String -Width 240 | Write-Host
if ($Case.Count -lt 4) {
    return
}

$columns = 'Case', 'ThrottleLimit', 'Seconds', 'Allowance', '429s', 'Failed', 'Met', 'Note'
$section = @(
    '<!-- pacing: written by tools/Bench-Pacing.ps1 -->'
    '## Pacing when the rate-limit headers are missing, partial or odd (issue 14)'
    ''
    "Produced by ``dotnet pwsh ./build.ps1 -Task Bench`` (or ``dotnet pwsh ./tools/Bench-Pacing.ps1``) on $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC, $([Environment]::ProcessorCount) cores, load average $loadAtStart at the start and $(& $load) at the end."
    '1,000 ids per case, each in a fresh child pwsh against the emulator. "Allowance" for the token bucket is the accepted'
    'requests over what it could accept between the first and the last (5 + 40/s); for a fixed window, the use of the full'
    'windows (all but the first and last). 429s are counted from the emulator log. Targets (Met): token bucket without headers >= 95% and'
    '<= 0.1 429s per id; headers on 200s only >= 95% of each full window and at most one 429 per window; full headers 100%'
    'and no 429; repeated runs: none takes an extra window. All with 0 failed.'
    ''
    ('| ' + ($columns -join ' | ') + ' |')
    ('|' + (($columns | ForEach-Object { '---' }) -join '|') + '|')
    foreach ($row in $rows) { '| ' + (($columns | ForEach-Object { $row.$_ }) -join ' | ') + ' |' }
    '<!-- /pacing -->'
) -join "`n"
$path = Join-Path $root 'docs/benchmarks.md'
$text = (Get-Content $path -Raw).TrimEnd()
$text = if ($text -match '(?s)<!-- pacing:.*<!-- /pacing -->') { $text -replace '(?s)<!-- pacing:.*<!-- /pacing -->', { $section } } else { "$text`n`n$section" }
Set-Content $path $text
Write-Host 'Wrote the pacing section of docs/benchmarks.md'
