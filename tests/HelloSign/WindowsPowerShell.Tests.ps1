# The model of Windows PowerShell 5.1's assembly binding (tools/BindingCheck) over the built module, as build.ps1 runs it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $moduleRoot = Split-Path -Parent $ModuleManifest
    $checker = Join-Path $RepoRoot 'out/bindingcheck/BindingCheck.dll'
    $resolverList = [HelloSign.Core.Loading.DependencyResolver]::KnownDependencies

    function Invoke-BindingCheck([string[]] $Resolves) {
        $output = & dotnet $checker $moduleRoot --resolves ($Resolves -join ',') --list
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Lines = @($output) }
    }
}

Describe 'The .NET Framework 4.7.2 binding model' {
    It 'passes the built module, with exactly the references only the resolver can bind' {
        $result = Invoke-BindingCheck $resolverList

        $result.ExitCode | Should -Be 0
        # What .NET Framework's binder would not find beside the requesting assembly at the version it asks for.
        $result.Lines -match '^resolver: ' -replace ' \(.*$' | Sort-Object | Should -Be @(
            'resolver: System.Buffers 4.0.2.0 from System.Memory'
            'resolver: System.Buffers 4.0.2.0 from System.Text.Encodings.Web'
            'resolver: System.Buffers 4.0.2.0 from System.Text.Json'
            'resolver: System.Runtime.CompilerServices.Unsafe 4.0.4.1 from System.Memory'
            'resolver: System.Runtime.CompilerServices.Unsafe 4.0.4.1 from System.Threading.Tasks.Extensions'
            'resolver: System.Text.Json 8.0.0.0 from HelloSign.Core'
        )
    }

    It 'fails, naming what would not bind, when <Name> is left out of the resolver''s list' -ForEach @(
        @{ Name = 'System.Text.Json'; Failing = 1 }
        @{ Name = 'System.Runtime.CompilerServices.Unsafe'; Failing = 2 }
        @{ Name = 'System.Buffers'; Failing = 3 }
    ) {
        $result = Invoke-BindingCheck ($resolverList | Where-Object { $_ -ne $Name })

        $result.ExitCode | Should -Be 1
        @($result.Lines -match "^would not bind: $([regex]::Escape($Name)) ").Count | Should -Be $Failing
        $result.Lines[-1] | Should -Match "$Failing of \d+ references would not bind in Windows PowerShell 5.1"
    }

    It 'still passes without a name whose every reference binds beside it (System.Numerics.Vectors)' {
        $result = Invoke-BindingCheck ($resolverList | Where-Object { $_ -ne 'System.Numerics.Vectors' })

        $result.ExitCode | Should -Be 0
    }

    It 'fails when the shipped System.Memory is not the version System.Text.Json asks for' {
        $copy = Join-Path $TestDrive 'HelloSign'
        Copy-Item -Recurse $moduleRoot $copy
        # A simple-named stand-in: any assembly other than the strong-named System.Memory 4.0.1.2 it asks for.
        Copy-Item (Join-Path $moduleRoot 'HelloSign.Core.dll') (Join-Path $copy 'dependencies/System.Memory.dll') -Force

        $output = & dotnet $checker $copy --resolves (($resolverList | Where-Object { $_ -ne 'System.Memory' }) -join ',')

        $LASTEXITCODE | Should -Be 1
        $output -match '^would not bind: System.Memory 4\.0\.1\.2 from System.Text.Json \(0\.1\.0\.0 beside it' | Should -Not -BeNullOrEmpty
    }
}

Describe 'tools/Test-WindowsPowerShell.ps1, the check for a Windows machine' {
    It 'runs its checks against the emulator and ends with a verdict (here in PowerShell 7, which it says)' {
        $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tools/Test-WindowsPowerShell.ps1')

        $LASTEXITCODE | Should -Be 0
        @($output -match '^PASS  ').Count | Should -Be 7
        $output[-1] | Should -Match '^VERDICT: PASS \(7 of 7 checks\) on PowerShell 7.*not Windows PowerShell 5\.1'
    }
}
