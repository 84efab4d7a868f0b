# The package as a user gets it: tools/Package.ps1 builds it, a local folder repository serves it, PSResourceGet
# saves it into a folder of modules, and a fresh pwsh imports it by name and cancels a request with it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $version = (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
    $feed = Join-Path $TestDrive 'feed'
    $modules = Join-Path $TestDrive 'modules'
    $null = New-Item -ItemType Directory -Force $feed, $modules
    $repositoriesBefore = @(Get-PSResourceRepository).Name

    & (Join-Path $RepoRoot 'tools/Package.ps1') -ModulePath (Split-Path -Parent $ModuleManifest) -OutputPath $feed 6>$null
    $package = Join-Path $feed "HelloSign.$version.nupkg"

    $repository = "HelloSignTest-$([guid]::NewGuid().ToString('N'))"
    Register-PSResourceRepository -Name $repository -Uri $feed -Trusted

    function Get-PackageEntry([string] $Name) {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
        try {
            if ($Name) {
                $reader = [IO.StreamReader]::new($zip.GetEntry($Name).Open())
                try { $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            else { $zip.Entries.FullName }
        }
        finally { $zip.Dispose() }
    }
}

AfterAll {
    Unregister-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue
}

Describe 'tools/Package.ps1' {
    It 'makes HelloSign.<version>.nupkg with the module, its formats, its help and its dependencies' {
        $package | Should -Exist
        $entries = Get-PackageEntry
        foreach ($file in 'HelloSign.psd1', 'HelloSign.dll', 'HelloSign.Core.dll', 'HelloSign.Format.ps1xml', 'en-US/HelloSign.dll-Help.xml', 'en-US/about_HelloSign.help.txt', 'dependencies/System.Text.Json.dll') {
            $entries | Should -Contain $file
        }
    }

    It 'gives the package the manifest''s name, version and gallery metadata' {
        $nuspec = ([xml](Get-PackageEntry 'HelloSign.nuspec')).package.metadata
        $data = (Import-PowerShellDataFile $ModuleManifest).PrivateData.PSData

        $nuspec.id | Should -Be 'HelloSign'
        $nuspec.version | Should -Be $version
        $nuspec.projectUrl | Should -Be $data.ProjectUri
        $nuspec.licenseUrl | Should -Be $data.LicenseUri
        $nuspec.releaseNotes | Should -Be $data.ReleaseNotes
        $nuspec.tags -split ' ' | Should -Contain 'PSEdition_Desktop'
    }

    It 'leaves no repository registered behind it' {
        @(Get-PSResourceRepository).Name | Where-Object { $_ -notin $repositoriesBefore -and $_ -ne $repository } | Should -BeNullOrEmpty
    }
}

Describe 'The package, installed from a repository' {
    BeforeAll {
        $emulator = Start-HelloSignEmulator
        Save-PSResource -Name HelloSign -Version $version -Repository $repository -Path $modules -TrustRepository -SkipDependencyCheck -Quiet
    }

    AfterAll {
        Stop-HelloSignEmulator -Emulator $emulator
    }

    It 'is found in the repository at its version' {
        (Find-PSResource -Name HelloSign -Repository $repository).Version | Should -Be ([version] $version)
    }

    It 'imports by name in a new pwsh, with its help, and cancels a request' {
        $account = Get-SeedAccount $emulator
        $id = (Get-SeedRequestId $emulator 'awaiting_signature')[0]
        $environment = @{ PSModulePath = $modules }
        $child = Invoke-ChildPwsh -NonInteractive -Environment $environment -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module HelloSign
`$module = Get-Module HelloSign
'BASE=' + `$module.ModuleBase
'VERSION=' + `$module.Version
'SYNOPSIS=' + (Get-Help Stop-HelloSignSignatureRequest).Synopsis
Connect-HelloSign -ApiKey (ConvertTo-SecureString '$($account.api_keys[0])' -AsPlainText -Force) -ApiBaseUri '$($emulator.ApiBaseUri)' -InformationAction Ignore
`$result = Stop-HelloSignSignatureRequest -SignatureRequestId '$id' -Force -PassThru
'RESULT=' + `$result.SignatureRequestId + ' ' + `$result.Status
"@
        $child.ExitCode | Should -Be 0 -Because $child.Output
        $child.Output | Should -Match ("BASE=" + [regex]::Escape((Join-Path $modules 'HelloSign' $version)))
        $child.Output | Should -Match "VERSION=$([regex]::Escape($version))"
        $child.Output | Should -Match 'SYNOPSIS=Cancels incomplete'
        $child.Output | Should -Match "RESULT=$id Queued"
        (Get-HelloSignEmulatorState -Emulator $emulator -Id $id).cancel_count | Should -Be 1
    }
}
