# The sandbox: tools/Sandbox.ps1, what ./build.ps1 -Task Sandbox runs once it has built. It is driven here as a
# person would use it, through its input (redirected), and must leave no emulator behind however the shell ends.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
    $findAndCancel = [regex]::Match($readme, '<!-- recipe: find-and-cancel -->\s*```powershell\r?\n(?<code>.*?)```', 'Singleline').Groups['code'].Value
    $started = [Collections.Generic.List[int]]::new()

    function Start-Sandbox([string] $Folder) {
        $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($argument in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-File', (Join-Path $RepoRoot 'tools/Sandbox.ps1'), '-WorkingDirectory', $Folder) {
            $start.ArgumentList.Add($argument)
        }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [Diagnostics.Process]::Start($start)
        $started.Add($process.Id)
        [pscustomobject]@{ Process = $process; Output = [Text.StringBuilder]::new(); Errors = $process.StandardError.ReadToEndAsync() }
    }

    # Reads the sandbox's output until a line matches, and returns that match.
    function Wait-SandboxLine([object] $Sandbox, [string] $Pattern, [int] $TimeoutSec = 120) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while ($true) {
            $next = $Sandbox.Process.StandardOutput.ReadLineAsync()
            $left = $deadline - [DateTime]::UtcNow
            if ($left -le [TimeSpan]::Zero -or -not $next.Wait($left)) { throw "No line matched '$Pattern' in $TimeoutSec s. Output so far:`n$($Sandbox.Output)" }
            if ($null -eq $next.Result) { throw "The sandbox ended before a line matched '$Pattern'. Output:`n$($Sandbox.Output)`n$($Sandbox.Errors.Result)" }
            $null = $Sandbox.Output.AppendLine($next.Result)
            $match = [regex]::Match($next.Result, $Pattern)
            if ($match.Success) { return $match }
        }
    }

    function Wait-SandboxExit([object] $Sandbox) {
        $rest = $Sandbox.Process.StandardOutput.ReadToEndAsync()
        if (-not $Sandbox.Process.WaitForExit(120000)) { throw "The sandbox did not end within 120 s. Output:`n$($Sandbox.Output)" }
        $null = $Sandbox.Output.Append($rest.Result)
    }

    function Test-ProcessRunning([int] $Id) {
        $null -ne (Get-Process -Id $Id -ErrorAction SilentlyContinue)
    }
}

Describe 'The sandbox' {
    AfterEach {
        # Whatever a failed test left running, and only what it started.
        foreach ($id in $started) { Stop-Process -Id $id -Force -ErrorAction SilentlyContinue }
        $started.Clear()
    }

    It 'opens a connected shell where a README recipe runs as written, and exit stops the emulator' {
        $folder = Join-Path $TestDrive 'recipe'
        $sandbox = Start-Sandbox $folder
        $emulatorId = [int](Wait-SandboxLine $sandbox 'emulator process (\d+)').Groups[1].Value
        $started.Add($emulatorId)

        # A recipe of several lines ends, as typed at a prompt, with an empty line.
        $sandbox.Process.StandardInput.WriteLine($findAndCancel.TrimEnd())
        $sandbox.Process.StandardInput.WriteLine('')
        $sandbox.Process.StandardInput.WriteLine('exit')
        $sandbox.Process.StandardInput.Close()
        Wait-SandboxExit $sandbox

        $seed = Get-Content -Raw (Join-Path $folder 'sandbox-seed.json') | ConvertFrom-Json
        $account = $seed.accounts[0]
        $cutoff = [DateTimeOffset]::UtcNow.AddDays(-30).ToUnixTimeSeconds()
        $expected = @($seed.signature_requests | Where-Object { $_.account_id -eq $account.account_id -and $_.state -in 'awaiting_signature', 'partially_signed' -and $_.created_at -lt $cutoff })
        $output = "$($sandbox.Output)"
        $sandbox.Process.ExitCode | Should -Be 0 -Because $output
        $output | Should -Match "Connected to HelloSign account $([regex]::Escape($account.email_address))"
        $output | Should -Match ([regex]::Escape($account.api_keys[0])) -Because 'the sandbox prints its demo keys for the recipes that ask for one'
        @([regex]::Matches($output, 'What if: ')).Count | Should -Be $expected.Count
        $expected.Count | Should -BeGreaterThan 0
        $canceled = @(Import-Csv (Join-Path $folder 'canceled.csv'))
        ($canceled.SignatureRequestId | Sort-Object) | Should -Be ($expected.signature_request_id | Sort-Object)
        $canceled.Status | Select-Object -Unique | Should -Be 'Queued'
        Test-ProcessRunning $emulatorId | Should -BeFalse
    }

    It 'keeps the emulator through a Ctrl+C meant for a command in the shell, and stops it when the shell is killed' {
        $sandbox = Start-Sandbox (Join-Path $TestDrive 'killed')
        $emulatorId = [int](Wait-SandboxLine $sandbox 'emulator process (\d+)').Groups[1].Value
        $started.Add($emulatorId)
        if (Test-Path "/proc/$emulatorId/status") {
            # Ctrl+C in a terminal sends SIGINT to every process of the foreground group, the emulator's included.
            $ignored = (Get-Content "/proc/$emulatorId/status" | Where-Object { $_ -like 'SigIgn:*' }) -replace 'SigIgn:\s*'
            [Convert]::ToUInt64($ignored, 16) -band 2 | Should -Be 2 -Because 'SIGINT (signal 2) must be ignored by the emulator'
            & kill -INT $emulatorId
            $sandbox.Process.StandardInput.WriteLine('"ALIVE-" + (Get-HelloSignSignatureRequest -First 1).SignatureRequestId')
            $null = Wait-SandboxLine $sandbox 'ALIVE-[0-9a-f]{20}'
        }
        $sandbox.Process.StandardInput.WriteLine('"SHELL-$PID"')
        $shellProcessId = [int](Wait-SandboxLine $sandbox 'SHELL-(\d+)').Groups[1].Value
        $started.Add($shellProcessId)

        Stop-Process -Id $shellProcessId -Force
        Wait-SandboxExit $sandbox

        Test-ProcessRunning $shellProcessId | Should -BeFalse
        Test-ProcessRunning $emulatorId | Should -BeFalse
        $sandbox.Output.ToString() | Should -Match 'the emulator is stopped'
    }
}
