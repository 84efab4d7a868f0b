<#
.SYNOPSIS
    The start of the sandbox's interactive shell (tools/Sandbox.ps1 runs it with pwsh -NoExit): imports the
    module and the emulator's driver, connects to the emulator, and says what it is and what to try.
#>
param(
    [Parameter(Mandatory)] [string] $ApiBaseUri,
    [Parameter(Mandatory)] [string] $AdminUri,
    [Parameter(Mandatory)] [string] $SeedPath,
    [Parameter(Mandatory)] [int] $EmulatorProcessId
)

# pwsh -NoExit -File runs this in the global scope: the preferences and helper variables stay in this block, so
# that the shell the user gets has PowerShell's defaults.
& {
    $ErrorActionPreference = 'Stop'
    $root = Split-Path $PSScriptRoot -Parent
    # As the README's install from source says: with out/ on PSModulePath, 'Import-Module HelloSign' finds the
    # build, also in the runspaces of ForEach-Object -Parallel.
    $env:PSModulePath = (Join-Path $root 'out') + [IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module HelloSign
    Import-Module (Join-Path $root 'tools/HelloSignEmulator.psm1')

    $global:Sandbox = [pscustomobject]@{
        PSTypeName = 'HelloSign.Emulator'
        ApiBaseUri = $ApiBaseUri
        AdminUri   = $AdminUri
        HttpsUri   = $null
        Process    = Get-Process -Id $EmulatorProcessId
        Seed       = Get-Content -Raw -LiteralPath $SeedPath | ConvertFrom-Json
        SeedPath   = $SeedPath
    }
    # The README's recipes call Connect-HelloSign without -ApiBaseUri: here they reach the emulator, never the real API.
    $global:PSDefaultParameterValues['Connect-HelloSign:ApiBaseUri'] = $ApiBaseUri
    function global:prompt { "[sandbox] PS $($ExecutionContext.SessionState.Path.CurrentLocation)$('>' * ($NestedPromptLevel + 1)) " }

    $accounts = @($Sandbox.Seed.accounts)
    $config = Invoke-RestMethod -Uri "$AdminUri/config" -NoProxy
    Connect-HelloSign -ApiKey (ConvertTo-SecureString $accounts[0].api_keys[0] -AsPlainText -Force)

    # Demo keys of a local emulator, printed on purpose: they open nothing but this sandbox.
    $rateLimit = $config.rate_limit
    @(
        ''
        'HelloSign sandbox: a local emulator with demo data. Nothing here reaches HelloSign.'
        "  API         $ApiBaseUri (emulator process $EmulatorProcessId; it stops when you leave this shell)"
        "  Rate limit  $($rateLimit.limit) requests per $($rateLimit.window_seconds) s per account; a cancel completes $($config.cancel_delay_ms / 1000) s after it is queued"
        foreach ($account in $accounts) {
            "  Account     {0,-30} API key {1}" -f $account.email_address, $account.api_keys[0]
        }
        "  Folder      $(Get-Location) (ids.txt: demo/ids.txt, with a duplicate, links, junk and a completed request)"
        ''
        "The README's everyday recipes work here as written: Connect-HelloSign connects to the sandbox; paste a key"
        "above at its 'API key' prompt. You are connected as $($accounts[0].email_address). To try:"
        '  Get-HelloSignSignatureRequest -Incomplete'
        '  Get-Content ids.txt | Stop-HelloSignSignatureRequest -WhatIf'
        '  New-HelloSignEmulatorRequest $Sandbox -Count 300 | Stop-HelloSignSignatureRequest -Force -PassThru   # the rate limit at work'
        '  Get-HelloSignEmulatorLog $Sandbox | Format-Table seq, method, path, status                         # what the API received'
        '  Reset-HelloSignEmulator $Sandbox                                                                  # back to the demo data'
        'Leave with: exit'
        ''
    )
}
