# Shared set-up for the Pester tests: the built module (as users import it) and the local API emulator.
$ErrorActionPreference = 'Stop'
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $RepoRoot 'out/HelloSign/HelloSign.psd1'
if (-not (Test-Path $ModuleManifest)) {
    throw "The module is not built: run ./build.ps1 first."
}

if (-not (Get-Module HelloSign)) {
    Import-Module $ModuleManifest
}

Import-Module (Join-Path $RepoRoot 'tools/HelloSignEmulator.psm1') -Force

# The emulator behaves like the real API by default: a cancel is only queued (it completes seconds later) and each
# account gets 100 requests per minute. A test file that relies on something else starts its emulator with
# -Config (Get-TestEmulatorConfig ...) so that it says so; Set-HelloSignEmulatorConfig keeps these start-up values.
function Get-TestEmulatorConfig([switch] $SynchronousCancel, [switch] $Unlimited) {
    $config = @{}
    if ($SynchronousCancel) { $config.cancel_delay_ms = 0; $config.cancel_delay_jitter_ms = 0 }
    if ($Unlimited) { $config.rate_limit = @{ limit = 1000000 } }
    $config
}

# The seed's accounts and requests, by role, so tests read as what they mean.
function Get-SeedAccount([object] $Emulator, [string] $Email = 'alpha@example.test') {
    $Emulator.Seed.accounts | Where-Object email_address -EQ $Email | Select-Object -First 1
}

function Get-SeedRequestId([object] $Emulator, [string] $State, [string] $Email = 'alpha@example.test') {
    $account = Get-SeedAccount $Emulator $Email
    # Always an array, even of one, so that [0] is the first id and not its first letter.
    Write-Output -NoEnumerate @($Emulator.Seed.signature_requests | Where-Object { $_.account_id -eq $account.account_id -and $_.state -eq $State } | ForEach-Object signature_request_id)
}

function ConvertTo-TestSecureString([string] $Text) {
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

# Connects this runspace to the emulator as an account, and returns the connection.
function Connect-TestAccount([object] $Emulator, [string] $Email = 'alpha@example.test', [switch] $Token) {
    $account = Get-SeedAccount $Emulator $Email
    if ($Token) {
        Connect-HelloSign -AccessToken (ConvertTo-TestSecureString $account.access_tokens[0]) -ApiBaseUri $Emulator.ApiBaseUri -PassThru -InformationAction Ignore
    }
    else {
        Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $account.api_keys[0]) -ApiBaseUri $Emulator.ApiBaseUri -PassThru -InformationAction Ignore
    }
}

# The cancel requests the emulator received (path and status), in arrival order.
function Get-CancelLog([object] $Emulator) {
    @(Get-HelloSignEmulatorLog -Emulator $Emulator | Where-Object { $_.path -like '*/signature_request/cancel/*' })
}

# Runs a script in a separate pwsh (the pinned one), returning its exit code and all its output as text.
function Invoke-ChildPwsh {
    param([string] $Script, [switch] $NonInteractive, [hashtable] $Environment = @{})
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    $scriptFile = Join-Path ([IO.Path]::GetTempPath()) "hellosign-child-$([guid]::NewGuid()).ps1"
    Set-Content -Path $scriptFile -Value $Script
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($pwsh, '-NoProfile') + $(if ($NonInteractive) { '-NonInteractive' }) + @('-File', $scriptFile)) {
        $start.ArgumentList.Add($argument)
    }

    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
    try {
        $process = [Diagnostics.Process]::Start($start)
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw 'The child pwsh did not finish in 120 s.' }
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr.Result }
    }
    finally {
        Remove-Item $scriptFile -ErrorAction SilentlyContinue
    }
}

# Starts a script in a separate pwsh without waiting, for tests that kill a run midway.
function Start-ChildPwsh([string] $Script) {
    $scriptFile = Join-Path ([IO.Path]::GetTempPath()) "hellosign-child-$([guid]::NewGuid()).ps1"
    Set-Content -Path $scriptFile -Value $Script
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $scriptFile)) {
        $start.ArgumentList.Add($argument)
    }

    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    [Diagnostics.Process]::Start($start)
}

# Waits until a file has at least $Count non-empty lines (or fails after $TimeoutSec).
function Wait-FileLines([string] $Path, [int] $Count, [int] $TimeoutSec = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ((Test-Path $Path) -and @(Get-Content $Path | Where-Object { $_ }).Count -ge $Count) { return }
        Start-Sleep -Milliseconds 50
    }

    throw "$Path did not reach $Count lines in $TimeoutSec s."
}

# The usual start of a test: the emulator back to its seed, and this runspace connected as alpha.
function Reset-TestSession([object] $Emulator) {
    Reset-HelloSignEmulator -Emulator $Emulator
    $null = Connect-TestAccount $Emulator
}

# The usual end of a test file: forget the connection, stop the emulator.
function Stop-TestEmulator([object] $Emulator) {
    Disconnect-HelloSign -Confirm:$false
    Stop-HelloSignEmulator -Emulator $Emulator
}
