BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator -Config (Get-TestEmulatorConfig -Unlimited)   # thousands of ids
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Bulk cancellation' {
    BeforeEach {
        Reset-TestSession $emulator
    }

    It 'loses no id among 2,000 under 20% transient faults of every kind, and cancels each exactly once' {
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 2000
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{
            seed = 42; timeout_delay_ms = 3000
            faults = @{ http500 = 0.03; http502 = 0.03; http503_html = 0.03; truncated = 0.03; reset = 0.03; timeout = 0.02; drop = 0.03 }
        }

        $results = $ids | Stop-HelloSignSignatureRequest -Force -PassThru -ThrottleLimit 16 -MaxRetry 10 -TimeoutSec 1 `
            -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -InformationVariable info

        $summary = ($info | Where-Object { $_.Tags -contains 'Summary' }).MessageData
        $faults = @(Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object fault)
        $faults.Count | Should -BeGreaterThan 300   # the faults really happened
        @($results).Count + @($errs).Count | Should -Be $ids.Count
        $outcomes = @($results.SignatureRequestId) + @($errs.TargetObject)
        ($outcomes | Sort-Object -Unique).Count | Should -Be $ids.Count
        $results.Status | Select-Object -Unique | Should -BeIn 'Queued', 'Gone'
        @($results | Where-Object Status -EQ 'Gone').Count | Should -BeGreaterThan 0   # dropped responses come back as 410
        $summary.Received | Should -Be $ids.Count
        ($summary.Queued + $summary.Gone + $summary.Failed) | Should -Be $ids.Count
        $summary.Retries | Should -BeGreaterThan 0
        $state = Get-HelloSignEmulatorState -Emulator $emulator | Where-Object { $_.signature_request_id -in $ids }
        $canceledIds = @($state | Where-Object cancel_count -GT 0)
        ($state.cancel_count | Measure-Object -Maximum).Maximum | Should -Be 1
        # Every id without an error was canceled by the emulator; those with an error carry a cause.
        $canceledIds.Count | Should -Be @($results).Count
        $errs | ForEach-Object { $_.Exception.Message | Should -Match 'attempt' }
    }

    Context 'rate limits' {
        # Each mix of signals issue 14 names, and a gateway's token bucket that sends Retry-After; every limit is tight
        # enough that 30 ids at -ThrottleLimit 8 must meet it.
        It 'finishes a run with zero failed ids and each id canceled once: <signals>' -TestCases @(
            @{ signals = 'fixed window, full headers'; limit = @{ window_seconds = 1; limit = 10 } }
            @{ signals = 'fixed window, headers on 200s only, bare 429'; limit = @{ window_seconds = 1; limit = 10; headers_on_429 = $false; retry_after = 'none' } }
            @{ signals = 'fixed window, 429 with X-Ratelimit-Reset but no Retry-After'; limit = @{ window_seconds = 1; limit = 10; retry_after = 'none' } }
            @{ signals = 'fixed window, Retry-After (seconds) alone'; limit = @{ window_seconds = 1; limit = 10; headers_on_2xx = $false; headers_on_429 = $false; retry_after = 'seconds' } }
            @{ signals = 'fixed window, Retry-After (HTTP date) alone'; limit = @{ window_seconds = 1; limit = 10; headers_on_2xx = $false; headers_on_429 = $false; retry_after = 'http_date' } }
            @{ signals = 'fixed window, no headers anywhere'; limit = @{ window_seconds = 1; limit = 10; headers_on_2xx = $false; headers_on_429 = $false; retry_after = 'none' } }
            @{ signals = 'token bucket, no headers anywhere'; limit = @{ kind = 'token_bucket'; rate_per_second = 10; burst = 1; retry_after = 'none' } }
            @{ signals = 'token bucket, Retry-After (seconds) as API gateways send it'; limit = @{ kind = 'token_bucket'; rate_per_second = 10; burst = 1; retry_after = 'seconds' } }
        ) {
            $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 30
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = $limit }
            $null = Connect-TestAccount $emulator   # as a user behind that limit would: Connect sees it too

            $results = $ids | Stop-HelloSignSignatureRequest -Force -PassThru -ThrottleLimit 8 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $errs | Should -BeNullOrEmpty
            @($results).Count | Should -Be $ids.Count
            $results.Status | Select-Object -Unique | Should -Be 'Queued'
            $state = Get-HelloSignEmulatorState -Emulator $emulator | Where-Object { $_.signature_request_id -in $ids }
            @($state | Where-Object cancel_count -EQ 1).Count | Should -Be $ids.Count
            $log = Get-CancelLog $emulator
            @($log | Where-Object status -EQ 200).Count | Should -Be $ids.Count
            @($log | Where-Object { $_.status -notin 200, 429 }) | Should -BeNullOrEmpty
            # 30 ids at 10 a second span at least two window boundaries (or 2.9 s of tokens): held back, not lucky.
            ($log[-1].started_at_ms - $log[0].started_at_ms) | Should -BeGreaterThan 1000
        }
    }

    Context '-ThrottleLimit' {
        It 'keeps up to N requests in flight (<limit>) and accounts for every id' -TestCases @(@{ limit = 1 }, @{ limit = 8 }) {
            $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 40
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ latency_ms = 100 }
            Clear-HelloSignEmulatorLog -Emulator $emulator

            $results = $ids | Stop-HelloSignSignatureRequest -Force -PassThru -ThrottleLimit $limit

            $stats = Get-HelloSignEmulatorStats -Emulator $emulator
            if ($limit -eq 1) { $stats.max_in_flight | Should -Be 1 }
            else { $stats.max_in_flight | Should -BeGreaterThan 4; $stats.max_in_flight | Should -BeLessOrEqual $limit }
            ($results.SignatureRequestId | Sort-Object) | Should -Be ($ids | Sort-Object)
        }
    }

    It 'Ctrl+C (StopProcessing) from a hosted PowerShell stops the run, and nothing is sent after it' {
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 200
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ latency_ms = 500 }
        $alpha = Get-SeedAccount $emulator
        $powershell = [powershell]::Create()
        $null = $powershell.AddScript({
                param($Manifest, $Key, $Uri, $Ids)
                Import-Module $Manifest
                Connect-HelloSign -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -ApiBaseUri $Uri -InformationAction Ignore
                $Ids | Stop-HelloSignSignatureRequest -Force -ThrottleLimit 2 -PassThru
            }).AddArgument($ModuleManifest).AddArgument($alpha.api_keys[0]).AddArgument($emulator.ApiBaseUri).AddArgument($ids)
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $running = $powershell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ($output.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }

        # Stop() returns once the pipeline has stopped; a hang would fail the test by its own timeout.
        $powershell.Stop()
        # A marker request in the emulator's log: nothing the command sent may start after it.
        $null = Invoke-WebRequest "$($emulator.ApiBaseUri)/account" -SkipHttpErrorCheck
        Start-Sleep -Milliseconds 1500   # three latencies: a request still going out would be logged by now

        $output.Count | Should -BeGreaterOrEqual 2
        $powershell.InvocationStateInfo.State | Should -Be 'Stopped'
        $marker = Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object { $_.path -eq '/v3/account' -and $_.auth_scheme -eq 'none' }
        @(Get-CancelLog $emulator | Where-Object { $_.started_at_ms -gt $marker.started_at_ms }) | Should -BeNullOrEmpty
        (Get-CancelLog $emulator).Count | Should -BeLessThan $ids.Count
        $powershell.Dispose()
        $null = $running
    }
}
