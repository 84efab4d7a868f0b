# How the module's objects show their times: one unambiguous way in every view (local, year first, with the
# offset), and with the zone kept when exported to CSV.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $emulator = Start-HelloSignEmulator
    $shownTime = '\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d'

    # The value a view shows for a property: the text after "Name :" in a list, or the same cell in a table.
    function Get-ListValue([object] $InputObject, [string] $Property) {
        $line = ($InputObject | Format-List | Out-String -Width 200) -split '\r?\n' | Where-Object { $_ -match "^$Property\s+: " }
        ($line -replace "^$Property\s+: ", '').Trim()
    }
}

AfterAll {
    Stop-TestEmulator $emulator
}

Describe 'Times in views and CSV' {
    BeforeEach {
        Reset-TestSession $emulator
        $id = (Get-SeedRequestId $emulator 'awaiting_signature')[0]
        $request = Get-HelloSignSignatureRequest $id
    }

    It 'shows a request''s creation time the same way in its table and its list, with the offset' {
        $expected = [HelloSign.TimeDisplay]::Local($request.CreatedAt)

        $expected | Should -Match "^$shownTime$"
        Get-ListValue $request 'CreatedAt' | Should -BeExactly $expected
        ($request | Format-Table | Out-String -Width 200) | Should -Match ([regex]::Escape($expected))
    }

    It 'shows a result''s time the same way in its table and its list' {
        $result = $request | Stop-HelloSignSignatureRequest -Force -PassThru
        $expected = [HelloSign.TimeDisplay]::Local($result.Time)

        Get-ListValue $result 'Time' | Should -BeExactly $expected
        Get-ListValue $result 'RateLimitReset' | Should -Match "^$shownTime$"
        ($result | Format-Table | Out-String -Width 200) | Should -Match ([regex]::Escape($expected))
    }

    It 'writes the zone into CSV, and the time reads back as the same instant' {
        $result = $request | Stop-HelloSignSignatureRequest -Force -PassThru

        $requestRow = $request | Select-Object SignatureRequestId, CreatedAt | ConvertTo-Csv | ConvertFrom-Csv
        $resultRow = $result | ConvertTo-Csv | ConvertFrom-Csv

        $requestRow.CreatedAt | Should -Match '\+00:00$'
        $resultRow.Time | Should -Match '\+00:00$'
        [datetimeoffset] $requestRow.CreatedAt | Should -Be $request.CreatedAt
        ([datetimeoffset] $resultRow.Time).ToUnixTimeSeconds() | Should -Be $result.Time.ToUnixTimeSeconds()
    }

    It 'shows the viewer''s local time and offset, not UTC, in a session in another zone' {
        $created = (Get-SeedRequestId $emulator 'awaiting_signature')[0]
        $seeded = $emulator.Seed.signature_requests | Where-Object signature_request_id -EQ $created
        $key = (Get-SeedAccount $emulator).api_keys[0]
        $script = @"
Import-Module '$ModuleManifest'
Connect-HelloSign -ApiKey (ConvertTo-SecureString '$key' -AsPlainText -Force) -ApiBaseUri '$($emulator.ApiBaseUri)' -InformationAction Ignore
Get-HelloSignSignatureRequest $created | Format-List | Out-String -Width 200
"@
        $run = Invoke-ChildPwsh -Script $script -NonInteractive -Environment @{ TZ = 'Asia/Kolkata' }

        $inKolkata = [DateTimeOffset]::FromUnixTimeSeconds($seeded.created_at).ToOffset([TimeSpan]::new(5, 30, 0))
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match ("CreatedAt\s+: " + [regex]::Escape($inKolkata.ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture) + ' +05:30'))
    }
}
