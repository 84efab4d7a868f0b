BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Connection lifetime' {
    BeforeEach {
        Reset-TestSession $emulator
    }

    It 'a Disconnect and a reconnect in the owning runspace never break a -Connection run in another; the next command on it gets ConnectionClosed' {
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 40
        # Slow answers keep the run going while this runspace disconnects and reconnects.
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ latency_ms = 300 }
        Clear-HelloSignEmulatorLog -Emulator $emulator
        $connection = Connect-TestAccount $emulator
        $elsewhere = [powershell]::Create()
        $null = $elsewhere.AddScript({
                param($Manifest, $Connection, $Ids)
                Import-Module $Manifest
                $Ids | Stop-HelloSignSignatureRequest -Connection $Connection -Force -PassThru -ThrottleLimit 2
            }).AddArgument($ModuleManifest).AddArgument($connection).AddArgument($ids)
        $running = $elsewhere.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (@(Get-CancelLog $emulator).Count -lt 4 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        @(Get-CancelLog $emulator).Count | Should -BeLessThan $ids.Count   # the run was still going

        Disconnect-HelloSign -Confirm:$false
        $null = Connect-TestAccount $emulator
        $results = $elsewhere.EndInvoke($running)

        $elsewhere.Streams.Error | Should -BeNullOrEmpty
        $elsewhere.HadErrors | Should -BeFalse
        ($results.SignatureRequestId | Sort-Object) | Should -Be ($ids | Sort-Object)
        $results.Status | Select-Object -Unique | Should -Be 'Queued'
        $elsewhere.Dispose()
        { Stop-HelloSignSignatureRequest $ids[0] -Connection $connection -Force } | Should -Throw -ErrorId 'ConnectionClosed,*'
        { Get-HelloSignSignatureRequest $ids[0] -Connection $connection } | Should -Throw -ErrorId 'ConnectionClosed,*'
        # The runspace's new connection works.
        Get-HelloSignSignatureRequest (Get-SeedRequestId $emulator 'awaiting_signature')[0] | Should -Not -BeNullOrEmpty
    }

    It 'a reconnect leaves open a connection the user holds (Get-HelloSignConnection, -PassThru) until Disconnect-HelloSign' {
        $null = Connect-HelloSign -ApiKey (ConvertTo-TestSecureString (Get-SeedAccount $emulator).api_keys[0]) -ApiBaseUri $emulator.ApiBaseUri -InformationAction Ignore
        $kept = Get-HelloSignConnection
        $null = Connect-TestAccount $emulator

        $kept.IsOpen | Should -BeTrue
        Disconnect-HelloSign -Connection $kept -Confirm:$false
        $kept.IsOpen | Should -BeFalse
    }

    It 'Remove-Module closes the runspace''s connection' {
        $run = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'
Connect-HelloSign -ApiKey (ConvertTo-SecureString '$((Get-SeedAccount $emulator).api_keys[0])' -AsPlainText -Force) -ApiBaseUri '$($emulator.ApiBaseUri)' -InformationAction Ignore
`$connection = Get-HelloSignConnection
Remove-Module HelloSign
"open after removal: `$(`$connection.IsOpen)"
"@

        $run.Output | Should -Match 'open after removal: False'
    }
}
