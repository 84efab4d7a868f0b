BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator
    $alpha = Get-SeedAccount $emulator

    function Read-Journal([string] $Path) {
        @(Get-Content $Path | Where-Object { $_ } | ForEach-Object { try { $_ | ConvertFrom-Json } catch { } })
    }

    # A child pwsh that cancels the ids in $IdsFile slowly (one at a time) with a journal.
    function Start-SlowJournaledRun([string] $IdsFile, [string] $Journal) {
        Start-ChildPwsh @"
Import-Module '$ModuleManifest'
Connect-HelloSign -ApiKey (ConvertTo-SecureString '$($alpha.api_keys[0])' -AsPlainText -Force) -ApiBaseUri '$($emulator.ApiBaseUri)' -InformationAction Ignore
Get-Content '$IdsFile' | Stop-HelloSignSignatureRequest -Force -ThrottleLimit 1 -JournalPath '$Journal'
"@
    }
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Stop-HelloSignSignatureRequest -JournalPath' {
    BeforeEach {
        Reset-TestSession $emulator
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 40
        $idsFile = Join-Path $TestDrive "ids-$([guid]::NewGuid()).txt"
        $journal = Join-Path $TestDrive "journal-$([guid]::NewGuid()).jsonl"
        Set-Content $idsFile $ids
    }

    It 'after a killed run, the re-run sends only what was not journaled as final, and each id ends up journaled once' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ latency_ms = 100 }
        $child = Start-SlowJournaledRun $idsFile $journal
        Wait-FileLines $journal 10
        $child.Kill($true)
        $child.WaitForExit()
        $journaledBefore = @(Read-Journal $journal | Where-Object outcome -In 'Queued', 'Gone' | ForEach-Object id)
        $journaledBefore.Count | Should -BeGreaterOrEqual 10
        $journaledBefore.Count | Should -BeLessThan $ids.Count
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{}
        Clear-HelloSignEmulatorLog -Emulator $emulator

        Get-Content $idsFile | Stop-HelloSignSignatureRequest -Force -JournalPath $journal -InformationVariable info -WarningAction SilentlyContinue

        $resent = @(Get-CancelLog $emulator | ForEach-Object { $_.path -replace '.*/', '' })
        $resent | Should -Not -BeNullOrEmpty
        $resent | Where-Object { $_ -in $journaledBefore } | Should -BeNullOrEmpty
        ($resent.Count + $journaledBefore.Count) | Should -Be $ids.Count
        $entries = Read-Journal $journal
        ($entries.id | Sort-Object) | Should -Be ($ids | Sort-Object)
        $entries.outcome | Select-Object -Unique | Should -BeIn 'Queued', 'Gone'
        ($info | Where-Object { $_.Tags -contains 'Summary' }).MessageData.Skipped | Should -Be $journaledBefore.Count
        (Get-HelloSignEmulatorState -Emulator $emulator | Where-Object { $_.signature_request_id -in $ids }).cancel_count | Select-Object -Unique | Should -Be 1
    }

    It 'ignores a half-written last line with a warning and writes skipped outcomes with -PassThru' {
        Stop-HelloSignSignatureRequest $ids[0] -Force -JournalPath $journal
        Add-Content -Path $journal -Value '{"id":"half-writ' -NoNewline
        Clear-HelloSignEmulatorLog -Emulator $emulator

        $results = $ids[0..1] | Stop-HelloSignSignatureRequest -Force -PassThru -JournalPath $journal -WarningVariable warns -WarningAction SilentlyContinue

        "$warns" | Should -Match 'could not be read'
        ($results | Where-Object SignatureRequestId -EQ $ids[0]).FromJournal | Should -BeTrue
        ($results | Where-Object SignatureRequestId -EQ $ids[0]).Attempts | Should -Be 0
        ($results | Where-Object SignatureRequestId -EQ $ids[1]).FromJournal | Should -BeFalse
        (Get-CancelLog $emulator).path | Should -Be "/v3/signature_request/cancel/$($ids[1])"
        (Read-Journal $journal).id | Should -Be @($ids[0], $ids[1])
    }

    It 'retries ids whose journaled outcome is a failure' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 3; faults = @{ http500 = 1.0 } }
        Stop-HelloSignSignatureRequest $ids[0] -Force -MaxRetry 0 -JournalPath $journal -ErrorAction SilentlyContinue
        (Read-Journal $journal)[0].outcome | Should -Be 'Failed'
        (Read-Journal $journal)[0].error | Should -Be 'Unknown'   # the API's error_name for a 500
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{}

        $result = Stop-HelloSignSignatureRequest $ids[0] -Force -PassThru -JournalPath $journal

        $result.Status | Should -Be 'Queued'
        (Read-Journal $journal)[-1].outcome | Should -Be 'Queued'
    }

    It 'refuses a journal written for another account, sending nothing' {
        $beta = Get-SeedAccount $emulator 'beta@example.test'
        $line = @{ id = $ids[0]; outcome = 'Queued'; error = $null; time = '2026-11-29T10:00:00.000Z'; account_id = $beta.account_id; action = 'Cancel' } | ConvertTo-Json -Compress
        Set-Content $journal $line
        Clear-HelloSignEmulatorLog -Emulator $emulator

        { $ids[0..2] | Stop-HelloSignSignatureRequest -Force -JournalPath $journal } | Should -Throw -ErrorId 'JournalForOtherRun,*'

        Get-CancelLog $emulator | Should -BeNullOrEmpty
    }

    It 'refuses to share a journal with a run that is still going' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ latency_ms = 200 }
        $child = Start-SlowJournaledRun $idsFile $journal
        try {
            Wait-FileLines $journal 1

            $thrown = { $ids[0] | Stop-HelloSignSignatureRequest -Force -JournalPath $journal } | Should -Throw -PassThru

            $thrown.FullyQualifiedErrorId | Should -BeLike 'JournalInUse,*'
            $thrown.CategoryInfo.Category | Should -Be 'ResourceBusy'
        }
        finally {
            $child.Kill($true)
            $child.WaitForExit()
        }
    }

    It 'when the run ends early (-ErrorAction Stop), nothing more is sent and every cancel sent is journaled' {
        # A tight rate limit keeps later ids waiting in the pacer when the first (unknown) id stops the run.
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = @{ window_seconds = 6; limit = 3 } }
        $unknown = 'ffffffffffffffffffffffffffffffffffffffff'

        { @($unknown) + $ids[0..9] | Stop-HelloSignSignatureRequest -Force -ThrottleLimit 4 -JournalPath $journal -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,*'
        # A marker request in the emulator's log: everything the command sent must have started before it.
        $null = Invoke-WebRequest "$($emulator.ApiBaseUri)/account" -SkipHttpErrorCheck
        Start-Sleep -Seconds 7   # past the window: a request still waiting would have gone out by now

        $marker = Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object { $_.path -eq '/v3/account' -and $_.auth_scheme -eq 'none' }
        $late = @(Get-CancelLog $emulator | Where-Object { $_.started_at_ms -gt $marker.started_at_ms })
        $late | Should -BeNullOrEmpty
        $sent = @(Get-CancelLog $emulator | Where-Object status -EQ 200 | ForEach-Object { $_.path -replace '.*/', '' })
        $journaled = @(Read-Journal $journal | Where-Object outcome -EQ 'Queued' | ForEach-Object id)
        $sent | Where-Object { $_ -notin $journaled } | Should -BeNullOrEmpty
    }

    It 'a journal in a folder that does not exist is a clear not-accessible error, not "in use"' {
        { $ids[0] | Stop-HelloSignSignatureRequest -Force -JournalPath (Join-Path $TestDrive 'no/such/folder/j.jsonl') } | Should -Throw -ErrorId 'JournalNotAccessible,*'
    }

    It '-WhatIf writes nothing to the journal' {
        $ids[0..4] | Stop-HelloSignSignatureRequest -WhatIf -JournalPath $journal

        Test-Path $journal | Should -BeFalse
        Get-CancelLog $emulator | Should -BeNullOrEmpty
    }

    It 'Remove-HelloSignSignatureRequest journals too' {
        $done = (Get-SeedRequestId $emulator 'complete')[0]

        Remove-HelloSignSignatureRequest $done -Force -JournalPath $journal
        $again = Remove-HelloSignSignatureRequest $done -Force -PassThru -JournalPath $journal

        $again.FromJournal | Should -BeTrue
        $again.Status | Should -Be 'Removed'
        (Read-Journal $journal).action | Should -Be 'Remove'
    }
}
