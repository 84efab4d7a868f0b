# What an admin sees during a run: live progress, confirmations that name the request, a summary that shows.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator
    $alpha = Get-SeedAccount $emulator
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'A run as an admin sees it' {
    BeforeEach {
        Reset-TestSession $emulator
    }

    It 'refreshes progress at least every 1.5 s while the rate limit holds it, with the counts the emulator has answered' {
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 14
        # 5 per 4-second window: the run spends most of its time waiting, as a real one at 100 a minute does.
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = @{ window_seconds = 4; limit = 5 } }
        Clear-HelloSignEmulatorLog -Emulator $emulator
        $powershell = [powershell]::Create()
        $null = $powershell.AddScript({
                param($Manifest, $Key, $Uri, $Ids)
                Import-Module $Manifest
                $ProgressPreference = 'Continue'
                Connect-HelloSign -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -ApiBaseUri $Uri -InformationAction Ignore
                $Ids | Stop-HelloSignSignatureRequest -Force -ThrottleLimit 2
            }).AddArgument($ModuleManifest).AddArgument($alpha.api_keys[0]).AddArgument($emulator.ApiBaseUri).AddArgument($ids)
        # Each progress record is timed when it is written (the event is raised on the writing thread).
        $null = Register-ObjectEvent -InputObject $powershell.Streams.Progress -EventName DataAdded -SourceIdentifier RunProgress
        $answers = [Collections.Generic.List[object]]::new()   # what the emulator had answered, when
        $running = $powershell.BeginInvoke()
        while (-not $running.IsCompleted) {
            $answers.Add([pscustomobject]@{ At = [DateTime]::Now; Count = @(Get-CancelLog $emulator | Where-Object status -EQ 200).Count })
            Start-Sleep -Milliseconds 100
        }
        $powershell.EndInvoke($running)
        $powershell.HadErrors | Should -BeFalse
        $samples = foreach ($event in @(Get-Event -SourceIdentifier RunProgress)) {
            $record = $powershell.Streams.Progress[$event.SourceEventArgs.Index]
            if ($record.ActivityId -eq 1 -and $record.RecordType -eq 'Processing' -and $record.StatusDescription -match '^(\d+) ') {
                [pscustomobject]@{ At = $event.TimeGenerated; Done = [int]$Matches[1]; Text = $record.StatusDescription }
            }
        }
        Unregister-Event -SourceIdentifier RunProgress
        Get-Event -SourceIdentifier RunProgress -ErrorAction Ignore | Remove-Event
        $powershell.Dispose()

        $samples.Count | Should -BeGreaterThan 5
        # While held, the bar says for what and until when.
        @($samples | Where-Object Text -Match 'waiting for the rate limit until \d\d:\d\d:\d\d \(\d+ s\)').Count | Should -BeGreaterThan 0
        for ($i = 1; $i -lt $samples.Count; $i++) {
            ($samples[$i].At - $samples[$i - 1].At).TotalSeconds | Should -BeLessOrEqual 1.5
        }
        foreach ($sample in $samples) {
            # Never more than the emulator had answered; and every answer given 1.5 s before is on the bar.
            $later = $answers | Where-Object At -GE $sample.At | Select-Object -First 1
            $sample.Done | Should -BeLessOrEqual $(if ($later) { $later.Count } else { $ids.Count })
            $earlier = $answers | Where-Object { $_.At -le $sample.At.AddSeconds(-1.5) } | Select-Object -Last 1
            if ($earlier) { $sample.Done | Should -BeGreaterOrEqual $earlier.Count }
        }
    }

    It 'names each request piped from Get-HelloSignSignatureRequest in -WhatIf, and shows a bare id as it is' {
        $id = (Get-SeedRequestId $emulator 'awaiting_signature')[0]
        $title = ($emulator.Seed.signature_requests | Where-Object signature_request_id -EQ $id).title
        $script = @"
Import-Module '$ModuleManifest'
Connect-HelloSign -ApiKey (ConvertTo-SecureString '$($alpha.api_keys[0])' -AsPlainText -Force) -ApiBaseUri '$($emulator.ApiBaseUri)' -InformationAction Ignore
Get-HelloSignSignatureRequest '$id' | Stop-HelloSignSignatureRequest -WhatIf
'$id' | Stop-HelloSignSignatureRequest -WhatIf
"@
        $run = Invoke-ChildPwsh $script
        $lines = @($run.Output -split "`r?`n" | Where-Object { $_ -like 'What if:*' })

        $lines.Count | Should -Be 2
        $lines[0] | Should -BeLike "*'$title'*($id)*"
        $lines[0] | Should -Match 'created \d{4}-\d\d-\d\d \d\d:\d\d UTC'
        $lines[1] | Should -BeLike "*: $id"
        @(Get-CancelLog $emulator).Count | Should -Be 0
    }

    It 'ends a resumed journal run with a host-visible line naming the skipped count; a clean run says nothing' {
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 4
        $journal = Join-Path $TestDrive "journal-$([guid]::NewGuid()).jsonl"

        $ids[0..2] | Stop-HelloSignSignatureRequest -Force -JournalPath $journal -InformationVariable clean
        $ids | Stop-HelloSignSignatureRequest -Force -JournalPath $journal -InformationVariable resumed

        @($clean | Where-Object { $_.Tags -contains 'PSHOST' }) | Should -BeNullOrEmpty
        $shown = @($resumed | Where-Object { $_.Tags -contains 'PSHOST' })
        $shown.Count | Should -Be 1
        "$($shown[0].MessageData)" | Should -Match '3 skipped \(journal\)'
        ($resumed | Where-Object { $_.Tags -contains 'Summary' }).MessageData.Skipped | Should -Be 3
    }
}
