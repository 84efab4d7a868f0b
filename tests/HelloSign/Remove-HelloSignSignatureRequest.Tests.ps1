BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Remove-HelloSignSignatureRequest' {
    BeforeEach {
        Reset-TestSession $emulator
    }

    It 'removes access to completed and declined requests' {
        $done = (Get-SeedRequestId $emulator 'complete') + (Get-SeedRequestId $emulator 'declined')

        $results = $done | Remove-HelloSignSignatureRequest -Force -PassThru

        $results.Status | Select-Object -Unique | Should -Be 'Removed'
        $results.Action | Select-Object -Unique | Should -Be 'Remove'
        ($results.SignatureRequestId | Sort-Object) | Should -Be ($done | Sort-Object)
        (Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -Like '*/remove/*').Count | Should -Be $done.Count
        { Get-HelloSignSignatureRequest $done[0] } | Should -Throw -ErrorId 'Deleted,*'
    }

    It 'refuses an incomplete request with advice to use Stop-' {
        $pending = (Get-SeedRequestId $emulator 'awaiting_signature')[0]

        Remove-HelloSignSignatureRequest $pending -Force -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs.Count | Should -Be 1
        $errs[0].TargetObject | Should -Be $pending
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'SignatureRequestRemoveFailed,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $errs[0].Exception.Message | Should -Match 'Stop-HelloSignSignatureRequest'
    }

    It "refuses another account's request" {
        $foreign = (Get-SeedRequestId $emulator 'complete' 'beta@example.test')[0]

        Remove-HelloSignSignatureRequest $foreign -Force -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $errs[0].TargetObject | Should -Be $foreign
    }

    It 'is irreversible, so it confirms like Stop-: -WhatIf sends nothing' {
        $done = (Get-SeedRequestId $emulator 'complete')[0]
        $attribute = (Get-Command Remove-HelloSignSignatureRequest).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]

        Remove-HelloSignSignatureRequest $done -WhatIf

        $attribute.ConfirmImpact | Should -Be 'High'
        Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -Like '*/remove/*' | Should -BeNullOrEmpty
    }

    It 'refuses an OAuth connection before sending anything (the API takes an API key only)' {
        $tokenConnection = Connect-TestAccount $emulator -Token
        $done = (Get-SeedRequestId $emulator 'complete')[0]

        { Remove-HelloSignSignatureRequest $done -Connection $tokenConnection -Force } | Should -Throw -ErrorId 'RemoveRequiresApiKey,*'
        Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -Like '*/remove/*' | Should -BeNullOrEmpty
    }
}
