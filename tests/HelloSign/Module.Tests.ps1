# The built module as a whole: its manifest, the cmdlets' declarations, its version, and what loading it brings in.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $moduleRoot = Split-Path -Parent $ModuleManifest
    $manifest = Import-PowerShellDataFile -Path $ModuleManifest
    $module = Get-Module -Name HelloSign
    $assembly = $module.ImplementingAssembly

    # The cmdlets as the dll defines them, whatever the manifest says.
    $cmdletTypes = @($assembly.GetTypes() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) })
    $cmdlets = @(foreach ($type in $cmdletTypes) {
            $attribute = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            [pscustomobject]@{
                Name      = "$($attribute.VerbName)-$($attribute.NounName)"
                Verb      = $attribute.VerbName
                Type      = $type
                Attribute = $attribute
            }
        })
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest' {
        $tested = Test-ModuleManifest -Path $ModuleManifest -ErrorAction Stop

        $tested.Name | Should -Be 'HelloSign'
        $tested.RootModule | Should -Be 'HelloSign.dll'
    }

    It 'exports exactly the cmdlets HelloSign.dll defines' {
        $cmdlets | Should -Not -BeNullOrEmpty
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be @($cmdlets.Name | Sort-Object)
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($cmdlets.Name | Sort-Object)
    }

    It 'lists the cmdlets explicitly, with no wildcard' {
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        $manifest.CmdletsToExport | ForEach-Object { [WildcardPattern]::ContainsWildcardCharacters($_) | Should -BeFalse }
    }

    It 'exports no <_>, and says so explicitly' -ForEach 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport' {
        # Left out, these default to '*', which makes PowerShell search the module for them on every command lookup.
        $manifest.ContainsKey($_) | Should -BeTrue
        @($manifest[$_]) | Should -HaveCount 0
    }

    It 'declares both editions, and PowerShell 5.1 as the minimum' {
        @($manifest.CompatiblePSEditions | Sort-Object) | Should -Be @('Core', 'Desktop')
        $manifest.PowerShellVersion | Should -Be '5.1'
    }

    It 'loads its formats' {
        $manifest.FormatsToProcess | Should -Contain 'HelloSign.Format.ps1xml'
        foreach ($format in $manifest.FormatsToProcess) { Join-Path $moduleRoot $format | Should -Exist }
        Get-FormatData -TypeName 'HelloSign.SignatureRequestActionResult' | Should -Not -BeNullOrEmpty
    }

    It 'has the metadata a gallery shows' {
        $data = $manifest.PrivateData.PSData
        $data.Tags | Should -Contain 'PSEdition_Core'
        $data.Tags | Should -Contain 'PSEdition_Desktop'
        $data.Tags | ForEach-Object { $_ | Should -Not -Match '\s' -Because 'a gallery tag cannot contain spaces' }
        foreach ($uri in $data.ProjectUri, $data.LicenseUri) { [uri]::IsWellFormedUriString($uri, 'Absolute') | Should -BeTrue -Because $uri }
        $data.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.Description | Should -Not -BeNullOrEmpty
    }

    It 'has the version of Directory.Build.props, the one place it is written' {
        $props = [xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))
        $version = $props.SelectSingleNode('//ModuleVersion').InnerText
        $informational = $assembly.GetCustomAttributes([System.Reflection.AssemblyInformationalVersionAttribute], $false)[0].InformationalVersion

        $version | Should -Match '^\d+\.\d+\.\d+$'
        $manifest.ModuleVersion | Should -Be $version
        $module.Version | Should -Be ([version] $version)
        ($informational -split '\+')[0] | Should -Be $version
        Get-Content -Raw $ModuleManifest | Should -Not -Match '0\.0\.0|placeholder' -Because 'the built manifest has its real version and nothing about the source''s placeholder'
        # The source manifest holds only a placeholder that the build replaces.
        (Import-PowerShellDataFile (Join-Path $RepoRoot 'HelloSign.psd1')).ModuleVersion | Should -Be '0.0.0'
    }
}

Describe 'The cmdlets' {
    It 'each declare [OutputType]' {
        $missing = $cmdlets | Where-Object { -not $_.Type.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $false) }
        @($missing.Name) | Should -BeNullOrEmpty
    }

    It 'each use an approved verb' {
        $approved = (Get-Verb).Verb
        @($cmdlets | Where-Object Verb -NotIn $approved | ForEach-Object Name) | Should -BeNullOrEmpty
    }

    It 'support -WhatIf and -Confirm when they change state' {
        # Get- reads, ConvertFrom- converts its input, Connect- only sets up this session: nothing else changes
        # without ShouldProcess.
        $changing = @($cmdlets | Where-Object Verb -NotIn 'Get', 'ConvertFrom', 'Connect')
        $changing.Name | Should -Contain 'Stop-HelloSignSignatureRequest'
        $changing.Name | Should -Contain 'Remove-HelloSignSignatureRequest'
        $changing.Name | Should -Contain 'Disconnect-HelloSign'
        @($changing | Where-Object { -not $_.Attribute.SupportsShouldProcess } | ForEach-Object Name) | Should -BeNullOrEmpty
    }

    It 'ask before each irreversible action by default (ConfirmImpact High)' {
        foreach ($name in 'Stop-HelloSignSignatureRequest', 'Remove-HelloSignSignatureRequest') {
            ($cmdlets | Where-Object Name -EQ $name).Attribute.ConfirmImpact | Should -Be 'High' -Because $name
        }
    }
}

Describe 'Loading the module in PowerShell 7' {
    BeforeAll {
        $emulator = Start-HelloSignEmulator
    }

    AfterAll {
        Stop-HelloSignEmulator -Emulator $emulator
    }

    It 'uses the runtime''s System.Text.Json and loads nothing from the dependencies folder' {
        $account = Get-SeedAccount $emulator
        $id = (Get-SeedRequestId $emulator 'awaiting_signature')[0]
        $child = Invoke-ChildPwsh -NonInteractive -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
Connect-HelloSign -ApiKey (ConvertTo-SecureString '$($account.api_keys[0])' -AsPlainText -Force) -ApiBaseUri '$($emulator.ApiBaseUri)' -InformationAction Ignore
'READ=' + (Get-HelloSignSignatureRequest -SignatureRequestId '$id').SignatureRequestId
'PSHOME=' + `$PSHOME
'RUNTIME=' + [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
'ASSEMBLIES=' + ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not `$_.IsDynamic } | ForEach-Object {
    [pscustomobject]@{ Name = `$_.GetName().Name; Location = `$_.Location }
} | ConvertTo-Json -Compress)
"@
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $lines = $child.Output -split '\r?\n'
        function Get-Line([string] $Prefix) { ($lines | Where-Object { $_.StartsWith("$Prefix=") } | Select-Object -First 1).Substring($Prefix.Length + 1) }
        $assemblies = Get-Line 'ASSEMBLIES' | ConvertFrom-Json
        $runtimeHomes = (Get-Line 'PSHOME'), (Get-Line 'RUNTIME')

        # The module did its work (which parses JSON), so System.Text.Json is loaded: once, and from the runtime.
        Get-Line 'READ' | Should -Be $id
        $json = @($assemblies | Where-Object Name -EQ 'System.Text.Json')
        $json | Should -HaveCount 1
        $fromRuntime = $runtimeHomes | Where-Object { $json[0].Location.StartsWith($_.TrimEnd('/', '\')) }
        $fromRuntime | Should -Not -BeNullOrEmpty -Because "System.Text.Json was loaded from $($json[0].Location)"
        $json[0].Location | Should -Not -BeLike "$moduleRoot*"

        @($assemblies | Where-Object { $_.Location -like (Join-Path $moduleRoot 'dependencies' '*') }).Name | Should -BeNullOrEmpty
        ($assemblies | Where-Object Name -EQ 'HelloSign.Core').Location | Should -Be (Join-Path $moduleRoot 'HelloSign.Core.dll')
    }
}
