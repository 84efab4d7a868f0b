BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator -Config (Get-TestEmulatorConfig -SynchronousCancel -Unlimited)   # reads 410 right after a cancel; hundreds of requests
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Get-HelloSignSignatureRequest' {
    BeforeEach {
        Reset-TestSession $emulator
    }

    Context 'by id' {
        It 'reads typed requests with UTC dates and typed signatures' {
            $id = (Get-SeedRequestId $emulator 'partially_signed')[0]
            $seeded = $emulator.Seed.signature_requests | Where-Object signature_request_id -EQ $id

            $request = Get-HelloSignSignatureRequest $id

            $request | Should -BeOfType ([HelloSign.SignatureRequest])
            $request.PSObject.TypeNames[0] | Should -Be 'HelloSign.SignatureRequest'
            $request.SignatureRequestId | Should -Be $id
            $request.Title | Should -Be $seeded.title
            $request.CreatedAt | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds($seeded.created_at))
            $request.CreatedAt.Offset | Should -Be ([TimeSpan]::Zero)
            $request.IsComplete | Should -BeFalse
            $request.Signatures[0] | Should -BeOfType ([HelloSign.Signature])
            ($request.Signatures.StatusCode | Sort-Object) | Should -Be ($seeded.signatures.status_code | Sort-Object)
        }

        It 'uses the same id hygiene as Stop-, and a 410 gives a clear canceled-or-deleted error' {
            $pending = (Get-SeedRequestId $emulator 'awaiting_signature')[0]
            Stop-HelloSignSignatureRequest $pending -Force

            $read = "https://app.hellosign.com/sign/$pending", 'junk' | Get-HelloSignSignatureRequest -ErrorVariable errs -ErrorAction SilentlyContinue

            $read | Should -BeNullOrEmpty
            $errs.Count | Should -Be 2
            $errs[0].TargetObject, $errs[1].TargetObject | Should -Contain $pending
            $gone = $errs | Where-Object TargetObject -EQ $pending
            $gone.FullyQualifiedErrorId | Should -BeLike 'Deleted,*'
            $gone.Exception.Message | Should -Match 'canceled or deleted'
        }
    }

    Context 'listing' {
        BeforeEach {
            # 250 more requests make three pages of 100.
            $generated = New-HelloSignEmulatorRequest -Emulator $emulator -Count 250
            $alphaTotal = @($emulator.Seed.signature_requests | Where-Object account_id -EQ (Get-SeedAccount $emulator).account_id | Where-Object state -NE 'canceled').Count + 250
        }

        It 'follows every page' {
            $all = Get-HelloSignSignatureRequest

            $all.Count | Should -Be $alphaTotal
            ($all.SignatureRequestId | Select-Object -Unique).Count | Should -Be $alphaTotal
            $pages = (Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -EQ '/v3/signature_request/list').Count
            $pages | Should -Be 3
        }

        It '-First stops paging early' {
            $first = Get-HelloSignSignatureRequest -First 120

            $first.Count | Should -Be 120
            (Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -EQ '/v3/signature_request/list').Count | Should -Be 2
        }

        It '-IncludeTotalCount is exact: the API''s count when stopped early without filters, and the matches when all pages were read' {
            $early = Get-HelloSignSignatureRequest -First 5 -IncludeTotalCount
            $filtered = Get-HelloSignSignatureRequest -Incomplete -IncludeTotalCount

            $early[-1].ToString() | Should -Match "^Total count: $alphaTotal$"
            $filtered[-1].ToString() | Should -Match "^Total count: $($filtered.Count - 1)$"
        }

        It 'refuses -First with ids, rather than ignoring it' {
            { Get-HelloSignSignatureRequest (Get-SeedRequestId $emulator 'complete')[0] -First 1 } | Should -Throw -ErrorId 'PagingWithIds,*'
        }

        It '-Query passes the search syntax through' {
            $ndas = Get-HelloSignSignatureRequest -Query 'title:NDA'

            $expected = @($emulator.Seed.signature_requests | Where-Object { $_.account_id -eq (Get-SeedAccount $emulator).account_id -and $_.title -match 'NDA' -and $_.state -ne 'canceled' })
            $ndas.Count | Should -Be $expected.Count
            $ndas.Title | ForEach-Object { $_ | Should -Match 'NDA' }
            (Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object path -EQ '/v3/signature_request/list')[0].query | Should -Match 'query=title%3ANDA'
        }

        It '-Incomplete and -CreatedBefore filter what can still be canceled' {
            $cutoff = [DateTime]::new(2026, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)
            $seedIncompleteOld = @($emulator.Seed.signature_requests | Where-Object {
                    $_.account_id -eq (Get-SeedAccount $emulator).account_id -and $_.state -in 'awaiting_signature', 'partially_signed' -and
                    [DateTimeOffset]::FromUnixTimeSeconds($_.created_at).UtcDateTime -lt $cutoff
                } | ForEach-Object signature_request_id)
            $expected = Get-HelloSignSignatureRequest | Where-Object { -not $_.IsComplete -and -not $_.IsDeclined -and -not $_.HasError -and $_.CreatedAt -lt $cutoff }

            $old = Get-HelloSignSignatureRequest -Incomplete -CreatedBefore $cutoff.ToLocalTime()

            ($old.SignatureRequestId | Sort-Object) | Should -Be ($expected.SignatureRequestId | Sort-Object)
            $old.SignatureRequestId | Should -Contain $seedIncompleteOld[0]
            $old.Status | Select-Object -Unique | Should -Be 'AwaitingSignature'
            $old.SignatureRequestId | Should -Not -Contain (Get-SeedRequestId $emulator 'complete')[0]
        }

        It '-AccountId all lists the whole team' {
            $everyone = Get-HelloSignSignatureRequest -AccountId all

            $beta = (Get-SeedAccount $emulator 'beta@example.test').account_id
            @($everyone | Where-Object RequesterEmailAddress -EQ 'beta@example.test').Count + 0 | Should -BeGreaterThan 0
            $everyone.Count | Should -BeGreaterThan $alphaTotal
            $null = $beta
        }

        It 'piping the list into Stop- with -WhatIf sends no cancel' {
            Get-HelloSignSignatureRequest -Incomplete -CreatedBefore (Get-Date).AddDays(-30) | Stop-HelloSignSignatureRequest -WhatIf

            Get-CancelLog $emulator | Should -BeNullOrEmpty
        }

        It 'piping the list into Stop- cancels exactly the listed requests' {
            $old = Get-HelloSignSignatureRequest -Incomplete -CreatedBefore ([DateTime]'2026-01-01')

            $results = $old | Stop-HelloSignSignatureRequest -Force -PassThru

            ($results.SignatureRequestId | Sort-Object) | Should -Be ($old.SignatureRequestId | Sort-Object)
            (Get-CancelLog $emulator).Count | Should -Be $old.Count
        }
    }
}
