# Runs the README's recipes as written, against the emulator. A recipe is a ```powershell block preceded by
# <!-- recipe: name -->. Interactive and Azure-only commands are stood in for by functions of the same name.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator
    $alpha = Get-SeedAccount $emulator
    $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
    $recipes = @{}
    foreach ($match in [regex]::Matches($readme, '<!-- recipe: (?<name>[\w-]+) -->\s*```powershell\r?\n(?<code>.*?)```', 'Singleline')) {
        $recipes[$match.Groups['name'].Value] = $match.Groups['code'].Value
    }

    function Read-Host { param([switch] $AsSecureString, $Prompt) ConvertTo-SecureString $alpha.api_keys[0] -AsPlainText -Force }
    function Get-AutomationPSCredential { param($Name) [pscredential]::new('api', (ConvertTo-SecureString $alpha.api_keys[0] -AsPlainText -Force)) }
    function Push-OutputBinding { param($Name, $Value) $script:functionResponse = $Value }

    # Dot-source the result in the test, so the recipe's variables ($failed, ...) are there to check.
    function Get-Recipe([string] $Name) {
        $recipes.Keys | Should -Contain $Name
        [scriptblock]::Create($recipes[$Name])
    }
}

AfterAll {
    $PSDefaultParameterValues.Remove('Connect-HelloSign:ApiBaseUri')
    Pop-Location
    Disconnect-HelloSign -Confirm:$false
    Stop-HelloSignEmulator -Emulator $emulator
}

Describe 'README recipes' {
    BeforeAll {
        $PSDefaultParameterValues['Connect-HelloSign:ApiBaseUri'] = $emulator.ApiBaseUri
        $PSDefaultParameterValues['Connect-HelloSign:InformationAction'] = 'Ignore'
        # As a user's session starts: the module is not on PSModulePath until the README's install step puts it there.
        $savedModulePath = $env:PSModulePath
        $userModulePath = ($env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object { $_ -and -not (Test-Path (Join-Path $_ 'HelloSign')) }) -join [IO.Path]::PathSeparator
        $env:TEMP = $TestDrive
        Push-Location $TestDrive
    }

    BeforeEach {
        $ErrorActionPreference = 'Continue'   # as in a user's session: per-id errors don't stop a recipe
        $env:PSModulePath = $userModulePath
        Reset-HelloSignEmulator -Emulator $emulator
        $pending = Get-SeedRequestId $emulator 'awaiting_signature'
        Set-Content ids.txt (@($pending[0..2]) + '' + 'not-an-id' + (Get-SeedRequestId $emulator 'complete')[0])
        Remove-Item cancel-journal.jsonl, canceled.csv -ErrorAction SilentlyContinue
        $null = Connect-TestAccount $emulator
        Clear-HelloSignEmulatorLog -Emulator $emulator
    }

    AfterAll {
        $env:PSModulePath = $savedModulePath
    }

    It 'finds all the recipes the README promises' {
        $recipes.Keys | Sort-Object | Should -Be @('azure-function', 'cancel-file', 'download-then-remove', 'find-and-cancel', 'module-path', 'parallel', 'remind-week-old', 'remove-completed', 'retry-failed', 'runbook', 'runbook-oauth', 'search', 'wait')
    }

    It 'cancel-file asks for confirmation: this non-interactive host can''t, so nothing is sent' {
        $refusal = { . (Get-Recipe 'cancel-file') } | Should -Throw -PassThru

        @(Get-CancelLog $emulator).Count | Should -Be 0
        $refusal.FullyQualifiedErrorId | Should -BeLike 'ConfirmationNotPossible*'
    }

    It 'cancel-file, confirmed (Yes to All), cancels the ids and reports the bad lines' {
        $ConfirmPreference = 'None'

        . (Get-Recipe 'cancel-file') 2>$null

        (Get-CancelLog $emulator | ForEach-Object { $_.path -replace '.*/', '' } | Sort-Object) | Should -Be ((@($pending[0..2]) + (Get-SeedRequestId $emulator 'complete')[0]) | Sort-Object)
        $failed.TargetObject | Sort-Object | Should -Be (@('not-an-id', (Get-SeedRequestId $emulator 'complete')[0]) | Sort-Object)
    }

    It 'find-and-cancel previews, then cancels the old pending requests and exports them' {
        . (Get-Recipe 'find-and-cancel')

        $exported = Import-Csv canceled.csv
        $exported.Count | Should -BeGreaterThan 0
        $exported.Status | Select-Object -Unique | Should -Be 'Queued'
        @(Get-CancelLog $emulator).Count | Should -Be $exported.Count
    }

    It 'retry-failed sends again only the ids that failed for a transient reason' {
        . (Get-Recipe 'retry-failed') 2>$null | Out-Null

        $failed.TargetObject | Should -Contain 'not-an-id'
        $cancels = @(Get-CancelLog $emulator)
        $cancels.Count | Should -Be 4   # three pending and the complete one; nothing retried (none was transient)
    }

    It 'wait confirms each cancel' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ cancel_delay_ms = 500 }

        $groups = . (Get-Recipe 'wait') 2>$null

        ($groups | Where-Object Name -EQ 'Canceled').Count | Should -Be 3
    }

    It 'remove-completed removes access to the completed NDA' {
        $removed = . (Get-Recipe 'remove-completed')

        $removed.Status | Should -Be 'Removed'
        $removed.SignatureRequestId | Should -Be ($emulator.Seed.signature_requests | Where-Object { $_.state -eq 'complete' -and $_.title -match 'NDA' -and $_.account_id -eq $alpha.account_id }).signature_request_id
    }

    It 'download-then-remove saves each completed request''s PDF, then removes access to those saved' {
        $completed = @($emulator.Seed.signature_requests | Where-Object { $_.state -eq 'complete' -and $_.account_id -eq $alpha.account_id }).signature_request_id
        Remove-Item (Join-Path $TestDrive '*.pdf') -Recurse -Force -ErrorAction SilentlyContinue

        $removed = . (Get-Recipe 'download-then-remove')

        foreach ($id in $completed) { [IO.File]::ReadAllText((Join-Path $TestDrive "$id.pdf")) | Should -Match '^%PDF' }
        ($removed.SignatureRequestId | Sort-Object) | Should -Be ($completed | Sort-Object)
        $removed.Status | Select-Object -Unique | Should -Be 'Removed'
        $log = Get-HelloSignEmulatorLog -Emulator $emulator
        ($log | Where-Object path -Like '*/files/*').Count | Should -Be $completed.Count
        # Every download came before the first removal.
        ($log | Where-Object path -Like '*/files/*').seq | ForEach-Object { $_ | Should -BeLessThan ($log | Where-Object path -Like '*/remove/*')[0].seq }
    }

    It 'download-then-remove keeps access to a request whose copy could not be saved' {
        $completed = @($emulator.Seed.signature_requests | Where-Object { $_.state -eq 'complete' -and $_.account_id -eq $alpha.account_id }).signature_request_id
        # A directory where the first PDF should go: that copy cannot be saved.
        Remove-Item (Join-Path $TestDrive '*.pdf') -Recurse -Force -ErrorAction SilentlyContinue
        $null = New-Item -ItemType Directory (Join-Path $TestDrive "$($completed[0]).pdf")

        $removed = . (Get-Recipe 'download-then-remove') 2>$null

        $removed.SignatureRequestId | Should -Be $completed[1]
        (Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -Like '*/remove/*').path | Should -BeLike "*/$($completed[1])"
    }

    It 'remind-week-old reminds each waiting signer of the requests older than a week, once' {
        $cutoff = [DateTimeOffset]::UtcNow.AddDays(-7).ToUnixTimeSeconds()
        $expected = @($emulator.Seed.signature_requests |
            Where-Object { $_.account_id -eq $alpha.account_id -and $_.state -in 'awaiting_signature', 'partially_signed' -and $_.created_at -lt $cutoff } |
            ForEach-Object { $_.signatures | Where-Object status_code -EQ 'awaiting_signature' }).signer_email_address

        $table = . (Get-Recipe 'remind-week-old') | Out-String

        $reminders = @(Invoke-RestMethod "$($emulator.AdminUri)/reminders" -NoProxy | ForEach-Object { $_ })
        $expected.Count | Should -BeGreaterThan 1
        ($reminders.email_address | Sort-Object) | Should -Be ($expected | Sort-Object)
        $table | Should -Match ([regex]::Escape($expected[0]))
    }

    It 'search lists the whole team''s open offer letters' {
        $table = . (Get-Recipe 'search') | Out-String

        $table | Should -Match 'Offer letter'
        (Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -EQ '/v3/signature_request/list')[0].query | Should -Match 'account_id=all'
    }

    It 'parallel finds no module by name before the install step puts out/ on PSModulePath' {
        $results = . (Get-Recipe 'parallel') 2>&1

        @($results | Where-Object { $_ -is [HelloSign.SignatureRequestActionResult] }) | Should -BeNullOrEmpty
        "$($results | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })" | Should -Match 'HelloSign'
        @(Get-CancelLog $emulator).Count | Should -Be 0
    }

    It 'parallel, after the install step''s module-path line, cancels from several runspaces with one connection' {
        Push-Location $RepoRoot
        try { . (Get-Recipe 'module-path') }
        finally { Pop-Location }

        $results = . (Get-Recipe 'parallel') 2>$null

        ($results.SignatureRequestId | Sort-Object) | Should -Be ($pending[0..2] | Sort-Object)
    }

    It 'runbook cancels with a journal and a re-run sends nothing new' {
        $output = . (Get-Recipe 'runbook') 2>$null
        $firstCancels = @(Get-CancelLog $emulator).Count
        Clear-HelloSignEmulatorLog -Emulator $emulator
        $null = . (Get-Recipe 'runbook') 2>$null

        $firstCancels | Should -Be 4
        "$output" | Should -Match '3 queued'
        @(Get-CancelLog $emulator).Count | Should -Be 1   # only the one that failed (the completed request) is retried
        @(Get-Content (Join-Path $TestDrive 'cancel-journal.jsonl')).Count | Should -Be 5
    }

    It 'azure-function verifies a real event and answers the exact reply, and rejects a forged one' {
        $env:HELLOSIGN_API_KEY = $alpha.api_keys[0]
        $time = '1700000000'
        $hmac = [Security.Cryptography.HMACSHA256]::new([Text.Encoding]::UTF8.GetBytes($alpha.api_keys[0]))
        $hash = -join ($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($time + 'signature_request_canceled')) | ForEach-Object { $_.ToString('x2') })
        $json = @{ event = @{ event_time = $time; event_type = 'signature_request_canceled'; event_hash = $hash }; signature_request = @{ signature_request_id = $pending[0] } } | ConvertTo-Json -Compress
        $body = "--xyz`r`nContent-Disposition: form-data; name=`"json`"`r`n`r`n$json`r`n--xyz--`r`n"
        try {
            $script:functionResponse = $null
            & (Get-Recipe 'azure-function') -Request @{ Body = $body } -TriggerMetadata @{} 6>$null
            $accepted = $script:functionResponse
            & (Get-Recipe 'azure-function') -Request @{ Body = $body.Replace($hash, $hash.Replace('a', 'b').Replace('1', '2')) } -TriggerMetadata @{} 3>$null
            $rejected = $script:functionResponse
        }
        finally {
            Remove-Item Env:HELLOSIGN_API_KEY
        }

        [int]$accepted.StatusCode | Should -Be 200
        $accepted.Body | Should -BeExactly 'Hello API Event Received'
        [int]$rejected.StatusCode | Should -Be 400
    }

    It 'runbook-oauth renews the token during the run and stores the current refresh token back' {
        # Tokens that live a second and cancels that take half of one: the run has to renew.
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ latency_ms = 500; oauth = @{ access_token_lifetime_seconds = 1 } }
        $grant = New-HelloSignEmulatorOAuthGrant -Emulator $emulator
        $PSDefaultParameterValues['Connect-HelloSign:OAuthBaseUri'] = $emulator.ApiBaseUri -replace '/v3$', ''
        function Get-AutomationPSCredential { param($Name) [pscredential]::new('emulator-client-id', (ConvertTo-SecureString 'emulator-client-secret' -AsPlainText -Force)) }
        function Get-AutomationVariable { param($Name) $grant.refresh_token }
        function Set-AutomationVariable { param($Name, $Value) $script:stored = @{ Name = $Name; Value = $Value } }
        try {
            . (Get-Recipe 'runbook-oauth') 2>$null
        }
        finally {
            $PSDefaultParameterValues.Remove('Connect-HelloSign:OAuthBaseUri')
        }

        @(Get-CancelLog $emulator | Where-Object status -EQ 200).Count | Should -Be 3   # the three pending ones (the complete one answers 400)
        @(Get-HelloSignEmulatorOAuthLog -Emulator $emulator | Where-Object status -EQ 200).Count | Should -BeGreaterThan 1
        $stored.Name | Should -Be 'HelloSignRefreshToken'
        $stored.Value | Should -Be (Get-HelloSignEmulatorOAuthIssued -Emulator $emulator).RefreshTokens[-1]
        $stored.Value | Should -Not -Be $grant.refresh_token
    }
}
