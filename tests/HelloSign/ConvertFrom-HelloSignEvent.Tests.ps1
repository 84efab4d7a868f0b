BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # The reference's test vectors (hellosign-api.md §6), from the official SDK example.
    $vectorKey = '324e3b0840f065eb51f3fd63231d0d33daa35d4ed10d27718839e81737065782'
    function New-EventJson([string] $Type, [string] $Hash, [string] $Time = '1669926463') {
        @{
            event             = @{ event_time = $Time; event_type = $Type; event_hash = $Hash; event_metadata = @{ reported_for_account_id = '6421d70b9bd45059fa207d03ab8d1b96515b472c'; reported_for_app_id = $null } }
            signature_request = @{ signature_request_id = 'fa5c8a0b0f492d768749333ad6fcc214c111e967'; title = ''; metadata = @{}; created_at = 0; signatures = @() }
        } | ConvertTo-Json -Depth 5 -Compress
    }
}

Describe 'ConvertFrom-HelloSignEvent' {
    It 'verifies the reference test vector and returns a typed event' {
        $json = New-EventJson 'signature_request_canceled' '45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a5'

        $event = ConvertFrom-HelloSignEvent $json -ApiKey (ConvertTo-TestSecureString $vectorKey)

        $event | Should -BeOfType ([HelloSign.CallbackEvent])
        $event.IsVerified | Should -BeTrue
        $event.EventType | Should -Be 'signature_request_canceled'
        $event.EventTime | Should -Be ([DateTimeOffset]::new(2022, 12, 1, 20, 27, 43, [TimeSpan]::Zero))
        $event.SignatureRequestId | Should -Be 'fa5c8a0b0f492d768749333ad6fcc214c111e967'
        $event.AccountId | Should -Be '6421d70b9bd45059fa207d03ab8d1b96515b472c'
        $event.Reply | Should -BeExactly 'Hello API Event Received'
        [HelloSign.CallbackEvent]::ExpectedReply | Should -BeExactly 'Hello API Event Received'
    }

    It 'verifies the account_confirmed vector too' {
        $json = New-EventJson 'account_confirmed' 'ff8b03439122f9160500c3fb855bdee5a9ccba5fff27d3b258745d8f3074832f'

        (ConvertFrom-HelloSignEvent $json -ApiKey (ConvertTo-TestSecureString $vectorKey)).IsVerified | Should -BeTrue
    }

    It 'rejects a tampered hash with a SecurityError and returns nothing' {
        $json = New-EventJson 'signature_request_canceled' '45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a4'

        $event = ConvertFrom-HelloSignEvent $json -ApiKey (ConvertTo-TestSecureString $vectorKey) -ErrorVariable errs -ErrorAction SilentlyContinue

        $event | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'EventHashMismatch,*'
        $errs[0].CategoryInfo.Category | Should -Be 'SecurityError'
    }

    It 'rejects a tampered event_type' {
        $json = New-EventJson 'signature_request_signed' '45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a5'

        ConvertFrom-HelloSignEvent $json -ApiKey (ConvertTo-TestSecureString $vectorKey) -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reads the multipart body, the json form field as a hashtable, and an urlencoded form' {
        $json = New-EventJson 'signature_request_canceled' '45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a5'
        $multipart = "--b0undary`r`nContent-Disposition: form-data; name=`"json`"`r`n`r`n$json`r`n--b0undary--`r`n"
        $key = ConvertTo-TestSecureString $vectorKey

        (ConvertFrom-HelloSignEvent $multipart -ApiKey $key).IsVerified | Should -BeTrue
        (ConvertFrom-HelloSignEvent @{ json = $json } -ApiKey $key).IsVerified | Should -BeTrue
        (ConvertFrom-HelloSignEvent ('json=' + [uri]::EscapeDataString($json)) -ApiKey $key).IsVerified | Should -BeTrue
    }

    It 'refuses to go unverified without a key, unless told -SkipVerification' {
        Disconnect-HelloSign -Confirm:$false
        $json = New-EventJson 'signature_request_canceled' 'whatever'

        { ConvertFrom-HelloSignEvent $json } | Should -Throw -ErrorId 'NoKeyForVerification,*'
        (ConvertFrom-HelloSignEvent $json -SkipVerification).IsVerified | Should -BeFalse
    }

    It 'gives an InvalidData error for a body that is not an event' {
        ConvertFrom-HelloSignEvent 'not an event' -SkipVerification -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCallbackEvent,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    Context 'end to end: the emulator posts the event to a listener here' {
        BeforeAll {
            $emulator = Start-HelloSignEmulator
            $port = Get-Random -Minimum 20000 -Maximum 60000
            $listener = [System.Net.HttpListener]::new()
            $listener.Prefixes.Add("http://127.0.0.1:$port/")
            $listener.Start()
        }

        AfterAll {
            $listener.Stop()
            Disconnect-HelloSign -Confirm:$false
            Stop-HelloSignEmulator -Emulator $emulator
        }

        It 'verifies the signature_request_canceled event with the connection key and the emulator accepts the reply' {
            Set-HelloSignEmulatorConfig -Emulator $emulator -Config @{ callback_url = "http://127.0.0.1:$port/hellosign"; cancel_delay_ms = 200 }
            $null = Connect-TestAccount $emulator
            $id = (Get-SeedRequestId $emulator 'awaiting_signature')[0]

            Stop-HelloSignSignatureRequest $id -Force
            $pending = $listener.GetContextAsync()
            $pending.Wait(15000) | Should -BeTrue
            $context = $pending.Result
            $body = [IO.StreamReader]::new($context.Request.InputStream).ReadToEnd()
            $event = ConvertFrom-HelloSignEvent $body
            $reply = [Text.Encoding]::UTF8.GetBytes($event.Reply)
            $context.Response.OutputStream.Write($reply, 0, $reply.Length)
            $context.Response.Close()

            $context.Request.ContentType | Should -Match 'multipart/form-data'
            $event.IsVerified | Should -BeTrue
            $event.EventType | Should -Be 'signature_request_canceled'
            $event.SignatureRequestId | Should -Be $id
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            do { Start-Sleep -Milliseconds 100; $records = @(Get-HelloSignEmulatorCallback -Emulator $emulator) } until ($records.Count -ge 1 -or [DateTime]::UtcNow -gt $deadline)
            $records[0].signature_request_id | Should -Be $id
            $records[0].reply_ok | Should -BeTrue
        }
    }
}
