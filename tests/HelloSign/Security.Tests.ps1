BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator -HttpsPort
    $alpha = Get-SeedAccount $emulator
    $key = $alpha.api_keys[0]
    $token = $alpha.access_tokens[0]
    # Every form in which a secret could leak.
    $secrets = @(
        $key
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${key}:"))
        $token
        "Bearer $token"
    )

    function Assert-NoSecret([string] $Text, [string] $Where) {
        foreach ($secret in $secrets) {
            if ($Text.Contains($secret)) { throw "A secret leaked into $Where." }
        }

        $Text | Should -Not -Match 'Authorization:'
    }

    # Runs $Script with Verbose and Debug on, under a transcript: every stream's text, and the transcript's.
    function Invoke-Captured([scriptblock] $Script, [string] $Name) {
        $transcript = Join-Path $TestDrive "$Name-transcript.txt"
        $VerbosePreference = 'Continue'
        $DebugPreference = 'Continue'
        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try {
            $streams = & $Script *>&1 | Out-String -Width 500
        }
        finally {
            Stop-Transcript | Out-Null
        }

        [pscustomobject]@{ Streams = $streams; Transcript = Get-Content -Raw $transcript }
    }

    # Every error recorded in $Error, in each way it can be shown.
    function Get-RecordedErrorText {
        ($Error | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_ | Format-List * -Force | Out-String }) -join "`n"
    }

    # No secret in a capture's streams or transcript, nor in any error recorded meanwhile.
    function Assert-NoSecretCaptured([object] $Captured) {
        Assert-NoSecret $Captured.Streams 'the output streams'
        Assert-NoSecret $Captured.Transcript 'the transcript'
        Assert-NoSecret (Get-RecordedErrorText) '$Error'
    }
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Secrets never leak' {
    It 'is absent from every stream, the transcript, $Error and exception texts, on success and failure paths' {
        Reset-HelloSignEmulator -Emulator $emulator
        $Error.Clear()
        $pending = Get-SeedRequestId $emulator 'awaiting_signature'
        $complete = (Get-SeedRequestId $emulator 'complete')[0]

        $captured = Invoke-Captured -Name 'cmdlets' {
            Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $key) -ApiBaseUri $emulator.ApiBaseUri -PassThru -Verbose -Debug
            Get-HelloSignConnection | Format-List * | Out-String
            Get-HelloSignConnection | Format-Table | Out-String
            Get-HelloSignSignatureRequest -First 3 -Verbose -Debug
            Get-HelloSignSignatureRequest $pending[0] -Verbose -Debug
            $pending[0], $complete, 'junk', 'ffffffffffffffffffffffffffffffffffffffff' | Stop-HelloSignSignatureRequest -Force -PassThru -Verbose -Debug -ErrorAction Continue
            Remove-HelloSignSignatureRequest $complete, $pending[1] -Force -PassThru -Verbose -Debug -ErrorAction Continue
            ConvertFrom-HelloSignEvent '{"event":{"event_time":"1","event_type":"x","event_hash":"00"}}' -Verbose -Debug -ErrorAction Continue
            # Failures from the HTTP stack: dropped connections, then a server that sends HTML.
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 5; faults = @{ reset = 1.0 } }
            Stop-HelloSignSignatureRequest $pending[2] -Force -MaxRetry 1 -Verbose -Debug -ErrorAction Continue
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 5; faults = @{ http502 = 1.0 } }
            Stop-HelloSignSignatureRequest $pending[3] -Force -MaxRetry 0 -Verbose -Debug -ErrorAction Continue
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{}
            # A token connection, a refused key and an untrusted certificate.
            Connect-HelloSign -AccessToken (ConvertTo-TestSecureString $token) -ApiBaseUri $emulator.ApiBaseUri -Verbose -Debug
            Stop-HelloSignSignatureRequest $pending[4] -Force -Verbose -Debug
            try { Connect-HelloSign -ApiKey (ConvertTo-TestSecureString ($key -replace '.$', '0')) -ApiBaseUri $emulator.ApiBaseUri -Verbose -Debug } catch { $_ }
            try { Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $key) -ApiBaseUri $emulator.HttpsUri -Verbose -Debug } catch { $_ }
            Disconnect-HelloSign -Confirm:$false -Verbose
        }

        $captured.Streams.Length | Should -BeGreaterThan 1000   # it did capture the run
        $captured.Streams | Should -Match 'POST signature_request/cancel/'
        $captured.Streams | Should -Match 'HTTP 404 not_found'
        $captured.Streams | Should -Match 'Unauthorized'
        $Error.Count | Should -BeGreaterThan 3
        Assert-NoSecretCaptured $captured
    }

    It 'is absent from the emulator''s request log' {
        Reset-TestSession $emulator
        Stop-HelloSignSignatureRequest (Get-SeedRequestId $emulator 'awaiting_signature')[0] -Force

        Assert-NoSecret (Get-HelloSignEmulatorLog -Emulator $emulator | ConvertTo-Json -Depth 5) 'the emulator log'
    }
}

Describe 'Secrets never leak from Invoke-HelloSignRequest' {
    It 'is absent from every stream, the transcript, $Error and the emulator log, on success, refusal and failure paths' {
        Reset-HelloSignEmulator -Emulator $emulator
        $Error.Clear()
        $pending = (Get-SeedRequestId $emulator 'awaiting_signature')[0]
        $complete = (Get-SeedRequestId $emulator 'complete')[0]

        $captured = Invoke-Captured -Name 'invoke' {
            $connection = Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $key) -ApiBaseUri $emulator.ApiBaseUri -PassThru
            Invoke-HelloSignRequest account -Verbose -Debug
            Invoke-HelloSignRequest template/list -All -Query @{ page_size = 3 } -Verbose -Debug
            Invoke-HelloSignRequest -Method POST "signature_request/remind/$pending" -Body @{ email_address = 'legal@acme.example' } -Raw -Verbose -Debug
            Invoke-HelloSignRequest "signature_request/files/$complete" -OutFile (Join-Path $TestDrive 'copy.pdf') -Verbose -Debug
            # A key pasted into the path or a URL is refused, and not echoed.
            Invoke-HelloSignRequest "account?api_key=$key" -Verbose -ErrorAction Continue
            Invoke-HelloSignRequest "https://${key}:@evil.example/v3/account" -Verbose -ErrorAction Continue
            Invoke-HelloSignRequest 'signature_request/ffffffffffffffffffffffffffffffffffffffff' -Verbose -Debug -ErrorAction Continue
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 5; faults = @{ reset = 1.0 } }
            Invoke-HelloSignRequest account -MaxRetry 1 -Verbose -Debug -ErrorAction Continue
            Invoke-HelloSignRequest -Method PUT account -Body '{}' -Verbose -Debug -ErrorAction Continue
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{}
            Connect-HelloSign -AccessToken (ConvertTo-TestSecureString $token) -ApiBaseUri $emulator.ApiBaseUri -Verbose -Debug
            Invoke-HelloSignRequest account -Verbose -Debug
            Revoke-HelloSignEmulatorKey -Emulator $emulator -AccountId $alpha.account_id
            try { Invoke-HelloSignRequest account -Connection $connection -Verbose -Debug } catch { $_ }
            Disconnect-HelloSign -Confirm:$false
        }

        $captured.Streams | Should -Match 'GET account \(attempt 1\)'
        $captured.Streams | Should -Match 'InvalidApiPath|Refused the path'
        $captured.Streams | Should -Match 'HTTP 404 not_found'
        $captured.Streams | Should -Match 'Unauthorized'
        Assert-NoSecretCaptured $captured
        Assert-NoSecret (Get-HelloSignEmulatorLog -Emulator $emulator | ConvertTo-Json -Depth 5) 'the emulator log'
        Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object { $_.path -like '*evil*' -or $_.query -like '*api_key*' } | Should -BeNullOrEmpty
    }
}

Describe 'A hostile network' {
    BeforeEach {
        Reset-TestSession $emulator
        $pending = Get-SeedRequestId $emulator 'awaiting_signature'
    }

    It 'never follows a redirect, so the Authorization header never reaches another host' {
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $elsewhere = [System.Net.HttpListener]::new()
        $elsewhere.Prefixes.Add("http://127.0.0.1:$port/")
        $elsewhere.Start()
        try {
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ faults = @{ redirect_to = "http://127.0.0.1:$port/steal" } }
            $received = $elsewhere.GetContextAsync()

            $thrown = { Stop-HelloSignSignatureRequest $pending[0] -Force } | Should -Throw -PassThru

            $thrown.FullyQualifiedErrorId | Should -BeLike 'Redirect,*'
            $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
            $thrown.Exception.Message | Should -Match "127.0.0.1:$port"
            $received.Wait(1500) | Should -BeFalse   # the other server got nothing at all
        }
        finally {
            $elsewhere.Stop()
        }
    }

    It 'refuses an untrusted certificate with a clear error, and there is no switch to skip the check' {
        $thrown = { Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $key) -ApiBaseUri $emulator.HttpsUri } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'Tls,*'
        $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
        $thrown.Exception.Message | Should -Match 'certificate'
        $parameters = (Get-Command -Module HelloSign).Parameters.Keys
        $parameters | Where-Object { $_ -match 'Certificate|SkipCert|Insecure' } | Should -BeNullOrEmpty
    }

    It 'ends a trickling response and a server that never answers at the per-request timeout, and goes on' -TestCases @(
        @{ fault = 'trickle' }, @{ fault = 'hang' }
    ) {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 11; faults = @{ $fault = 0.5 } }
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $results = $pending[0..5] | Stop-HelloSignSignatureRequest -Force -PassThru -TimeoutSec 2 -MaxRetry 0 -ThrottleLimit 6 -ErrorVariable errs -ErrorAction SilentlyContinue

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
        $errs.Count | Should -BeGreaterThan 0
        # The emulator logs a request when it ends, and a trickle ends only at its next byte after the client left.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (($faulted = @(Get-CancelLog $emulator | Where-Object fault -EQ $fault).Count) -lt $errs.Count -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 200
        }

        $faulted | Should -Be $errs.Count
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'Timeout,*'; $_.CategoryInfo.Category | Should -Be 'OperationTimeout' }
        @($results).Count + $errs.Count | Should -Be 6
    }
}

Describe 'OAuth secrets never leak' {
    It 'no access token (old or new), refresh token or client secret reaches a stream, the transcript, $Error or the emulator''s logs' {
        Reset-HelloSignEmulator -Emulator $emulator
        # Tokens live a second and every request takes at least 300 ms: the 18 cancels outlive several tokens.
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ latency_ms = 300; oauth = @{ access_token_lifetime_seconds = 1 } }
        $grant = New-HelloSignEmulatorOAuthGrant -Emulator $emulator
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 18
        $oauth = @{
            ClientId     = 'emulator-client-id'
            ClientSecret = ConvertTo-TestSecureString 'emulator-client-secret'
            ApiBaseUri   = $emulator.ApiBaseUri
            OAuthBaseUri = $emulator.ApiBaseUri -replace '/v3$', ''
        }
        $Error.Clear()

        $captured = Invoke-Captured -Name 'oauth' {
            $connection = Connect-HelloSign -RefreshToken (ConvertTo-TestSecureString $grant.refresh_token) -AccessToken (ConvertTo-TestSecureString $grant.access_token) @oauth -PassThru -Verbose -Debug
            $connection | Format-List * | Out-String
            $connection | Format-Table | Out-String
            "$connection"
            $connection | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            # The given access token's lifetime is unknown, so the API's 401 renews it; later ones ahead of expiry.
            $ids[0..9] | Stop-HelloSignSignatureRequest -Force -PassThru -ThrottleLimit 1 -Verbose -Debug
            # Tokens that die unannounced: renewed after the API's 401.
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ latency_ms = 300; oauth = @{ access_token_lifetime_seconds = 1; reported_lifetime_seconds = 3600 } }
            $ids[10..17] | Stop-HelloSignSignatureRequest -Force -PassThru -ThrottleLimit 1 -Verbose -Debug
            Get-HelloSignSignatureRequest -First 2 -Verbose -Debug
            # A refused refresh: the grant's refresh token was used (and rotated away) by the first Connect.
            try { Connect-HelloSign -RefreshToken (ConvertTo-TestSecureString $grant.refresh_token) @oauth -Verbose -Debug } catch { $_ }
            Disconnect-HelloSign -Confirm:$false -Verbose
        }

        $issued = Get-HelloSignEmulatorOAuthIssued -Emulator $emulator
        $oauthSecrets = @($issued.AccessTokens) + @($issued.RefreshTokens) + 'emulator-client-secret'
        # Over 5 s of requests with tokens that live 1 s take at least five tokens: old and new alike are checked.
        $issued.AccessTokens.Count | Should -BeGreaterOrEqual 5
        $captured.Streams | Should -Match 'OAuth access token renewed'
        $captured.Streams | Should -Match 'HTTP 401'
        $captured.Streams | Should -Match 'OAuthRefreshFailed|could not be refreshed'
        $places = [ordered]@{
            'the output streams' = $captured.Streams
            'the transcript'     = $captured.Transcript
            '$Error'             = Get-RecordedErrorText
            'the emulator log'   = Get-HelloSignEmulatorLog -Emulator $emulator | ConvertTo-Json -Depth 5
            'the OAuth log'      = Get-HelloSignEmulatorOAuthLog -Emulator $emulator | ConvertTo-Json -Depth 5
        }
        foreach ($place in $places.Keys) {
            foreach ($secret in $oauthSecrets) {
                if ("$($places[$place])".Contains($secret)) { throw "An OAuth secret leaked into $place." }
            }
        }
    }
}
