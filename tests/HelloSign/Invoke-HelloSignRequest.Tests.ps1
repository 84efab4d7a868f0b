BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # Explicit config for what these tests rely on: no rate limit to speak of, cancels not delayed.
    $emulator = Start-HelloSignEmulator -Config @{ rate_limit = @{ window_seconds = 60; limit = 1000000 }; cancel_delay_ms = 0 }
    $alpha = Get-SeedAccount $emulator

    function Get-ApiLog { @(Get-HelloSignEmulatorLog -Emulator $emulator) }
    function Get-Reminder { @(Invoke-RestMethod "$($emulator.AdminUri)/reminders" -NoProxy | ForEach-Object { $_ }) }
    function Get-FirstSigner([string] $Id) {
        ($emulator.Seed.signature_requests | Where-Object signature_request_id -EQ $Id).signatures[0].signer_email_address
    }
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Invoke-HelloSignRequest' {
    BeforeEach {
        Reset-TestSession $emulator
        Clear-HelloSignEmulatorLog -Emulator $emulator
        $pending = (Get-SeedRequestId $emulator 'awaiting_signature')[0]
        $complete = (Get-SeedRequestId $emulator 'complete')[0]
    }

    It 'GETs account and writes the JSON as ConvertFrom-Json gives it' {
        $answer = Invoke-HelloSignRequest account

        $answer | Should -BeOfType [pscustomobject]
        $answer.account.account_id | Should -Be $alpha.account_id
        $answer.account.email_address | Should -Be 'alpha@example.test'
        (Get-ApiLog).path | Should -Be '/v3/account'
    }

    It 'writes the body as a string with -Raw' {
        $raw = Invoke-HelloSignRequest /account -Raw

        $raw | Should -BeOfType [string]
        ($raw | ConvertFrom-Json).account.account_id | Should -Be $alpha.account_id
    }

    It 'encodes -Query, so a value cannot add a parameter' {
        $null = Invoke-HelloSignRequest signature_request/list -Query ([ordered]@{ query = 'title:NDA&account_id=all'; page_size = 5; skip = $null }) -ErrorAction SilentlyContinue

        @(Get-ApiLog).Count | Should -Be 1
        (Get-ApiLog)[0].query | Should -Be 'query=title%3ANDA%26account_id%3Dall&page_size=5'
    }

    It '-All follows list_info over more than three pages and writes every item once (<endpoint>)' -TestCases @(
        @{ endpoint = 'template/list'; id = 'template_id' }
        @{ endpoint = 'signature_request/list'; id = 'signature_request_id' }
    ) {
        $expected = (Invoke-HelloSignRequest $endpoint -Query @{ page_size = 100 }).list_info.num_results
        Clear-HelloSignEmulatorLog -Emulator $emulator

        $items = @(Invoke-HelloSignRequest $endpoint -All -Query @{ page_size = 2 })

        $pages = @(Get-ApiLog)
        $pages.Count | Should -BeGreaterThan 3
        $pages.Count | Should -Be ([math]::Ceiling($expected / 2))
        $items.Count | Should -Be $expected
        @($items.$id | Select-Object -Unique).Count | Should -Be $expected
        $pages.query | Should -Be (1..$pages.Count | ForEach-Object { "page_size=2&page=$_" })
    }

    It '-All refuses an endpoint that is not a list, after its one call' {
        Invoke-HelloSignRequest account -All -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotAListEndpoint,*'
        @(Get-ApiLog).Count | Should -Be 1
    }

    It 'POSTs signature_request/remind/{id} with the body as JSON, and it reaches the emulator' {
        $signer = Get-FirstSigner $pending

        $answer = Invoke-HelloSignRequest -Method POST "signature_request/remind/$pending" -Body @{ email_address = $signer }

        $answer.signature_request.signature_request_id | Should -Be $pending
        $reminder = Get-Reminder
        $reminder.Count | Should -Be 1
        $reminder[0].signature_request_id | Should -Be $pending
        $reminder[0].email_address | Should -Be $signer
    }

    It 'sends a -Body string as the JSON it is, and refuses one that is not JSON before sending' {
        $signer = Get-FirstSigner $pending

        $null = Invoke-HelloSignRequest -Method POST "signature_request/remind/$pending" -Body "{`"email_address`":`"$signer`"}"
        { Invoke-HelloSignRequest -Method POST "signature_request/remind/$pending" -Body 'email_address=x' } | Should -Throw -ErrorId 'BodyNotJson,*'
        { Invoke-HelloSignRequest account -Body @{ x = 1 } } | Should -Throw -ErrorId 'BodyWithGet,*'

        (Get-Reminder).Count | Should -Be 1
        @(Get-ApiLog).Count | Should -Be 1
    }

    It '-OutFile writes the PDF bytes' {
        $file = Join-Path $TestDrive 'final.pdf'

        $written = Invoke-HelloSignRequest "signature_request/files/$complete" -OutFile $file

        $written | Should -BeNullOrEmpty
        $bytes = [IO.File]::ReadAllBytes($file)
        [Text.Encoding]::ASCII.GetString($bytes, 0, 4) | Should -Be '%PDF'
        [Text.Encoding]::ASCII.GetString($bytes) | Should -Match '%%EOF\s*$'
        Get-ChildItem $TestDrive -Filter '*.partial' -Force | Should -BeNullOrEmpty
    }

    It '-OutFile leaves an existing file as it was when the call fails' {
        $file = Join-Path $TestDrive 'keep.pdf'
        Set-Content $file 'the old copy'

        Invoke-HelloSignRequest 'signature_request/files/ffffffffffffffffffffffffffffffffffffffff' -OutFile $file -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs.Count | Should -Be 1
        Get-Content $file | Should -Be 'the old copy'
        Get-ChildItem $TestDrive -Filter '*.partial' -Force | Should -BeNullOrEmpty
    }

    It 'refuses a binary answer without -OutFile, with advice' {
        Invoke-HelloSignRequest "signature_request/files/$complete" -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ResponseNotJson,*'
        $errs[0].Exception.Message | Should -Match '-OutFile'
    }

    It '-WhatIf on <method> sends nothing' -TestCases @(@{ method = 'POST' }, @{ method = 'PUT' }, @{ method = 'DELETE' }) {
        Invoke-HelloSignRequest -Method $method "signature_request/remind/$pending" -Body @{ email_address = 'x@example.test' } -WhatIf

        Get-ApiLog | Should -BeNullOrEmpty
        Get-Reminder | Should -BeNullOrEmpty
    }

    It 'does not prompt by default (ConfirmImpact Medium), as Invoke-RestMethod does not' {
        $attribute = (Get-Command Invoke-HelloSignRequest).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]

        $attribute.ConfirmImpact | Should -Be 'Medium'
        $attribute.SupportsShouldProcess | Should -BeTrue
    }

    It 'refuses <form> before sending anything' -TestCases @(
        @{ form = 'an absolute URL'; path = 'https://evil.example/v3/account' }
        @{ form = 'another host, scheme-relative'; path = '//evil.example/account' }
        @{ form = 'a .. segment'; path = 'signature_request/../../account' }
        @{ form = 'an encoded .. segment'; path = 'signature_request/%2e%2e/account' }
        @{ form = 'a double slash'; path = 'signature_request//list' }
        @{ form = 'a query string'; path = 'signature_request/list?api_key=secret'; shown = 'signature_request/list' }
        @{ form = 'a fragment'; path = 'account#x'; shown = 'account' }
        @{ form = 'a control character'; path = "account`r`nHost: evil.example"; shown = 'account??Host: evil.example' }
        @{ form = 'a backslash'; path = 'signature_request\..\account' }
        @{ form = 'user info'; path = 'https://key:@evil.example/account'; shown = 'evil.example/account' }
        @{ form = 'a scheme'; path = 'http:evil.example' }
        @{ form = 'an empty path'; path = '' }
    ) {
        Invoke-HelloSignRequest $path -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidApiPath,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        # The path as typed, less the parts where a pasted key would sit.
        $errs[0].TargetObject | Should -BeExactly $(if ($shown) { $shown } else { $path })
        Get-ApiLog | Should -BeNullOrEmpty
    }

    It 'reports a refused path and goes on with the next one from the pipeline' {
        $answers = 'https://evil.example/account', 'account' | Invoke-HelloSignRequest -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs.Count | Should -Be 1
        $answers.account.account_id | Should -Be $alpha.account_id
        (Get-ApiLog).path | Should -Be '/v3/account'
    }

    It 'a 404 gives one error record: ErrorId from error_name, ObjectNotFound, the path as TargetObject' {
        $path = 'signature_request/ffffffffffffffffffffffffffffffffffffffff'

        $answer = Invoke-HelloSignRequest $path -ErrorVariable errs -ErrorAction SilentlyContinue

        $answer | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be $path
        $errs[0].Exception.StatusCode | Should -Be 404
        @(Get-ApiLog).Count | Should -Be 1
    }

    It 'a 400 from the API keeps its error_name as the ErrorId' {
        Invoke-HelloSignRequest -Method POST "signature_request/remind/$complete" -Body @{ email_address = 'x@example.test' } -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs[0].FullyQualifiedErrorId | Should -BeLike 'BadRequest,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'a revoked key ends the command (401 is run-ending)' {
        Revoke-HelloSignEmulatorKey -Emulator $emulator -AccountId $alpha.account_id

        $thrown = { 'account', 'template/list' | Invoke-HelloSignRequest } | Should -Throw -PassThru

        $thrown.FullyQualifiedErrorId | Should -BeLike 'Unauthorized,*'
        @(Get-ApiLog).Count | Should -Be 1
    }

    It 'waits out a 429 and succeeds' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = @{ window_seconds = 4; limit = 1 } }
        # Another client spends the window, so the module's first attempt is refused: it goes on until the window
        # is full with at least 2 s of it left, so the window cannot roll over before the module sends.
        $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($alpha.api_keys[0]):"))
        do {
            $answer = Invoke-WebRequest "$($emulator.ApiBaseUri)/account" -Headers @{ Authorization = "Basic $basic" } -NoProxy -SkipHttpErrorCheck
            $left = [long]"$($answer.Headers['X-Ratelimit-Reset'])" - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
            if ($left -lt 2) { Start-Sleep -Seconds ([math]::Max(1, $left + 1)) }
        } until ("$($answer.Headers['X-RateLimit-Remaining'])" -eq '0' -and $left -ge 2)
        Clear-HelloSignEmulatorLog -Emulator $emulator

        $answer = Invoke-HelloSignRequest account -ErrorVariable errs

        $errs | Should -BeNullOrEmpty
        $answer.account.account_id | Should -Be $alpha.account_id
        $statuses = (Get-ApiLog).status
        $statuses[0] | Should -Be 429
        $statuses[-1] | Should -Be 200
    }

    It 'does not send a POST again after a fault that may have reached the API, and says so' {
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 3; faults = @{ http500 = 1.0 } }

        Invoke-HelloSignRequest -Method POST "signature_request/remind/$pending" -Body @{ email_address = (Get-FirstSigner $pending) } -ErrorVariable errs -ErrorAction SilentlyContinue
        Invoke-HelloSignRequest account -MaxRetry 2 -ErrorAction SilentlyContinue

        $errs[0].Exception.Message | Should -Match 'idempotency'
        @(Get-ApiLog | Where-Object method -EQ 'POST').Count | Should -Be 1
        @(Get-ApiLog | Where-Object method -EQ 'GET').Count | Should -Be 3   # a GET is retried
    }

    It 'raw calls and a Stop- run sharing one connection in parallel stay within the limit: zero 429s' {
        $ids = New-HelloSignEmulatorRequest -Emulator $emulator -Count 12
        Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ rate_limit = @{ window_seconds = 2; limit = 8 } }
        $connection = Connect-TestAccount $emulator
        Clear-HelloSignEmulatorLog -Emulator $emulator

        $results = 'stop', 'raw' | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:ModuleManifest
            if ($_ -eq 'stop') {
                $using:ids | Stop-HelloSignSignatureRequest -Connection $using:connection -Force -PassThru -ThrottleLimit 4
            }
            else {
                1..12 | ForEach-Object { Invoke-HelloSignRequest account -Connection $using:connection }
            }
        }

        $log = Get-ApiLog
        @($log | Where-Object status -EQ 429).Count | Should -Be 0
        @($log | Where-Object status -EQ 200).Count | Should -Be 24
        @($results | Where-Object { $_.account }).Count | Should -Be 12
        @($results | Where-Object Status -EQ 'Queued').Count | Should -Be 12
    }

    It 'writes the API''s warnings as PowerShell warnings, beside the output' {
        $answer = Invoke-HelloSignRequest template/list -Query @{ colour = 'blue' } -WarningVariable warned -WarningAction SilentlyContinue

        $warned.Count | Should -Be 1
        "$($warned[0])" | Should -Match '^parameter_ignored: .*colour'
        $answer.templates.Count | Should -BeGreaterThan 0
    }

    It 'writes nothing for an empty 200' {
        # Cancel answers 200 with an empty body.
        $answer = Invoke-HelloSignRequest -Method POST "signature_request/cancel/$pending" -WarningVariable warned

        $answer | Should -BeNullOrEmpty
        $warned | Should -BeNullOrEmpty
        (Get-HelloSignEmulatorState -Emulator $emulator -Id $pending).state | Should -Be 'canceled'
    }
}
