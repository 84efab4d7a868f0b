#Requires -Version 7.0
<#
    Starts, stops and steers the local HelloSign (Dropbox Sign) API emulator for Pester tests, the demo
    and the benchmark. The emulator itself is src/HelloSign.Emulator (see its README for the admin API);
    build it with ./build.ps1 (or: dotnet publish src/HelloSign.Emulator -c Release -o out/emulator).
#>
Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path -Parent $PSScriptRoot

function Start-HelloSignEmulator {
    <#
    .SYNOPSIS
        Starts the emulator on a free loopback port and returns an object describing it.
    .DESCRIPTION
        The emulator is tied to this PowerShell process: it exits when its stdin is closed
        (Stop-HelloSignEmulator) or when this process ends, so a failed test run leaves nothing behind.
    .PARAMETER SeedPath
        Accounts and signature requests to start with. Default: tests/data/seed.json.
    .PARAMETER Config
        Start-up runtime config (latency_ms, faults, rate_limit, cancel_delay_ms, ...); options left out take the
        emulator's defaults, which are the real API's (queued cancel, 100 requests per minute). Reset-HelloSignEmulator
        returns to it, and Set-HelloSignEmulatorConfig is laid over it.
    .PARAMETER HttpsPort
        Also listen with HTTPS on a free port, using a throw-away self-signed (untrusted) certificate.
    .PARAMETER IgnoreCtrlC
        Keep running when Ctrl+C is pressed in this console (it stops only as above), for an interactive session
        where Ctrl+C is meant for the command that runs, not for the emulator.
    .OUTPUTS
        HelloSign.Emulator: ApiBaseUri, AdminUri, HttpsUri (HTTPS API base or $null), Process, Seed, SeedPath.
    #>
    [CmdletBinding()]
    [OutputType('HelloSign.Emulator')]
    param(
        [string] $SeedPath = (Join-Path $script:RepoRoot 'tests/data/seed.json'),
        [hashtable] $Config,
        [switch] $HttpsPort,
        [switch] $IgnoreCtrlC,
        [string] $EmulatorDll = (Join-Path $script:RepoRoot 'out/emulator/HelloSign.Emulator.dll'),
        [ValidateRange(1, 300)]
        [int] $TimeoutSeconds = 30
    )

    if (-not (Test-Path -LiteralPath $EmulatorDll -PathType Leaf)) {
        throw "The HelloSign emulator was not found at '$EmulatorDll'; run ./build.ps1 first."
    }
    $SeedPath = (Resolve-Path -LiteralPath $SeedPath -ErrorAction Stop).ProviderPath

    $arguments = @($EmulatorDll, '--seed', $SeedPath, '--port', '0', '--parent-pid', "$PID")
    $configFile = $null
    if ($Config) {
        $configFile = [System.IO.Path]::GetTempFileName()
        $Config | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $configFile -Encoding utf8NoBOM
        $arguments += '--config', $configFile
    }
    if ($HttpsPort) {
        $arguments += '--https-port', '0'
    }

    $startInfo = [System.Diagnostics.ProcessStartInfo]::new((Get-DotnetHost))
    if ($IgnoreCtrlC -and -not $IsWindows) {
        # Ctrl+C signals every process of the terminal's foreground group. A signal ignored before exec stays
        # ignored, and .NET leaves an ignored SIGINT alone; exec keeps the process id and the pipes.
        $startInfo = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        $arguments = @('-c', 'trap "" INT; exec "$@"', 'sh', (Get-DotnetHost)) + $arguments
    }
    elseif ($IgnoreCtrlC) {
        # Without a console of its own, a process gets none of this console's Ctrl+C events.
        $startInfo.CreateNoWindow = $true
    }
    foreach ($argument in $arguments) {
        $startInfo.ArgumentList.Add($argument)
    }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true

    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        $addresses = Wait-EmulatorReady -Process $process -TimeoutSeconds $TimeoutSeconds
    }
    catch {
        Stop-EmulatorProcess -Process $process -TimeoutSeconds 2
        throw
    }
    finally {
        if ($configFile) {
            Remove-Item -LiteralPath $configFile -ErrorAction SilentlyContinue
        }
    }

    [pscustomobject]@{
        PSTypeName = 'HelloSign.Emulator'
        ApiBaseUri = "$($addresses.Http)/v3"
        AdminUri   = "$($addresses.Http)/__emulator"
        HttpsUri   = if ($addresses.Https) { "$($addresses.Https)/v3" } else { $null }
        Process    = $process
        Seed       = Get-Content -LiteralPath $SeedPath -Raw | ConvertFrom-Json
        SeedPath   = $SeedPath
    }
}

function Stop-HelloSignEmulator {
    <#
    .SYNOPSIS
        Stops an emulator started by Start-HelloSignEmulator: closes its stdin, waits, kills it if it lingers.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline)]
        [PSTypeName('HelloSign.Emulator')] $Emulator,
        [ValidateRange(1, 300)]
        [int] $TimeoutSeconds = 10
    )
    process {
        Stop-EmulatorProcess -Process $Emulator.Process -TimeoutSeconds $TimeoutSeconds
    }
}

function Get-HelloSignEmulatorLog {
    <#
    .SYNOPSIS
        Every /v3 request received since the last clear, in arrival order.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator)
    Invoke-EmulatorAdmin -Emulator $Emulator -Method Get -Path 'log'
}

function Clear-HelloSignEmulatorLog {
    <#
    .SYNOPSIS
        Empties the request log and restarts the stats (total and max in flight).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator)
    $null = Invoke-EmulatorAdmin -Emulator $Emulator -Method Delete -Path 'log'
}

function Get-HelloSignEmulatorStats {
    <#
    .SYNOPSIS
        total_requests, max_in_flight and in_flight since the last log clear.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator)
    Invoke-EmulatorAdmin -Emulator $Emulator -Method Get -Path 'stats'
}

function Get-HelloSignEmulatorState {
    <#
    .SYNOPSIS
        Where each signature request stands (state, cancel_count, cancel_completed, removed), or just one.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator,
        [string] $Id
    )
    $path = if ($Id) { "state/$([uri]::EscapeDataString($Id))" } else { 'state' }
    Invoke-EmulatorAdmin -Emulator $Emulator -Method Get -Path $path
}

function Set-HelloSignEmulatorConfig {
    <#
    .SYNOPSIS
        Replaces the runtime config; options left out keep their start-up values (a JSON merge patch: nested
        tables merge key by key, $null restores an option's default).
    .EXAMPLE
        Set-HelloSignEmulatorConfig $e -Config @{ seed = 1; faults = @{ http500 = 0.2 }; rate_limit = @{ limit = 10 } }
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator,
        [Parameter(Mandatory)][hashtable] $Config
    )
    $null = Invoke-EmulatorAdmin -Emulator $Emulator -Method Post -Path 'config' -Body $Config
}

function Reset-HelloSignEmulator {
    <#
    .SYNOPSIS
        Back to the seed and the start-up config; log, stats and callback records cleared.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator)
    $null = Invoke-EmulatorAdmin -Emulator $Emulator -Method Post -Path 'reset'
}

function New-HelloSignEmulatorRequest {
    <#
    .SYNOPSIS
        Adds Count signature requests with deterministic ids and returns the ids.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator,
        [Parameter(Mandatory)][ValidateRange(1, 100000)][int] $Count,
        [string] $AccountId,
        [ValidateSet('awaiting_signature', 'partially_signed', 'complete', 'declined', 'error', 'canceled')]
        [string] $State = 'awaiting_signature'
    )
    $body = @{ count = $Count; state = $State }
    if ($AccountId) {
        $body.account_id = $AccountId
    }
    (Invoke-EmulatorAdmin -Emulator $Emulator -Method Post -Path 'generate' -Body $body).ids
}

function Get-HelloSignEmulatorCallback {
    <#
    .SYNOPSIS
        Every callback delivery attempt: signature_request_id, attempt, status, reply_ok, error, event_time.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator)
    Invoke-EmulatorAdmin -Emulator $Emulator -Method Get -Path 'callbacks'
}

function Revoke-HelloSignEmulatorKey {
    <#
    .SYNOPSIS
        Makes every API key and access token of an account answer 401 from now on (until Reset-HelloSignEmulator).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator,
        [Parameter(Mandatory)][string] $AccountId
    )
    $null = Invoke-EmulatorAdmin -Emulator $Emulator -Method Post -Path "accounts/$([uri]::EscapeDataString($AccountId))/revoke"
}

function New-HelloSignEmulatorOAuthGrant {
    <#
    .SYNOPSIS
        Issues OAuth tokens for an account, as the authorization-code flow would: access_token, refresh_token, expires_in.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator,
        [string] $AccountId
    )
    Invoke-EmulatorAdmin -Emulator $Emulator -Method Post -Path 'oauth/grant' -Body @{ account_id = $AccountId }
}

function Revoke-HelloSignEmulatorOAuthGrant {
    <#
    .SYNOPSIS
        Makes every refresh token of an account fail from now on (its access tokens live until they expire).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator,
        [string] $AccountId
    )
    $null = Invoke-EmulatorAdmin -Emulator $Emulator -Method Post -Path 'oauth/revoke' -Body @{ account_id = $AccountId }
}

function Get-HelloSignEmulatorOAuthLog {
    <#
    .SYNOPSIS
        Every POST /oauth/token since start or reset: seq, grant_type, account_id, status, error_name, started_at_ms, ended_at_ms.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator)
    Invoke-EmulatorAdmin -Emulator $Emulator -Method Get -Path 'oauth/log'
}

function Get-HelloSignEmulatorOAuthIssued {
    <#
    .SYNOPSIS
        access_tokens and refresh_tokens: every OAuth token issued since start or reset (for secrets tests), and in_flight.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)][PSTypeName('HelloSign.Emulator')] $Emulator)
    $issued = Invoke-EmulatorAdmin -Emulator $Emulator -Method Get -Path 'oauth/issued'
    $stats = Invoke-EmulatorAdmin -Emulator $Emulator -Method Get -Path 'oauth/stats'
    [pscustomobject]@{ AccessTokens = @($issued.access_tokens); RefreshTokens = @($issued.refresh_tokens); InFlight = $stats.in_flight }
}

function Invoke-EmulatorAdmin {
    # One call to the admin API; JSON arrays come out as one pipeline item per element.
    param($Emulator, [string] $Method, [string] $Path, $Body)

    $request = @{ Uri = "$($Emulator.AdminUri)/$Path"; Method = $Method; NoProxy = $true }
    if ($null -ne $Body) {
        $request.Body = $Body | ConvertTo-Json -Depth 10 -Compress
        $request.ContentType = 'application/json'
    }
    Invoke-RestMethod @request | ForEach-Object { $_ }
}

function Get-DotnetHost {
    # The dotnet CLI exports the host it runs under (e.g. under `dotnet pwsh`); otherwise use PATH.
    if ($env:DOTNET_HOST_PATH -and (Test-Path -LiteralPath $env:DOTNET_HOST_PATH)) {
        return $env:DOTNET_HOST_PATH
    }
    $dotnet = Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $dotnet) {
        throw 'The dotnet host was not found on PATH; the HelloSign emulator needs the .NET 10 runtime.'
    }
    $dotnet.Source
}

function Wait-EmulatorReady {
    # Reads the emulator's stdout until the READY line; the HTTPS line, when asked for, comes before it.
    param([System.Diagnostics.Process] $Process, [int] $TimeoutSeconds)

    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    $https = $null
    while ($true) {
        $nextLine = $Process.StandardOutput.ReadLineAsync()
        $remaining = $deadline - [datetime]::UtcNow
        if ($remaining -le [timespan]::Zero -or -not $nextLine.Wait($remaining)) {
            throw "The HelloSign emulator did not report ready within $TimeoutSeconds seconds."
        }
        $line = $nextLine.Result
        if ($null -eq $line) {
            $Process.WaitForExit()
            throw "The HelloSign emulator exited with code $($Process.ExitCode) before it was ready; its error output says why."
        }
        if ($line -match '^HELLOSIGN_EMULATOR_HTTPS (\S+)$') {
            $https = $Matches[1]
        }
        elseif ($line -match '^HELLOSIGN_EMULATOR_READY (\S+)$') {
            return @{ Http = $Matches[1]; Https = $https }
        }
    }
}

function Stop-EmulatorProcess {
    param([System.Diagnostics.Process] $Process, [int] $TimeoutSeconds)

    if ($Process.HasExited) {
        return
    }
    try {
        # Closing stdin is the emulator's signal to shut down cleanly.
        $Process.StandardInput.Close()
    }
    catch [System.IO.IOException] {
        Write-Verbose "The emulator's stdin was already closed: $($_.Exception.Message)"
    }
    if (-not $Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Process.Kill($true)
        $Process.WaitForExit()
    }
}

Export-ModuleMember -Function @(
    'Start-HelloSignEmulator'
    'Stop-HelloSignEmulator'
    'Get-HelloSignEmulatorLog'
    'Clear-HelloSignEmulatorLog'
    'Get-HelloSignEmulatorStats'
    'Get-HelloSignEmulatorState'
    'Set-HelloSignEmulatorConfig'
    'Reset-HelloSignEmulator'
    'New-HelloSignEmulatorRequest'
    'Get-HelloSignEmulatorCallback'
    'Revoke-HelloSignEmulatorKey'
    'New-HelloSignEmulatorOAuthGrant'
    'Revoke-HelloSignEmulatorOAuthGrant'
    'Get-HelloSignEmulatorOAuthLog'
    'Get-HelloSignEmulatorOAuthIssued'
)
