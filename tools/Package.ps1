#Requires -Version 7.4
<#
.SYNOPSIS
    Packs the built module into <OutputPath>/HelloSign.<version>.nupkg, the package a PowerShell gallery serves.
.DESCRIPTION
    Publish-PSResource (Microsoft.PowerShell.PSResourceGet, shipped with PowerShell 7.4+) builds the package from
    the module folder and its manifest: id, version, description, tags, project and license links and release
    notes all come from the manifest. It publishes to a local folder repository, registered under a unique name
    for the duration of this script and then removed, so nothing touches the internet: the module has no
    RequiredModules, and the dependency check is skipped anyway.
.EXAMPLE
    ./tools/Package.ps1 -ModulePath out/HelloSign -OutputPath out
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$name = Split-Path -Leaf $ModulePath
$manifest = Test-ModuleManifest -Path (Join-Path $ModulePath "$name.psd1")
$version = $manifest.Version
$null = New-Item -ItemType Directory -Force -Path $OutputPath

$repositoryName = "HelloSignPackage-$([guid]::NewGuid().ToString('N'))"
$repositoryPath = Join-Path ([IO.Path]::GetTempPath()) $repositoryName
$null = New-Item -ItemType Directory -Path $repositoryPath
Register-PSResourceRepository -Name $repositoryName -Uri $repositoryPath -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $repositoryName -SkipDependenciesCheck
    $package = Join-Path $repositoryPath "$name.$version.nupkg"
    if (-not (Test-Path -LiteralPath $package)) {
        throw "Publish-PSResource did not produce '$name.$version.nupkg'; it produced: $((Get-ChildItem $repositoryPath).Name -join ', ')."
    }
    Copy-Item -LiteralPath $package -Destination $OutputPath -Force
    Write-Host "Package: $(Join-Path (Resolve-Path $OutputPath) "$name.$version.nupkg")"
}
finally {
    Unregister-PSResourceRepository -Name $repositoryName
    Remove-Item -LiteralPath $repositoryPath -Recurse -Force -ErrorAction SilentlyContinue
}
