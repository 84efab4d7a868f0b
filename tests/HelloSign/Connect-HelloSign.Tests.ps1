BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator
    $alpha = Get-SeedAccount $emulator
    $beta = Get-SeedAccount $emulator 'beta@example.test'
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Connect-HelloSign' {
    BeforeEach {
        Reset-HelloSignEmulator -Emulator $emulator
        Disconnect-HelloSign -Confirm:$false
    }

    It 'connects with -ApiKey as Basic auth and says which account' {
        Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $alpha.api_keys[0]) -ApiBaseUri $emulator.ApiBaseUri -InformationVariable info

        $connection = Get-HelloSignConnection
        $connection.AccountId | Should -Be $alpha.account_id
        $connection.EmailAddress | Should -Be 'alpha@example.test'
        $connection.AuthenticationMethod | Should -Be 'ApiKey'
        "$info" | Should -Match 'alpha@example.test'
        $log = Get-HelloSignEmulatorLog -Emulator $emulator
        $log[0].path | Should -Be '/v3/account'
        $log[0].auth_scheme | Should -Be 'basic'
        $log[0].user_agent | Should -BeLike "HelloSign-PowerShell/$((Get-Module HelloSign).Version) (PowerShell 7.*"
    }

    It 'connects with -Credential, the key being the password (as Get-AutomationPSCredential gives it)' {
        $credential = [pscredential]::new('ignored', (ConvertTo-TestSecureString $alpha.api_keys[1]))

        Connect-HelloSign -Credential $credential -ApiBaseUri $emulator.ApiBaseUri -InformationAction Ignore

        (Get-HelloSignConnection).AccountId | Should -Be $alpha.account_id
    }

    It 'connects with -AccessToken as a Bearer token' {
        Connect-HelloSign -AccessToken (ConvertTo-TestSecureString $alpha.access_tokens[0]) -ApiBaseUri $emulator.ApiBaseUri -InformationAction Ignore

        (Get-HelloSignConnection).AuthenticationMethod | Should -Be 'AccessToken'
        (Get-HelloSignEmulatorLog -Emulator $emulator)[0].auth_scheme | Should -Be 'bearer'
    }

    Context 'the environment variable' {
        AfterEach { Remove-Item Env:HELLOSIGN_API_KEY -ErrorAction SilentlyContinue }

        It 'reads HELLOSIGN_API_KEY when no credential is given' {
            $env:HELLOSIGN_API_KEY = $beta.api_keys[0]

            Connect-HelloSign -ApiBaseUri $emulator.ApiBaseUri -InformationAction Ignore

            (Get-HelloSignConnection).AccountId | Should -Be $beta.account_id
        }

        It 'gives a clear error when it is empty' {
            $env:HELLOSIGN_API_KEY = ''

            { Connect-HelloSign -ApiBaseUri $emulator.ApiBaseUri } | Should -Throw -ErrorId 'NoCredentials,HelloSign.Commands.ConnectHelloSignCommand'
            Get-HelloSignEmulatorLog -Emulator $emulator | Should -BeNullOrEmpty
        }
    }

    It 'refuses a bad key with a terminating 401 error and stores nothing' {
        $bad = 'bad0000000000000000000000000000000000000000000000000000000000bad'

        $thrown = { Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $bad) -ApiBaseUri $emulator.ApiBaseUri } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -Be 'Unauthorized,HelloSign.Commands.ConnectHelloSignCommand'
        $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $thrown.Exception.Message | Should -Match '401'
        $thrown.Exception.Message | Should -Match 'unauthorized'
        Get-HelloSignConnection | Should -BeNullOrEmpty
    }

    It 'a failed Connect says what failed once, with advice for Connect, and which connection is current: <Case>' -ForEach @(
        @{ Case = 'none before'; Before = $false; Note = 'Nothing was changed: there is no current connection\.' }
        @{ Case = 'one before'; Before = $true; Note = 'Nothing was changed: the previous connection \(alpha@example\.test .*\) is still the current one\.' }
    ) {
        if ($Before) { $null = Connect-TestAccount $emulator }
        # A loopback port nobody listens on: every attempt is refused at once.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()

        $thrown = { Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $alpha.api_keys[0]) -ApiBaseUri "http://127.0.0.1:$port/v3" -TimeoutSec 2 } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -Be 'Network,HelloSign.Commands.ConnectHelloSignCommand'
        $message = $thrown.Exception.Message
        ([regex]::Matches($message, 'Could not connect')).Count | Should -Be 1
        $message | Should -Match 'Gave up after 3 attempt\(s\): check the address \(-ApiBaseUri\), the network and any proxy'
        $message | Should -Not -Match 'failed ids'
        $message | Should -Match "$Note`$"
        if ($Before) { (Get-HelloSignConnection).AccountId | Should -Be $alpha.account_id } else { Get-HelloSignConnection | Should -BeNullOrEmpty }
    }

    It 'never repeats a key put in the base URI''s query or user info' {
        $thrown = { Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $alpha.api_keys[0]) -ApiBaseUri "https://api.hellosign.com/v3?api_key=$($alpha.api_keys[1])" } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidApiBaseUri,*'
        ($thrown | Format-List * -Force | Out-String) + $thrown.Exception.ToString() + "$($thrown.TargetObject)" | Should -Not -Match $alpha.api_keys[1]
    }

    It 'refuses plain http to a host that is not loopback, before sending anything' {
        { Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $alpha.api_keys[0]) -ApiBaseUri 'http://api.hellosign.com/v3' } |
            Should -Throw -ErrorId 'InvalidApiBaseUri,HelloSign.Commands.ConnectHelloSignCommand'
    }

    It '-PassThru returns a connection for another account that -Connection uses alongside the default' {
        $null = Connect-TestAccount $emulator
        $betaConnection = Connect-HelloSign -ApiKey (ConvertTo-TestSecureString $beta.api_keys[0]) -ApiBaseUri $emulator.ApiBaseUri -PassThru -InformationAction Ignore
        $null = Connect-TestAccount $emulator   # the default is alpha again
        $betaId = (Get-SeedRequestId $emulator 'awaiting_signature' 'beta@example.test')[0]

        $result = Stop-HelloSignSignatureRequest $betaId -Connection $betaConnection -Force -PassThru

        $result.Status | Should -Be 'Queued'
        (Get-HelloSignConnection).AccountId | Should -Be $alpha.account_id
        (Get-CancelLog $emulator)[0].account_id | Should -Be $beta.account_id
    }

    It 'a connection belongs to its runspace, and -Connection carries it into ForEach-Object -Parallel' {
        $connection = Connect-TestAccount $emulator
        $ids = Get-SeedRequestId $emulator 'awaiting_signature'

        $seenInParallel = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:ModuleManifest
            [bool](Get-HelloSignConnection)
        }
        $results = $ids | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:ModuleManifest
            Stop-HelloSignSignatureRequest $_ -Connection $using:connection -Force -PassThru
        }

        $seenInParallel | Should -Be @($false, $false)
        $results.Count | Should -Be $ids.Count
        $results.Status | Select-Object -Unique | Should -Be 'Queued'
        (Get-CancelLog $emulator).Count | Should -Be $ids.Count
    }

    It 'Get-HelloSignConnection never shows the secret' {
        $connection = Connect-TestAccount $emulator
        $shown = ($connection | Format-List * | Out-String) + ($connection | Format-Table | Out-String) + $connection.ToString() + ($connection | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue)

        $shown | Should -Match $alpha.account_id
        $shown | Should -Not -Match $alpha.api_keys[0]
    }

    It 'Disconnect-HelloSign forgets and closes the connection' {
        $connection = Connect-TestAccount $emulator

        Disconnect-HelloSign -Confirm:$false

        Get-HelloSignConnection | Should -BeNullOrEmpty
        $connection.IsOpen | Should -BeFalse
        { Stop-HelloSignSignatureRequest (Get-SeedRequestId $emulator 'awaiting_signature')[0] -Connection $connection -Force } | Should -Throw -ErrorId 'ConnectionClosed,*'
    }
}
