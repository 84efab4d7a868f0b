# The help Get-Help shows for every cmdlet, checked against the cmdlets themselves; the about topic; the help
# converter; and the examples, run for real against the emulator.
BeforeDiscovery {
    $moduleRoot = Join-Path $PSScriptRoot '../../out/HelloSign'
    $cmdlets = (Import-PowerShellDataFile (Join-Path $moduleRoot 'HelloSign.psd1')).CmdletsToExport | ForEach-Object { @{ Name = $_ } }

    # One test per example, read from the MAML that Get-Help reads.
    $maml = [xml](Get-Content -Raw (Join-Path $moduleRoot 'en-US/HelloSign.dll-Help.xml'))
    $namespaces = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
    $namespaces.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
    $namespaces.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
    $examples = foreach ($command in $maml.SelectNodes('//command:command', $namespaces)) {
        $name = $command.SelectSingleNode('command:details/command:name', $namespaces).InnerText
        $number = 0
        foreach ($example in $command.SelectNodes('command:examples/command:example', $namespaces)) {
            $number++
            @{ Command = $name; Number = $number; Title = $example.SelectSingleNode('maml:title', $namespaces).InnerText.Trim(' -') }
        }
    }

    # Examples that cannot run here, and why. Every other example runs.
    $notRunnable = @{
        'ConvertFrom-HelloSignEvent 4' = 'it serves HTTP until the process is stopped'
    }
    foreach ($example in $examples) { $example.Skip = $notRunnable["$($example.Command) $($example.Number)"] }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters
}

Describe '<Name> help' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help -Name $Name -Full
        $command = Get-Command -Name $Name
        # Hidden parameters (DontShow: bound from piped objects, not for typing) are left out of help on purpose.
        $hidden = @($command.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [Parameter] -and $_.DontShow } } | ForEach-Object Name)
        $parameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters -and $_.Name -notin $hidden })
        $helpParameters = @($help.parameters.parameter | Where-Object { $_ })
    }

    It 'comes from the module''s MAML file' {
        # A bare file name until Get-Help has found it, its full path afterwards.
        Split-Path -Leaf $command.HelpFile | Should -Be 'HelloSign.dll-Help.xml'
        Join-Path $RepoRoot 'out/HelloSign/en-US/HelloSign.dll-Help.xml' | Should -Exist
    }

    It 'has a synopsis of its own' {
        # Without a help file, Get-Help makes the synopsis from the syntax.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name *"
    }

    It 'has a description' {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty -Because $example.title
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because $example.title
        }
    }

    It 'shows a blank line before each example''s header in Get-Help -Examples' {
        $lines = @((Get-Help -Name $Name -Examples | Out-String -Width 200) -split '\r?\n')
        $headers = @(0..($lines.Count - 1) | Where-Object { $lines[$_] -match '^\s*-{3,} Example \d+' })

        $headers.Count | Should -Be @($help.examples.example).Count
        $crowded = $headers | Where-Object { $lines[$_ - 1].Trim() } | ForEach-Object { $lines[$_].Trim() }
        $crowded | Should -BeNullOrEmpty
    }

    It 'has examples that parse' {
        $problems = foreach ($example in $help.examples.example) {
            $tokens = $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref] $tokens, [ref] $errors)
            $errors | ForEach-Object { "$($example.title): $($_.Message)" }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $undescribed = $parameters | Where-Object {
            $name = $_.Name
            $described = $helpParameters | Where-Object name -EQ $name
            -not $described -or -not ($described.description.Text -join '').Trim()
        }
        @($undescribed.Name) | Should -BeNullOrEmpty
    }

    It 'describes no parameter the cmdlet does not have' {
        @($helpParameters.name | Where-Object { $_ -notin $parameters.Name }) | Should -BeNullOrEmpty
    }

    It 'gives each parameter''s real position, pipeline input, aliases and whether it is required' {
        foreach ($parameter in $parameters) {
            $described = $helpParameters | Where-Object name -EQ $parameter.Name
            $set = @($parameter.ParameterSets.Values)[0]
            $byValue = $set.ValueFromPipeline
            $byName = $set.ValueFromPipelineByPropertyName
            $pipeline = if ($byValue -and $byName) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
            $position = if ($set.Position -lt 0) { 'named' } else { "$($set.Position)" }
            $aliases = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'None' }

            $described.required | Should -Be "$($set.IsMandatory)".ToLowerInvariant() -Because "-$($parameter.Name) Required"
            $described.position | Should -Be $position -Because "-$($parameter.Name) Position"
            $described.pipelineInput | Should -Be $pipeline -Because "-$($parameter.Name) pipeline input"
            $described.aliases | Should -Be $aliases -Because "-$($parameter.Name) Aliases"
        }
    }

    It 'shows a syntax line for each parameter set, with the parameters of that set' {
        $actual = $command.ParameterSets | ForEach-Object { (@($_.Parameters.Name | Where-Object { $_ -notin $commonParameters -and $_ -notin $hidden }) | Sort-Object) -join ',' } | Sort-Object
        $shown = $help.syntax.syntaxItem | ForEach-Object { (@($_.parameter.name | Where-Object { $_ }) | Sort-Object) -join ',' } | Sort-Object
        $shown | Should -Be $actual
    }

    It 'names its inputs and every type it outputs' {
        @($help.inputTypes.inputType.type.name | Where-Object { $_ }) | Should -Not -BeNullOrEmpty
        $outputs = @($help.returnValues.returnValue.type.name)
        foreach ($type in $command.OutputType.Type) {
            $expected = if ($type -eq [void]) { 'None' } else { $type.FullName }
            $outputs | Should -Contain $expected
        }
    }
}

Describe 'about_HelloSign' {
    It 'is found by Get-Help and covers connecting, rate limits, the asynchronous cancel, runbooks and -Connection' {
        $text = Get-Help about_HelloSign | Out-String

        $text | Should -Match 'SHORT DESCRIPTION'
        foreach ($topic in 'CONNECTING', 'RATE LIMITS', 'THE ASYNCHRONOUS CANCEL', 'RUNBOOKS', 'PARALLEL USE', 'Get-AutomationPSCredential', '-Connection', 'Hello API Event Received') {
            $text | Should -Match ([regex]::Escape($topic))
        }
    }
}

Describe 'tools/Build-Help.ps1' {
    BeforeAll {
        $converter = Join-Path $RepoRoot 'tools/Build-Help.ps1'
        $docs = Join-Path $RepoRoot 'docs/en-US'

        # Converts a changed copy of one file of the docs (or of them all), and returns the error, if any.
        function Convert-ChangedDocs([string] $File, [scriptblock] $Change, [switch] $All) {
            $copy = Join-Path $TestDrive ([guid]::NewGuid())
            if ($All) { Copy-Item -Recurse $docs $copy }
            else { $null = New-Item -ItemType Directory $copy; Copy-Item (Join-Path $docs $File) $copy }
            $path = Join-Path $copy $File
            Set-Content -LiteralPath $path -Value (& $Change (Get-Content -Raw -LiteralPath $path)) -NoNewline
            try { & $converter -DocsPath $copy -OutputPath (Join-Path $copy 'out'); $null }
            catch { $_ }
        }
    }

    It 'converts the docs as they are into MAML with every cmdlet, and the about topic' {
        $thrown = Convert-ChangedDocs 'Stop-HelloSignSignatureRequest.md' { param($text) $text } -All

        $thrown | Should -BeNullOrEmpty
        $out = Get-ChildItem -Path $TestDrive -Recurse -Directory -Filter out | Select-Object -First 1
        $maml = [xml](Get-Content -Raw (Join-Path $out.FullName 'HelloSign.dll-Help.xml'))
        $maml.helpItems.command.details.name | Sort-Object | Should -Be ((Import-PowerShellDataFile $ModuleManifest).CmdletsToExport | Sort-Object)
        Join-Path $out.FullName 'about_HelloSign.help.txt' | Should -Exist
    }

    It 'fails the build when <Case>' -ForEach @(
        @{ Case = 'a SYNTAX line disagrees with the yaml'; File = 'Stop-HelloSignSignatureRequest.md'; Expected = 'does not match its parameters'; Change = { param($text) $text.Replace("Required: True`nPosition: 0", "Required: True`nPosition: Named") } }
        @{ Case = 'a parameter of the syntax is not described'; File = 'Disconnect-HelloSign.md'; Expected = 'PARAMETERS does not describe'; Change = { param($text) $text.Replace('[-WhatIf] [-Confirm]', '[-WhatIf] [-Confirm] [-Force]') } }
        @{ Case = 'an example does not parse'; File = 'Connect-HelloSign.md'; Expected = 'does not parse'; Change = { param($text) $text.Replace("Connect-HelloSign`nGet-HelloSignConnection", "Connect-HelloSign (`nGet-HelloSignConnection") } }
        @{ Case = 'a required section is missing'; File = 'Get-HelloSignConnection.md'; Expected = "no '## OUTPUTS' section"; Change = { param($text) $text -replace '(?s)## OUTPUTS.*?(?=## NOTES)', '' } }
        @{ Case = 'a section is misspelt'; File = 'Get-HelloSignConnection.md'; Expected = "unknown section '## PARAMETER'"; Change = { param($text) $text.Replace('## PARAMETERS', '## PARAMETER') } }
        @{ Case = 'a code block is never closed'; File = 'about_HelloSign.md'; Expected = 'never closed'; Change = { param($text) $text + "`n``````powershell`nGet-Thing`n" } }
    ) {
        $thrown = Convert-ChangedDocs $File $Change

        $thrown | Should -Not -BeNullOrEmpty
        "$thrown" | Should -BeLike "*$File*"
        "$thrown" | Should -BeLike "*$Expected*"
    }
}

Describe 'The examples, run against the emulator' {
    BeforeAll {
        $emulator = Start-HelloSignEmulator
        $alpha = Get-SeedAccount $emulator
        $beta = Get-SeedAccount $emulator 'beta@example.test'
        $pending = Get-SeedRequestId $emulator 'awaiting_signature'
        $canceled = (Get-SeedRequestId $emulator 'canceled')[0]
        $junk = 'contract-2024.pdf'
        $savedModulePath = $env:PSModulePath
        $savedKey = $env:HELLOSIGN_API_KEY

        # What the examples take from their surroundings: the emulator's address, the API key in the environment,
        # the module by name (for ForEach-Object -Parallel), and stand-ins for the prompts and the runbook's assets.
        $PSDefaultParameterValues = @{ 'Connect-HelloSign:ApiBaseUri' = $emulator.ApiBaseUri }
        $env:HELLOSIGN_API_KEY = $alpha.api_keys[0]
        $env:PSModulePath = (Join-Path $RepoRoot 'out') + [IO.Path]::PathSeparator + $env:PSModulePath
        function Read-Host([string] $Prompt, [switch] $AsSecureString) { ConvertTo-TestSecureString $alpha.api_keys[0] }
        function Get-AutomationPSCredential([string] $Name) { [pscredential]::new('automation', (ConvertTo-TestSecureString $alpha.api_keys[0])) }
        function Get-AutomationVariable([string] $Name) { $pending[3..5] -join "`r`n" }
        function Get-Secret([string] $Name) { ConvertTo-TestSecureString $alpha.access_tokens[0] }
        function Get-Credential([string] $UserName, [string] $Message) {
            $key = @{ sales = $alpha.api_keys[0]; legal = $beta.api_keys[0] }[$UserName]
            [pscredential]::new($UserName, (ConvertTo-TestSecureString $key))
        }

        function New-CallbackEvent([string] $Type, [string] $Id, [string] $Key) {
            $time = '1796000000'
            $hmac = [System.Security.Cryptography.HMACSHA256]::new([Text.Encoding]::UTF8.GetBytes($Key))
            $hash = [Convert]::ToHexString($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($time + $Type))).ToLowerInvariant()
            @{
                event             = @{ event_time = $time; event_type = $Type; event_hash = $hash; event_metadata = @{ reported_for_account_id = $alpha.account_id } }
                signature_request = @{ signature_request_id = $Id; title = ''; metadata = @{}; signatures = @() }
            } | ConvertTo-Json -Depth 5 -Compress
        }

        # The files the examples read, as their users would have them.
        function New-ExampleFiles {
            $lines = @($pending[0], '', "  $($pending[1])  ", "https://app.hellosign.com/home/manage?guid=$($pending[2])", $pending[0].ToUpperInvariant(), $canceled, $junk)
            [IO.File]::WriteAllText((Join-Path $TestDrive 'ids.txt'), ($lines -join "`r`n") + "`r`n", [Text.UTF8Encoding]::new($true))
            $batches = New-Item -ItemType Directory -Force (Join-Path $TestDrive 'batches')
            Set-Content (Join-Path $batches 'a.txt') $pending[3..4]
            Set-Content (Join-Path $batches 'b.txt') $pending[5..6]
            Set-Content (Join-Path $TestDrive 'callback.json') (New-CallbackEvent 'signature_request_canceled' $pending[0] $alpha.api_keys[0])
            Set-Content (Join-Path $TestDrive 'events.jsonl') @(
                New-CallbackEvent 'signature_request_canceled' $pending[0] 'logged'
                New-CallbackEvent 'signature_request_signed' $pending[1] 'logged'
                New-CallbackEvent 'signature_request_canceled' $pending[2] 'logged'
            )
        }

        # Ids.txt's distinct ids: the pending ones, and one canceled long ago.
        $fileIds = @($pending[0..2]) + $canceled
        function Get-ActionLog([string] $Action) { @(Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object { $_.path -like "*/signature_request/$Action/*" }) }
        function Get-LoggedId($Entry) { $Entry.path -replace '.*/', '' }
        function Get-SeedRequest([scriptblock] $Where) { @($emulator.Seed.signature_requests | Where-Object { $_.account_id -eq $alpha.account_id } | Where-Object $Where) }
        function ConvertFrom-UnixTime([long] $Seconds) { [DateTimeOffset]::FromUnixTimeSeconds($Seconds).UtcDateTime }

        # What each example must have done, beyond running without an unexpected error. $run holds its Output,
        # Errors and Warnings; by default the only error allowed is the one for ids.txt's line that is not an id.
        $expectations = @{
            'Connect-HelloSign 1'                = { (Get-HelloSignConnection).AccountId | Should -Be $alpha.account_id }
            'Connect-HelloSign 2'                = { ($run.Output | Where-Object { $_ -is [HelloSign.HelloSignConnection] }).EmailAddress | Should -Be 'alpha@example.test' }
            'Connect-HelloSign 3'                = { (Get-HelloSignConnection).AccountId | Should -Be $alpha.account_id }
            'Connect-HelloSign 4'                = { (Get-HelloSignConnection).AuthenticationMethod | Should -Be 'AccessToken' }
            'Connect-HelloSign 5'                = {
                $requests = @($run.Output | Where-Object { $_ -is [HelloSign.SignatureRequest] })
                $requests.SignatureRequestId | Should -Contain $pending[0]
                $requests.SignatureRequestId | Should -Contain (Get-SeedRequestId $emulator 'awaiting_signature' 'beta@example.test')[0]
                (Get-HelloSignConnection).AccountId | Should -Be $beta.account_id
            }
            'Connect-HelloSign 6'                = { (Get-ActionLog 'cancel' | ForEach-Object { Get-LoggedId $_ } | Sort-Object) | Should -Be ($pending[3..6] | Sort-Object) }
            'Disconnect-HelloSign 1'             = { Get-HelloSignConnection | Should -BeNullOrEmpty }
            'Disconnect-HelloSign 2'             = {
                $run.Output[-1] | Should -BeFalse
                Get-HelloSignConnection | Should -BeNullOrEmpty
            }
            'Disconnect-HelloSign 3'             = {
                (Get-ActionLog 'cancel').Count | Should -Be $fileIds.Count
                Get-HelloSignConnection | Should -BeNullOrEmpty
            }
            'Get-HelloSignConnection 1'          = { $run.Output.AccountId | Should -Be $alpha.account_id }
            'Get-HelloSignConnection 2'          = {
                param($before)
                $before | Should -BeNullOrEmpty
                (Get-HelloSignConnection).AccountId | Should -Be $alpha.account_id
            }
            'Get-HelloSignConnection 3'          = { $run.Output[0] | Should -BeGreaterThan 0 -Because 'the emulator reports a rate limit on every response' }
            'Get-HelloSignSignatureRequest 1'    = { $run.Output.Count | Should -Be (Get-SeedRequest { $_.state -ne 'canceled' }).Count }
            'Get-HelloSignSignatureRequest 2'    = {
                $cutoff = (Get-Date).AddDays(-90).ToUniversalTime()
                $expected = Get-SeedRequest { $_.state -in 'awaiting_signature', 'partially_signed' -and (ConvertFrom-UnixTime $_.created_at) -lt $cutoff }
                $expected | Should -Not -BeNullOrEmpty
                ($run.Output.SignatureRequestId | Sort-Object) | Should -Be ($expected.signature_request_id | Sort-Object)
            }
            'Get-HelloSignSignatureRequest 3'    = {
                $text = $run.Output | Out-String
                $text | Should -Match 'NDA - Acme Corp'
                $text | Should -Not -Match 'Offer letter'
            }
            'Get-HelloSignSignatureRequest 4'    = { $run.Output.SignerEmailAddress | Should -Be 'legal@acme.example' }
            'Get-HelloSignSignatureRequest 5'    = {
                Import-Csv (Join-Path $TestDrive 'to-cancel.csv') | Should -Not -BeNullOrEmpty
                Get-ActionLog 'cancel' | Should -BeNullOrEmpty
            }
            'Get-HelloSignSignatureRequest 6'    = {
                $run.Output.SignatureRequestId | Should -Contain (Get-SeedRequestId $emulator 'awaiting_signature' 'beta@example.test')[0]
                $run.Output.Count | Should -BeLessOrEqual 20
            }
            'Get-HelloSignSignatureRequest 7'    = { $run.Output | Should -Be $canceled }
            'Stop-HelloSignSignatureRequest 1'   = {
                ($run.Output.SignatureRequestId | Sort-Object) | Should -Be ($fileIds | Sort-Object)
                ($run.Output | Where-Object Status -EQ 'Gone').SignatureRequestId | Should -Be $canceled
                (Get-ActionLog 'cancel').Count | Should -Be $fileIds.Count
                @($run.Errors | Where-Object TargetObject -EQ $junk).Count | Should -Be 2
            }
            'Stop-HelloSignSignatureRequest 2'   = {
                $cutoff = (Get-Date).AddDays(-90).ToUniversalTime()
                $expected = Get-SeedRequest { $_.state -in 'awaiting_signature', 'partially_signed' -and (ConvertFrom-UnixTime $_.created_at) -lt $cutoff }
                ($run.Output.SignatureRequestId | Sort-Object) | Should -Be ($expected.signature_request_id | Sort-Object)
                $run.Output.Status | Select-Object -Unique | Should -Be 'Queued'
            }
            'Stop-HelloSignSignatureRequest 3'   = {
                ($run.Output | Where-Object Name -EQ 'Queued').Count | Should -Be 3
                (Get-ActionLog 'cancel' | ForEach-Object { Get-LoggedId $_ } | Sort-Object) | Should -Be ($pending[3..5] | Sort-Object)
            }
            'Stop-HelloSignSignatureRequest 4'   = {
                $log = Get-ActionLog 'cancel'
                $first = $log | Select-Object -First $fileIds.Count
                $failed = @($first | Where-Object status -EQ 500 | ForEach-Object { Get-LoggedId $_ })
                $retried = @($log | Select-Object -Skip $fileIds.Count | ForEach-Object { Get-LoggedId $_ })
                $failed | Should -Not -BeNullOrEmpty -Because 'the faults are seeded so that the first run fails for some ids'
                ($retried | Sort-Object) | Should -Be ($failed | Sort-Object)
            }
            'Stop-HelloSignSignatureRequest 5'   = {
                $run.Output | Should -BeNullOrEmpty -Because 'no cancel is still pending'
                # It waited: it read each request until the API answered 410.
                $gone = Get-HelloSignEmulatorLog -Emulator $emulator | Where-Object { $_.path -like '*/signature_request/*' -and $_.path -notlike '*/cancel/*' -and $_.status -eq 410 }
                ($gone | ForEach-Object { Get-LoggedId $_ } | Sort-Object) | Should -Be ($pending[0..2] | Sort-Object)
                $pending[0..2] | ForEach-Object { (Get-HelloSignEmulatorState -Emulator $emulator -Id $_).cancel_completed | Should -BeTrue }
            }
            'Stop-HelloSignSignatureRequest 6'   = {
                (Get-ActionLog 'cancel').Count | Should -Be $fileIds.Count -Because 'the second run takes every outcome from the journal'
                $run.Output.Count | Should -Be $fileIds.Count
                $run.Output.FromJournal | Select-Object -Unique | Should -BeTrue
            }
            'Stop-HelloSignSignatureRequest 7'   = {
                $summary = $run.Output
                $summary.Received | Should -Be 7
                $summary.Queued | Should -Be 3
                $summary.Gone | Should -Be 1
                $summary.Invalid | Should -Be 1
                $summary.Duplicates | Should -Be 1
            }
            'Remove-HelloSignSignatureRequest 1' = {
                $run.Output | Should -BeNullOrEmpty
                Get-ActionLog 'remove' | Should -BeNullOrEmpty
            }
            'Remove-HelloSignSignatureRequest 2' = {
                $cutoff = (Get-Date).AddDays(-30).ToUniversalTime()
                $expected = Get-SeedRequest { $_.state -in 'complete', 'declined' -and (ConvertFrom-UnixTime $_.created_at) -lt $cutoff }
                ($run.Output.SignatureRequestId | Sort-Object) | Should -Be ($expected.signature_request_id | Sort-Object)
                $run.Output.Status | Select-Object -Unique | Should -Be 'Removed'
            }
            'Remove-HelloSignSignatureRequest 3' = {
                @(Get-ActionLog 'remove' | Where-Object status -EQ 400).Count | Should -Be 3
                Get-ActionLog 'cancel' | Should -BeNullOrEmpty -Because 'the cancels are only previewed'
            }
            'ConvertFrom-HelloSignEvent 1'       = {
                $text = $run.Output | Out-String
                $text | Should -Match $pending[0]
                $text | Should -Match 'IsVerified\s*:\s*True'
            }
            'ConvertFrom-HelloSignEvent 2'       = {
                $event = $run.Output | Where-Object { $_ -is [HelloSign.CallbackEvent] }
                $event.IsVerified | Should -BeTrue
                $event.Reply | Should -BeExactly 'Hello API Event Received'
            }
            'ConvertFrom-HelloSignEvent 3'       = { ($run.Output.SignatureRequestId | Sort-Object) | Should -Be ($pending[0], $pending[2] | Sort-Object) }
            'Invoke-HelloSignRequest 1'          = { $run.Output.email_address | Should -Be 'alpha@example.test' }
            'Invoke-HelloSignRequest 2'          = { $run.Output.Count | Should -Be 7 }
            'Invoke-HelloSignRequest 3'          = {
                $reminded = @(Invoke-RestMethod "$($emulator.AdminUri)/reminders" -NoProxy | ForEach-Object { $_ })
                $waiting = Get-SeedRequest { $_.state -in 'awaiting_signature', 'partially_signed' } | ForEach-Object { $_.signatures | Where-Object status_code -EQ 'awaiting_signature' }
                ($reminded.email_address | Sort-Object) | Should -Be ($waiting.signer_email_address | Sort-Object)
            }
            'Invoke-HelloSignRequest 4'          = {
                $complete = Get-SeedRequest { $_.state -eq 'complete' }
                foreach ($id in $complete.signature_request_id) { Get-Content -Raw (Join-Path $TestDrive "$id.pdf") | Should -Match '^%PDF' }
            }
            'Invoke-HelloSignRequest 5'          = { ($run.Output | ConvertFrom-Json).signature_requests.title | Should -Contain 'Beta NDA review' }
        }

        # Runs an example's code in a child scope of this test, in TestDrive, and collects what it wrote. Errors
        # go on as they do for users (the tests run with $ErrorActionPreference = 'Stop').
        function Invoke-Example([string] $Code) {
            $ErrorActionPreference = 'Continue'
            $all = & ([scriptblock]::Create($Code)) *>&1
            [pscustomobject]@{
                Output   = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] -and $_ -isnot [System.Management.Automation.VerboseRecord] })
                Errors   = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                Warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            }
        }
    }

    AfterAll {
        $env:PSModulePath = $savedModulePath
        $env:HELLOSIGN_API_KEY = $savedKey
        Disconnect-HelloSign -Confirm:$false
        Stop-HelloSignEmulator -Emulator $emulator
    }

    BeforeEach {
        Reset-TestSession $emulator
        New-ExampleFiles
        Push-Location $TestDrive
    }

    AfterEach {
        Pop-Location
        $PSDefaultParameterValues.Remove('Stop-HelloSignSignatureRequest:MaxRetry')
    }

    It '<Command> example <Number>: <Title>' -ForEach $examples {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $key = "$Command $Number"
        $code = @((Get-Help -Name $Command -Examples).examples.example)[$Number - 1].code

        switch ($key) {
            'Get-HelloSignConnection 2' { Disconnect-HelloSign -Confirm:$false }
            'Stop-HelloSignSignatureRequest 4' {
                # Half the requests fail with a 500, and are not retried, so that there is something to retry.
                Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ seed = 7; faults = @{ http500 = 0.5 } }
                $PSDefaultParameterValues['Stop-HelloSignSignatureRequest:MaxRetry'] = 0
            }
        }
        $before = Get-HelloSignConnection
        Clear-HelloSignEmulatorLog -Emulator $emulator

        $run = Invoke-Example $code

        $unexpected = @($run.Errors | Where-Object { -not ($_.FullyQualifiedErrorId -like 'InvalidSignatureRequestId,*' -and $_.TargetObject -eq $junk) })
        if ($key -ne 'Stop-HelloSignSignatureRequest 4') {
            $unexpected | ForEach-Object { "$_" } | Should -BeNullOrEmpty
        }
        if ($expectations[$key]) { & $expectations[$key] $before }
    }

    It 'every runnable example has expectations of its own' -ForEach @(@{ All = $examples }) {
        $missing = $All | Where-Object { -not $_.Skip -and -not $expectations["$($_.Command) $($_.Number)"] } | ForEach-Object { "$($_.Command) $($_.Number)" }
        $missing | Should -BeNullOrEmpty
    }
}
