BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Stop-HelloSignSignatureRequest' {
    BeforeEach {
        Reset-TestSession $emulator
        $pending = Get-SeedRequestId $emulator 'awaiting_signature'
    }

    Context 'an ids file as admins have them' {
        BeforeEach {
            # A Windows file: UTF-8 BOM, CRLF, a blank line, padding, a duplicate, links, junk.
            $lines = @(
                $pending[0]
                ''
                "  $($pending[1])`t"
                $pending[0].ToUpperInvariant()
                "https://app.hellosign.com/home/manage?guid=$($pending[2])"
                "https://app.hellosign.com/sign/$($pending[3])"
                'not-an-id'
                '../../account'
            )
            $idsFile = Join-Path $TestDrive 'ids.txt'
            [IO.File]::WriteAllText($idsFile, ($lines -join "`r`n") + "`r`n", [Text.UTF8Encoding]::new($true))
        }

        It 'cancels each distinct id once, warns on the duplicate and reports the junk lines' {
            $results = Get-Content $idsFile | Stop-HelloSignSignatureRequest -Force -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue

            $results.SignatureRequestId | Sort-Object | Should -Be ($pending[0..3] | Sort-Object)
            $results.Status | Select-Object -Unique | Should -Be 'Queued'
            $cancels = Get-CancelLog $emulator
            $cancels.Count | Should -Be 4
            ($cancels.path | ForEach-Object { $_ -replace '.*/', '' } | Sort-Object) | Should -Be ($pending[0..3] | Sort-Object)
            $errs.Count | Should -Be 2
            $errs.TargetObject | Should -Be @('not-an-id', '../../account')
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSignatureRequestId,*'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            @($warns | Where-Object { "$_" -like '*more than once*' }).Count | Should -Be 1
        }

        It 'no path outside the cancel endpoint is ever requested' {
            Clear-HelloSignEmulatorLog -Emulator $emulator
            Get-Content $idsFile | Stop-HelloSignSignatureRequest -Force -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $paths = (Get-HelloSignEmulatorLog -Emulator $emulator).path
            $paths | Should -Not -BeNullOrEmpty
            $paths | ForEach-Object { $_ | Should -Match '^/v3/signature_request/cancel/[0-9a-f]{40}$' }
        }

        It '-WhatIf sends nothing' {
            $output = Get-Content $idsFile | Stop-HelloSignSignatureRequest -WhatIf -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $output | Should -BeNullOrEmpty
            Get-CancelLog $emulator | Should -BeNullOrEmpty
        }
    }

    Context 'confirmation' {
        It '-Confirm:$false goes ahead without -Force' {
            Stop-HelloSignSignatureRequest -Id $pending[0] -Confirm:$false

            (Get-CancelLog $emulator).Count | Should -Be 1
        }

        It 'refuses in a non-interactive host before sending anything, naming -Force and -Confirm:$false' {
            $account = Get-SeedAccount $emulator
            $child = Invoke-ChildPwsh -NonInteractive -Script @"
Import-Module '$ModuleManifest'
Connect-HelloSign -ApiKey (ConvertTo-SecureString '$($account.api_keys[0])' -AsPlainText -Force) -ApiBaseUri '$($emulator.ApiBaseUri)' -InformationAction Ignore
try { '$($pending[0])', '$($pending[1])' | Stop-HelloSignSignatureRequest; 'NOT-REFUSED' }
catch { 'ERRORID=' + `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@

            $child.Output | Should -Not -Match 'NOT-REFUSED'
            $child.Output | Should -Match 'ERRORID=ConfirmationNotPossible'
            $child.Output | Should -Match '-Force'
            $child.Output | Should -Match '-Confirm:\$false'
            Get-CancelLog $emulator | Should -BeNullOrEmpty
        }

        It 'prompts by default: ConfirmImpact is High' {
            $command = Get-Command Stop-HelloSignSignatureRequest
            $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]

            $attribute.ConfirmImpact | Should -Be 'High'
            $attribute.SupportsShouldProcess | Should -BeTrue
        }
    }

    Context 'results' {
        It 'writes nothing on success without -PassThru' {
            Stop-HelloSignSignatureRequest $pending[0] -Force | Should -BeNullOrEmpty
        }

        It '-PassThru writes typed results with the rate-limit figures' {
            $result = Stop-HelloSignSignatureRequest $pending[0] -Force -PassThru

            $result | Should -BeOfType ([HelloSign.SignatureRequestActionResult])
            $result.PSObject.TypeNames[0] | Should -Be 'HelloSign.SignatureRequestActionResult'
            $result.SignatureRequestId | Should -Be $pending[0]
            $result.Status | Should -Be 'Queued'
            $result.Action | Should -Be 'Cancel'
            $result.Time.Offset | Should -Be ([TimeSpan]::Zero)
            $result.RateLimitLimit | Should -BeGreaterThan 0
            $result.RateLimitRemaining | Should -Not -BeNullOrEmpty
        }

        It 'an already canceled request is Gone, with a warning and no error' {
            $canceled = (Get-SeedRequestId $emulator 'canceled')[0]

            $result = Stop-HelloSignSignatureRequest $canceled -Force -PassThru -WarningVariable warns -WarningAction SilentlyContinue -ErrorVariable errs

            $result.Status | Should -Be 'Gone'
            $errs | Should -BeNullOrEmpty
            "$warns" | Should -Match '410'
        }

        It 'canceling twice in a row gives Queued then Gone' {
            (Stop-HelloSignSignatureRequest $pending[0] -Force -PassThru).Status | Should -Be 'Queued'
            (Stop-HelloSignSignatureRequest $pending[0] -Force -PassThru -WarningAction SilentlyContinue).Status | Should -Be 'Gone'
        }

        It 'binds by property name from Import-Csv rows with a signature_request_id column' {
            $csv = Join-Path $TestDrive 'ids.csv'
            $pending[0..1] | ForEach-Object { [pscustomobject]@{ signature_request_id = $_; note = 'x' } } | Export-Csv $csv

            $results = Import-Csv $csv | Stop-HelloSignSignatureRequest -Force -PassThru

            $results.SignatureRequestId | Sort-Object | Should -Be ($pending[0..1] | Sort-Object)
        }
    }

    Context 'per-id errors' {
        It 'gives each failure its own error record and goes on with the rest' {
            $complete = (Get-SeedRequestId $emulator 'complete')[0]
            $foreign = (Get-SeedRequestId $emulator 'awaiting_signature' 'beta@example.test')[0]
            $unknown = 'ffffffffffffffffffffffffffffffffffffffff'

            $results = $complete, $pending[0], $foreign, $unknown, $pending[1] |
                Stop-HelloSignSignatureRequest -Force -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue

            $results.SignatureRequestId | Sort-Object | Should -Be ($pending[0..1] | Sort-Object)
            $errs.Count | Should -Be 3
            $byTarget = @{}
            $errs | ForEach-Object { $byTarget[$_.TargetObject] = $_ }

            $byTarget[$complete].FullyQualifiedErrorId | Should -BeLike 'SignatureRequestCancelFailed,*'
            $byTarget[$complete].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $byTarget[$complete].Exception.Message | Should -Match 'Remove-HelloSignSignatureRequest'
            $byTarget[$complete].Exception.StatusCode | Should -Be 400

            $byTarget[$foreign].FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
            $byTarget[$foreign].CategoryInfo.Category | Should -Be 'PermissionDenied'

            $byTarget[$unknown].FullyQualifiedErrorId | Should -BeLike 'NotFound,*'
            $byTarget[$unknown].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $byTarget[$unknown].Exception.Message | Should -Match 'not_found'
        }

        It 'retrying exactly the failed ids from $err.TargetObject works' {
            $unknown = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'
            $pending[0], $unknown | Stop-HelloSignSignatureRequest -Force -ErrorVariable err -ErrorAction SilentlyContinue
            Clear-HelloSignEmulatorLog -Emulator $emulator

            $err.TargetObject | Stop-HelloSignSignatureRequest -Force -ErrorAction SilentlyContinue

            (Get-CancelLog $emulator).path | Should -Be "/v3/signature_request/cancel/$unknown"
        }

        It 'a refused key stops the pipeline with a terminating 401 error' {
            Revoke-HelloSignEmulatorKey -Emulator $emulator -AccountId (Get-SeedAccount $emulator).account_id

            { $pending | Stop-HelloSignSignatureRequest -Force -ThrottleLimit 1 } | Should -Throw -ErrorId 'Unauthorized,HelloSign.Commands.StopHelloSignSignatureRequestCommand'

            # Every later id would fail the same way, so only the first was sent.
            (Get-CancelLog $emulator).Count | Should -Be 1
            (Get-CancelLog $emulator)[0].status | Should -Be 401
        }

        It 'a body that is not JSON still gives a clear per-id error' {
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 1; faults = @{ http502 = 1.0 } }

            Stop-HelloSignSignatureRequest $pending[0] -Force -MaxRetry 0 -ErrorVariable errs -ErrorAction SilentlyContinue

            $errs.Count | Should -Be 1
            $errs[0].TargetObject | Should -Be $pending[0]
            $errs[0].Exception.Message | Should -Match 'HTTP 502'
            $errs[0].Exception.Message | Should -Match 'text/html'
        }
    }

    Context 'streams' {
        It '-Verbose shows each request, its status and the rate-limit headers' {
            $verbose = Stop-HelloSignSignatureRequest $pending[0] -Force -Verbose 4>&1 | ForEach-Object { "$_" }

            $verbose | Should -Contain "POST signature_request/cancel/$($pending[0]) (attempt 1)"
            ($verbose -match '-> 200') | Should -Not -BeNullOrEmpty
            ($verbose -match 'remaining \d+') | Should -Not -BeNullOrEmpty
        }

        It 'writes one summary to the Information stream whose counts add up to the input' {
            $null = $pending[0], $pending[0], 'junk', '', (Get-SeedRequestId $emulator 'canceled')[0] |
                Stop-HelloSignSignatureRequest -Force -InformationVariable info -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $summary = ($info | Where-Object { $_.Tags -contains 'Summary' }).MessageData
            $summary.Received | Should -Be 5
            $summary.Queued | Should -Be 1
            $summary.Duplicates | Should -Be 1
            $summary.Invalid | Should -Be 1
            $summary.Blank | Should -Be 1
            $summary.Gone | Should -Be 1
            ($summary.Queued + $summary.Gone + $summary.Failed + $summary.Invalid + $summary.Duplicates + $summary.Blank) | Should -Be $summary.Received
        }
    }

    Context '-Wait confirms the asynchronous cancel' {
        It 'polls until the request answers 410 and reports Canceled' {
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ cancel_delay_ms = 1500 }

            $result = Stop-HelloSignSignatureRequest $pending[0] -Force -Wait -PassThru

            $result.Status | Should -Be 'Canceled'
            $polls = @(Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object { $_.method -eq 'GET' -and $_.path -eq "/v3/signature_request/$($pending[0])" })
            $polls.Count | Should -BeGreaterOrEqual 2
            $polls[-1].status | Should -Be 410
            $polls[0].status | Should -Be 200
        }

        It 'waits for many ids together, not one after another' {
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ cancel_delay_ms = 2500 }
            $ids = $pending[0..4]

            $results = $ids | Stop-HelloSignSignatureRequest -Force -Wait -PassThru

            $results.Status | Select-Object -Unique | Should -Be 'Canceled'
            $gets = @(Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object { $_.method -eq 'GET' -and $_.path -like '/v3/signature_request/*' })
            # Every id is polled once before any id is polled a second time.
            $firstRound = $gets | Select-Object -First $ids.Count
            ($firstRound.path | ForEach-Object { $_ -replace '.*/', '' } | Sort-Object) | Should -Be ($ids | Sort-Object)
        }

        It 'also waits for an id whose retried cancel answered 410: the dropped first attempt may have queued it' {
            $connection = Connect-TestAccount $emulator
            $id = $pending[0]
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ cancel_delay_ms = 1500; faults = @{ drop = 1.0 } }

            $run = Start-ThreadJob {
                Import-Module $using:ModuleManifest
                Stop-HelloSignSignatureRequest $using:id -Connection $using:connection -Force -Wait -PassThru -WarningAction SilentlyContinue
            }
            # Drop only the first attempt: the fault goes off as soon as the emulator has processed it (the retry waits ~0.5 s).
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Get-CancelLog $emulator | Where-Object fault -EQ 'drop') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ cancel_delay_ms = 1500 }
            $result = $run | Wait-Job -Timeout 60 | Receive-Job

            $result.Status | Should -Be 'Canceled'
            (Get-CancelLog $emulator).status | Should -Be @(0, 410)   # the dropped attempt, then the retry
        }

        It 'reports still-pending ids with a warning when -WaitTimeoutSec runs out' {
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ cancel_delay_ms = 600000 }

            $result = Stop-HelloSignSignatureRequest $pending[0] -Force -Wait -WaitTimeoutSec 2 -PassThru -WarningVariable warns -WarningAction SilentlyContinue

            $result.Status | Should -Be 'Pending'
            "$warns" | Should -Match 'still pending'
        }
    }

    It 'says to run Connect-HelloSign first when there is no connection' {
        Disconnect-HelloSign -Confirm:$false

        { Stop-HelloSignSignatureRequest $pending[0] -Force } | Should -Throw '*Connect-HelloSign first*'
    }
}
