<#
.SYNOPSIS
    The main job, end to end, against the local emulator: pipe an ids file with a few bad lines into
    Stop-HelloSignSignatureRequest and show what happened. Run by: dotnet pwsh ./build.ps1 -Task Demo
#>
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $root 'out/HelloSign/HelloSign.psd1')
Import-Module (Join-Path $root 'tools/HelloSignEmulator.psm1')

function Write-Section([string] $Title) { "`n== $Title ==" }

$emulator = Start-HelloSignEmulator -SeedPath (Join-Path $root 'demo/seed.json')
try {
    Write-Section "Connecting to the local emulator at $($emulator.ApiBaseUri) (a real HTTP server on loopback)"
    # In real use: Connect-HelloSign -ApiKey (Read-Host -AsSecureString 'API key')
    $key = ConvertTo-SecureString $emulator.Seed.accounts[0].api_keys[0] -AsPlainText -Force
    Connect-HelloSign -ApiKey $key -ApiBaseUri $emulator.ApiBaseUri
    Get-HelloSignConnection | Format-Table | Out-String -Width 120

    $idsFile = Join-Path $root 'demo/ids.txt'
    Write-Section "demo/ids.txt as it is on disk (UTF-8 BOM, CRLF; [TAB] and [CR] shown)"
    $raw = [IO.File]::ReadAllText($idsFile)
    $raw.TrimStart([char]0xFEFF) -split "`n" | ForEach-Object { '  ' + ($_ -replace "`t", '[TAB]' -replace "`r", '[CR]') }

    Write-Section 'Get-Content demo/ids.txt | Stop-HelloSignSignatureRequest -Force -PassThru'
    $results = Get-Content $idsFile |
        Stop-HelloSignSignatureRequest -Force -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue `
            -WarningVariable warnings -WarningAction SilentlyContinue -InformationVariable information
    $results | Format-Table | Out-String -Width 120

    Write-Section "Warnings ($($warnings.Count))"
    $warnings | ForEach-Object { "  $_" }

    Write-Section "Errors ($($failures.Count)): each has the id as TargetObject, a stable ErrorId and a category"
    $failures | Select-Object @{ n = 'TargetObject'; e = { $_.TargetObject } },
        @{ n = 'ErrorId'; e = { $_.FullyQualifiedErrorId -replace ',.*' } },
        @{ n = 'Category'; e = { $_.CategoryInfo.Category } } | Format-Table -AutoSize | Out-String -Width 120
    $failures | ForEach-Object { "  $($_.TargetObject): $($_.Exception.Message)" }

    Write-Section 'Summary (Information stream, tag Summary)'
    '  ' + ($information | Where-Object { $_.Tags -contains 'Summary' } | Select-Object -Last 1).MessageData

    Write-Section 'What the emulator received and its state now'
    Get-HelloSignEmulatorLog -Emulator $emulator | Select-Object seq, method, path, status, auth_scheme |
        Format-Table -AutoSize | Out-String -Width 120
    $titles = @{}
    $emulator.Seed.signature_requests | ForEach-Object { $titles[$_.signature_request_id] = $_.title }
    Get-HelloSignEmulatorState -Emulator $emulator |
        Select-Object signature_request_id, state, cancel_count, @{ n = 'title'; e = { $titles[$_.signature_request_id] } } |
        Format-Table -AutoSize | Out-String -Width 120

    Write-Section 'Those cancels are only Queued: the API cancels asynchronously. -Wait reads two new ones until they are Canceled'
    New-HelloSignEmulatorRequest -Emulator $emulator -Count 2 | Stop-HelloSignSignatureRequest -Force -PassThru -Wait |
        Select-Object SignatureRequestId, Status, Time | Format-Table -AutoSize | Out-String -Width 120

    # The README's retry recipe: not-ids (InvalidArgument), unknown ids (ObjectNotFound) and completed requests
    # (InvalidOperation) would only fail again, so only the rest is retried.
    Write-Section 'Retrying the ids that failed for a reason that can pass (preview), as the README''s retry recipe does'
    '  $failures | Where-Object { $_.CategoryInfo.Category -notin ''InvalidArgument'', ''ObjectNotFound'', ''InvalidOperation'' } |'
    '      ForEach-Object TargetObject | Stop-HelloSignSignatureRequest -WhatIf'
    $retryable = @($failures | Where-Object { $_.CategoryInfo.Category -notin 'InvalidArgument', 'ObjectNotFound', 'InvalidOperation' })
    if ($retryable) { $retryable | ForEach-Object TargetObject | Stop-HelloSignSignatureRequest -WhatIf }
    else { "  Nothing to retry: each of the $($failures.Count) failures would fail again." }
}
finally {
    Disconnect-HelloSign -Confirm:$false
    Stop-HelloSignEmulator -Emulator $emulator
}
