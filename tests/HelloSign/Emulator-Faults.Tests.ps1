# How the module meets the API's own transient answers, produced by the emulator on cue: 409 conflict ("an
# identical request is already being processed") and a JSON 503 maintenance. Both are documented as retried.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # Default emulator on purpose: queued cancel and 100 requests per minute, as the real API.
    $emulator = Start-HelloSignEmulator
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Transient API answers: <fault>' -ForEach @(
    @{ fault = 'http409'; status = 409; errorName = 'conflict'; errorId = 'Conflict,*'; category = 'ResourceBusy' }
    @{ fault = 'http503'; status = 503; errorName = 'maintenance'; errorId = 'Maintenance,*'; category = 'ResourceUnavailable' }
) {
    BeforeEach {
        Reset-TestSession $emulator
        $pending = Get-SeedRequestId $emulator 'awaiting_signature'
    }

    It 'is retried until the cancel gets through, and the request is canceled once' {
        # Seed 1 draws a fault first (0.25 < 0.5), so at least one retry happens; the log below proves it.
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 1; faults = @{ $fault = 0.5 } }

        $result = Stop-HelloSignSignatureRequest $pending[0] -Force -PassThru -MaxRetry 10

        $result.Status | Should -Be 'Queued'
        $log = Get-CancelLog $emulator
        $log[0].status | Should -Be $status
        $log[0].fault | Should -Be $fault
        $log[-1].status | Should -Be 200
        @($log | Where-Object status -EQ 200).Count | Should -Be 1
        (Get-HelloSignEmulatorState -Emulator $emulator -Id $pending[0]).cancel_count | Should -Be 1
    }

    It 'fails with a clear error once -MaxRetry is spent, naming the request and changing nothing' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ faults = @{ $fault = 1.0 } }

        $result = Stop-HelloSignSignatureRequest $pending[0] -Force -PassThru -MaxRetry 2 -ErrorVariable errs -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike $errorId
        "$($errs[0].CategoryInfo.Category)" | Should -Be $category
        $errs[0].TargetObject | Should -Be $pending[0]
        "$errs" | Should -Match $errorName
        @(Get-CancelLog $emulator).Count | Should -Be 3
        (Get-HelloSignEmulatorState -Emulator $emulator -Id $pending[0]).cancel_count | Should -Be 0
    }
}
