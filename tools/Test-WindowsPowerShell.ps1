<#
.SYNOPSIS
    Checks the built module in Windows PowerShell 5.1 against the local API emulator and prints a verdict.
.DESCRIPTION
    What the checks on Linux cannot show (docs/windows-powershell.md): Import-Module in powershell.exe, SChannel,
    ServicePointManager and the .NET Framework HTTP stack. On Windows, in a clone, with the .NET SDK installed:
        dotnet tool restore; dotnet pwsh ./build.ps1
        powershell.exe -NoProfile -ExecutionPolicy Bypass -File tools\Test-WindowsPowerShell.ps1
    It starts the emulator with dotnet, imports out\HelloSign in this session, runs a few cmdlets (HTTP, JSON,
    a journal, a trickling body that must end at the timeout, an untrusted certificate that must be a TLS error),
    stops the emulator and ends with one line: 'VERDICT: PASS ...' (exit code 0) or 'VERDICT: FAIL ...' (1).
    Written for Windows PowerShell 5.1; it also runs in PowerShell 7, where the verdict says nothing about 5.1.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '..\out\HelloSign\HelloSign.psd1'),
    [string] $EmulatorDll = (Join-Path $PSScriptRoot '..\out\emulator\HelloSign.Emulator.dll'),
    [string] $SeedPath = (Join-Path $PSScriptRoot '..\tests\data\seed.json')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Start-Emulator {
    # Windows PowerShell 5.1 can't load tools/HelloSignEmulator.psm1 (PowerShell 7 only), so this starts it plainly.
    $startInfo = New-Object System.Diagnostics.ProcessStartInfo 'dotnet'
    $startInfo.Arguments = "`"$EmulatorDll`" --seed `"$SeedPath`" --port 0 --https-port 0 --parent-pid $PID"
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $https = $null
    while ($true) {
        $nextLine = $process.StandardOutput.ReadLineAsync()
        if (-not $nextLine.Wait(30000) -or $null -eq $nextLine.Result) {
            throw 'The emulator did not report ready within 30 s.'
        }
        if ($nextLine.Result -match '^HELLOSIGN_EMULATOR_HTTPS (\S+)$') { $https = $Matches[1] }
        elseif ($nextLine.Result -match '^HELLOSIGN_EMULATOR_READY (\S+)$') {
            return [pscustomobject]@{ Process = $process; Api = "$($Matches[1])/v3"; Admin = "$($Matches[1])/__emulator"; Https = "$https/v3" }
        }
    }
}

function Stop-Emulator([object] $Emulator) {
    # The emulator exits when its stdin closes.
    $Emulator.Process.StandardInput.Close()
    if (-not $Emulator.Process.WaitForExit(10000)) { $Emulator.Process.Kill() }
}

$results = New-Object System.Collections.Generic.List[object]
function Test-Step([string] $Name, [scriptblock] $Check) {
    try {
        $detail = & $Check
        $results.Add([pscustomobject]@{ Name = $Name; Passed = $true; Detail = "$detail" })
        Write-Host "PASS  $Name  $detail"
    }
    catch {
        $results.Add([pscustomobject]@{ Name = $Name; Passed = $false; Detail = "$_" })
        Write-Host "FAIL  $Name  $_"
    }
}

function Assert-That([bool] $Condition, [string] $Failure) {
    if (-not $Condition) { throw $Failure }
}

$isWindowsPowerShell = $PSVersionTable.PSEdition -eq 'Desktop'
Write-Host "PowerShell $($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition)), CLR $([Environment]::Version), $([Environment]::OSVersion.VersionString)"
Write-Host "ServicePointManager.SecurityProtocol: $([Net.ServicePointManager]::SecurityProtocol)"

$seed = Get-Content -Raw $SeedPath | ConvertFrom-Json
$account = $seed.accounts[0]
$pending = @($seed.signature_requests | Where-Object { $_.account_id -eq $account.account_id -and $_.state -eq 'awaiting_signature' } | ForEach-Object { $_.signature_request_id })
$key = ConvertTo-SecureString -String $account.api_keys[0] -AsPlainText -Force
$emulator = Start-Emulator
$journal = Join-Path ([IO.Path]::GetTempPath()) ("hellosign-win-check-" + [guid]::NewGuid().ToString('N') + '.jsonl')
try {
    Test-Step 'Import-Module out\HelloSign' {
        $module = Import-Module $ModulePath -Force -PassThru
        "HelloSign $($module.Version), $(@($module.ExportedCmdlets.Keys).Count) cmdlets"
    }

    Test-Step 'Connect-HelloSign over HTTP (System.Text.Json reads the account)' {
        $connection = Connect-HelloSign -ApiKey $key -ApiBaseUri $emulator.Api -PassThru -InformationAction Ignore
        Assert-That ($null -ne $connection) 'no connection came back'
        "connected"
    }

    Test-Step 'Get-HelloSignSignatureRequest' {
        $request = Get-HelloSignSignatureRequest -SignatureRequestId $pending[0]
        Assert-That ($request.SignatureRequestId -eq $pending[0]) "got '$($request.SignatureRequestId)'"
        "'$($request.Title)'"
    }

    Test-Step 'Stop-HelloSignSignatureRequest with a journal' {
        $result = Stop-HelloSignSignatureRequest -SignatureRequestId $pending[1] -JournalPath $journal -Force -PassThru
        Assert-That ($null -ne $result) 'no result came back'
        $lines = @(Get-Content $journal | Where-Object { $_ -match $pending[1] })
        Assert-That ($lines.Count -ge 1) 'the journal has no line for the request'
        "journal: $($lines.Count) line(s)"
    }

    Test-Step 'ConvertFrom-HelloSignEvent with a number beyond a double' {
        $body = '{"event":{"event_time":"1669926463","event_type":"signature_request_canceled","event_hash":"x","event_metadata":{}},"signature_request":{"signature_request_id":"' + $pending[0] + '","title":"","metadata":{"n":1e400},"signatures":[]}}'
        $callback = ConvertFrom-HelloSignEvent -Body $body -SkipVerification
        Assert-That ($callback.EventType -eq 'signature_request_canceled') "read '$($callback.EventType)'"
        $callback.EventType
    }

    Test-Step 'A body still trickling in at -TimeoutSec is a Timeout error' {
        $config = @{ seed = 1; faults = @{ trickle = 1 } } | ConvertTo-Json -Compress
        $null = Invoke-RestMethod -Method Post -Uri "$($emulator.Admin)/config" -Body $config -ContentType 'application/json'
        try {
            $null = Stop-HelloSignSignatureRequest -SignatureRequestId $pending[2] -Force -TimeoutSec 2 -MaxRetry 0 -ErrorVariable errors -ErrorAction SilentlyContinue
        }
        finally {
            $null = Invoke-RestMethod -Method Post -Uri "$($emulator.Admin)/reset"
        }
        Assert-That ($errors.Count -eq 1) "$($errors.Count) errors"
        Assert-That ($errors[0].FullyQualifiedErrorId -like 'Timeout,*') "the error was $($errors[0].FullyQualifiedErrorId): $($errors[0])"
        $errors[0].FullyQualifiedErrorId
    }

    Test-Step 'An untrusted certificate is a Tls error (SChannel on Windows)' {
        try {
            $null = Connect-HelloSign -ApiKey $key -ApiBaseUri $emulator.Https -InformationAction Ignore
            throw 'Connect-HelloSign accepted an untrusted certificate'
        }
        catch [System.Management.Automation.RuntimeException] {
            Assert-That ($_.FullyQualifiedErrorId -like 'Tls,*') "the error was $($_.FullyQualifiedErrorId): $_"
            $_.FullyQualifiedErrorId
        }
    }
}
finally {
    Stop-Emulator $emulator
    Remove-Item "$journal*" -ErrorAction SilentlyContinue
}

$failedCount = @($results | Where-Object { -not $_.Passed }).Count
$where = if ($isWindowsPowerShell) { "Windows PowerShell $($PSVersionTable.PSVersion)" } else { "PowerShell $($PSVersionTable.PSVersion), not Windows PowerShell 5.1: this says nothing about 5.1" }
if ($failedCount -eq 0) {
    Write-Host "VERDICT: PASS ($($results.Count) of $($results.Count) checks) on $where"
    exit 0
}
Write-Host "VERDICT: FAIL ($failedCount of $($results.Count) checks failed) on $where"
exit 1
