# OAuth connections that outlast their access token: the emulator issues tokens that live a few seconds.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # Unlimited, so the runs last as long as their latency says and no longer.
    $emulator = Start-HelloSignEmulator -Config @{ rate_limit = @{ limit = 1000000 } }
    $alpha = Get-SeedAccount $emulator
    $oauthBase = $emulator.ApiBaseUri -replace '/v3$', ''
    $clientSecret = 'emulator-client-secret'

    # Connects this runspace with a fresh grant's refresh token (Connect gets the first access token itself).
    function Connect-OAuthAccount([hashtable] $Extra = @{}) {
        $grant = New-HelloSignEmulatorOAuthGrant -Emulator $emulator -AccountId $alpha.account_id
        $parameters = @{
            RefreshToken      = ConvertTo-TestSecureString $grant.refresh_token
            ClientId          = 'emulator-client-id'
            ClientSecret      = ConvertTo-TestSecureString $clientSecret
            ApiBaseUri        = $emulator.ApiBaseUri
            OAuthBaseUri      = $oauthBase
            PassThru          = $true
            InformationAction = 'Ignore'
        }
        foreach ($name in $Extra.Keys) { $parameters[$name] = $Extra[$name] }
        Connect-HelloSign @parameters
    }

    # The refreshes the emulator answered, in order, and the API requests refused (expired tokens) meanwhile.
    function Get-RefreshLog { @(Get-HelloSignEmulatorOAuthLog -Emulator $emulator | Where-Object grant_type -EQ 'refresh_token') }
    function Get-RefusedApiRequests { @(Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object status -EQ 401) }

    # No refresh started before the previous one was answered: one refresh at a time.
    function Assert-OneRefreshAtATime([object[]] $Refreshes) {
        for ($i = 1; $i -lt $Refreshes.Count; $i++) {
            $Refreshes[$i].started_at_ms | Should -BeGreaterOrEqual $Refreshes[$i - 1].ended_at_ms -Because "refresh $($Refreshes[$i].seq) overlapped the one before"
        }
    }

    function Wait-Until([scriptblock] $Condition, [int] $TimeoutSec = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Not true within $TimeoutSec s: $Condition" }
            Start-Sleep -Milliseconds 50
        }
    }
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Connect-HelloSign -RefreshToken' {
    BeforeEach {
        Reset-HelloSignEmulator -Emulator $emulator
        Disconnect-HelloSign -Confirm:$false
    }

    It 'gets the first access token from -OAuthBaseUri, and the secrets go nowhere else' {
        $info = Connect-OAuthAccount @{ PassThru = $false; InformationAction = 'Continue' } 6>&1
        $connection = Get-HelloSignConnection

        $connection.AccountId | Should -Be $alpha.account_id
        $connection.AuthenticationMethod | Should -Be 'AccessToken'
        "$info" | Should -Match 'OAuth access token that renews itself'
        @(Get-RefreshLog).status | Should -Be 200
        $api = @(Get-HelloSignEmulatorLog -Emulator $emulator)
        $api.path | Should -Be '/v3/account'
        $api.auth_scheme | Should -Be 'bearer'
        # The rotated refresh token is what the connection holds now.
        $issued = Get-HelloSignEmulatorOAuthIssued -Emulator $emulator
        [System.Net.NetworkCredential]::new('', $connection.GetRefreshToken()).Password | Should -Be $issued.RefreshTokens[-1]
    }

    It 'refuses an -OAuthBaseUri that would send the secrets unencrypted, before sending anything' {
        $grant = New-HelloSignEmulatorOAuthGrant -Emulator $emulator

        { Connect-HelloSign -RefreshToken (ConvertTo-TestSecureString $grant.refresh_token) -ClientId 'emulator-client-id' -ClientSecret (ConvertTo-TestSecureString $clientSecret) -ApiBaseUri $emulator.ApiBaseUri -OAuthBaseUri 'http://app.hellosign.com' } |
            Should -Throw -ErrorId 'InvalidOAuthBaseUri,HelloSign.Commands.ConnectHelloSignCommand'
        Get-RefreshLog | Should -BeNullOrEmpty
    }

    It 'a revoked refresh token fails Connect with one clear error after one attempt, and the previous connection stays' {
        $previous = Connect-TestAccount $emulator
        $grant = New-HelloSignEmulatorOAuthGrant -Emulator $emulator
        Revoke-HelloSignEmulatorOAuthGrant -Emulator $emulator -AccountId $alpha.account_id
        Clear-HelloSignEmulatorLog -Emulator $emulator

        $thrown = { Connect-HelloSign -RefreshToken (ConvertTo-TestSecureString $grant.refresh_token) -ClientId 'emulator-client-id' -ClientSecret (ConvertTo-TestSecureString $clientSecret) -ApiBaseUri $emulator.ApiBaseUri -OAuthBaseUri $oauthBase } |
            Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -Be 'OAuthRefreshFailed,HelloSign.Commands.ConnectHelloSignCommand'
        $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $thrown.Exception.Message | Should -Match 'could not be refreshed.*invalid_grant'
        $thrown.Exception.Message | Should -Match 'Connect-HelloSign -RefreshToken again'
        $thrown.Exception.Message | Should -Match "the previous connection \(alpha@example.test .*\) is still the current one"
        @(Get-RefreshLog).Count | Should -Be 1
        Get-HelloSignEmulatorLog -Emulator $emulator | Should -BeNullOrEmpty
        (Get-HelloSignConnection).AccountId | Should -Be $previous.AccountId
    }

    It 'the wrong client secret is refused the same way' {
        $thrown = { Connect-OAuthAccount @{ ClientSecret = (ConvertTo-TestSecureString 'not-the-secret') } } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'OAuthRefreshFailed,*'
        $thrown.Exception.Message | Should -Match 'invalid_client'
        $thrown.Exception.Message | Should -Match 'there is no current connection'
        Get-HelloSignConnection | Should -BeNullOrEmpty
    }

    It 'Ctrl+C during Connect closes the connection it was making: the refresh in flight is abandoned' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = @{ limit = 1000000 }; oauth = @{ token_latency_ms = 120000 } }
        $grant = New-HelloSignEmulatorOAuthGrant -Emulator $emulator
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($Manifest, $Refresh, $Api, $OAuth)
                Import-Module $Manifest
                Connect-HelloSign -RefreshToken (ConvertTo-SecureString $Refresh -AsPlainText -Force) -ClientId 'emulator-client-id' -ClientSecret (ConvertTo-SecureString 'emulator-client-secret' -AsPlainText -Force) -ApiBaseUri $Api -OAuthBaseUri $OAuth
            }).AddArgument($ModuleManifest).AddArgument($grant.refresh_token).AddArgument($emulator.ApiBaseUri).AddArgument($oauthBase)
        try {
            $running = $shell.BeginInvoke()
            Wait-Until { (Get-HelloSignEmulatorOAuthIssued -Emulator $emulator).InFlight -eq 1 }

            $shell.Stop()

            # The refresh is not tied to Ctrl+C (other users of a connection may wait for it): only closing ends it.
            Wait-Until { (Get-HelloSignEmulatorOAuthIssued -Emulator $emulator).InFlight -eq 0 }
            @(Get-RefreshLog).status | Should -Be 0
            $running.IsCompleted | Should -BeTrue
        }
        finally {
            $shell.Dispose()
        }
    }
}

Describe 'A run that outlasts its access token' {
    BeforeEach {
        Reset-HelloSignEmulator -Emulator $emulator
        Disconnect-HelloSign -Confirm:$false
    }

    It 'renews it ahead of expiry: every id Queued, several refreshes, no request refused more than once per refresh' {
        # 40 cancels of at least 250 ms each, one at a time: 10 s or more, with tokens that live 3 s.
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = @{ limit = 1000000 }; latency_ms = 250; oauth = @{ access_token_lifetime_seconds = 3 } }
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 40
        $connection = Connect-OAuthAccount
        Clear-HelloSignEmulatorLog -Emulator $emulator
        $before = @(Get-RefreshLog).Count

        $results = $ids | Stop-HelloSignSignatureRequest -Connection $connection -ThrottleLimit 1 -Force -PassThru -ErrorVariable failed

        $failed | Should -BeNullOrEmpty
        $results.Count | Should -Be 40
        $results.Status | Select-Object -Unique | Should -Be 'Queued'
        $refreshes = @(Get-RefreshLog | Select-Object -Skip $before)
        $refreshes.Count | Should -BeGreaterOrEqual 2
        $refreshes.status | Select-Object -Unique | Should -Be 200
        @(Get-RefusedApiRequests).Count | Should -BeLessOrEqual $refreshes.Count
        Assert-OneRefreshAtATime (Get-RefreshLog)
    }

    It 'two runspaces sharing one -Connection, with tokens that die unannounced, share each refresh' {
        # The token response claims an hour, so only the API's 401 tells the client; both runspaces hit it together.
        # 60 cancels of at least 200 ms, four at a time: 3 s or more, with tokens that live 1 s.
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = @{ limit = 1000000 }; latency_ms = 200; oauth = @{ access_token_lifetime_seconds = 1; reported_lifetime_seconds = 3600 } }
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 60
        $connection = Connect-OAuthAccount
        Clear-HelloSignEmulatorLog -Emulator $emulator
        $before = @(Get-RefreshLog).Count

        $results = @($ids[0..29], $ids[30..59]) | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:ModuleManifest
            $_ | Stop-HelloSignSignatureRequest -Connection $using:connection -ThrottleLimit 2 -Force -PassThru
        }

        $results.Count | Should -Be 60
        $results.Status | Select-Object -Unique | Should -Be 'Queued'
        $refreshes = @(Get-RefreshLog | Select-Object -Skip $before)
        $refreshes.Count | Should -BeGreaterOrEqual 2
        # Rotation makes a duplicate refresh visible: it would send a used refresh token and get invalid_grant.
        $refreshes.status | Select-Object -Unique | Should -Be 200
        Assert-OneRefreshAtATime (Get-RefreshLog)
        # Each refused cancel was repeated once with the new token: every id was cancelled exactly once.
        $accepted = @(Get-CancelLog $emulator | Where-Object status -EQ 200)
        $accepted.Count | Should -Be 60
        @(Get-RefusedApiRequests).Count | Should -BeGreaterOrEqual 1
    }

    It 'a refresh token revoked during the run ends it at the first refresh with one terminating error' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = @{ limit = 1000000 }; latency_ms = 250; oauth = @{ access_token_lifetime_seconds = 3 } }
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 40
        $connection = Connect-OAuthAccount
        Revoke-HelloSignEmulatorOAuthGrant -Emulator $emulator -AccountId $alpha.account_id
        $before = @(Get-RefreshLog).Count

        $thrown = $null
        try { $ids | Stop-HelloSignSignatureRequest -Connection $connection -ThrottleLimit 1 -Force -ErrorVariable failed } catch { $thrown = $_ }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -Be 'OAuthRefreshFailed,HelloSign.Commands.StopHelloSignSignatureRequestCommand'
        $thrown.Exception.Message | Should -Match 'could not be refreshed'
        $thrown.Exception.Message | Should -Match 'Connect-HelloSign -RefreshToken again'
        @($failed).Count | Should -Be 1   # that one, and no error per id
        @(Get-RefreshLog | Select-Object -Skip $before).Count | Should -Be 1   # tried once, no loop
        @(Get-CancelLog $emulator).Count | Should -BeLessThan 40
        # The next command fails at once, without asking the token endpoint again.
        { Get-HelloSignSignatureRequest $ids[39] -Connection $connection } | Should -Throw -ErrorId 'OAuthRefreshFailed,*'
        @(Get-RefreshLog | Select-Object -Skip $before).Count | Should -Be 1
    }
}
