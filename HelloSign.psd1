# The module manifest. build.ps1 copies it to out/HelloSign and sets ModuleVersion from
# Directory.Build.props, the one place the version lives; '0.0.0' here is only a placeholder.
@{
    RootModule           = 'HelloSign.dll'
    ModuleVersion        = '0.0.0'
    GUID                 = '5b0f7c3e-2a8d-4e51-9a3c-7d1e6f4b2c90'
    Author               = 'HelloSign for PowerShell contributors'
    CompanyName          = 'Community'
    Copyright            = '(c) HelloSign for PowerShell contributors. MIT License.'
    Description          = 'Cancel, find and clean up Dropbox Sign (HelloSign) signature requests safely at scale: confirmation by default, rate-limit pacing, retries, and a per-id outcome for every id.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('HelloSign.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-HelloSign'
        'Disconnect-HelloSign'
        'Get-HelloSignConnection'
        'Get-HelloSignSignatureRequest'
        'Stop-HelloSignSignatureRequest'
        'Remove-HelloSignSignatureRequest'
        'ConvertFrom-HelloSignEvent'
        'Invoke-HelloSignRequest'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('HelloSign', 'DropboxSign', 'eSignature', 'SignatureRequest', 'API', 'Automation', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/hellosign-powershell/HelloSign'
            LicenseUri   = 'https://github.com/hellosign-powershell/HelloSign/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/hellosign-powershell/HelloSign/blob/main/CHANGELOG.md'
        }
    }
}
