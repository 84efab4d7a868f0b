#Requires -Version 7.4
<#
.SYNOPSIS
    Compiles the help markdown in a docs/<culture> folder into the files Get-Help reads: MAML
    (<Assembly>.dll-Help.xml) for the cmdlets and about_*.help.txt for the about topics.
.DESCRIPTION
    platyPS is not reachable from this build, so this is a small converter for the platyPS layout:

        ---                      front matter: 'external help file' (required), 'online version'
        # Verb-Noun
        ## SYNOPSIS              one paragraph
        ## SYNTAX                '### <parameter set>' (optionally '(Default)'), then a code block with its syntax
        ## DESCRIPTION           paragraphs, '-' lists, code blocks
        ## EXAMPLES              '### <title>', a ```powershell block, then the remarks
        ## PARAMETERS            '### -Name', its description, then a ```yaml block (one per set if they differ);
                                 '### CommonParameters' is left to Get-Help
        ## INPUTS, ## OUTPUTS    '### <type name>', then its description
        ## NOTES                 paragraphs (optional)
        ## RELATED LINKS         a list of [text](target) (optional)

    It reads markdown only: the module is never loaded into the build. The syntax Get-Help shows is built from
    the PARAMETERS yaml, in the order of the SYNTAX lines, and each written SYNTAX line must be exactly the one the
    yaml implies, so the two cannot drift apart. Every example must parse. Anything it cannot read stops the
    build with the file and line.

    about_<Name>.md becomes about_<Name>.help.txt: a TOPIC line, '##' headings in capitals, text wrapped at 80
    columns, code indented.
.EXAMPLE
    ./tools/Build-Help.ps1 -DocsPath docs/en-US -OutputPath out/HelloSign/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$CommandSections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$RequiredCommandSections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS'
$YamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters'
$AboutWidth = 80

function Stop-Parse([string] $Path, [int] $Line, [string] $Message) {
    throw "${Path}:${Line}: $Message"
}

#region Markdown: headings, paragraphs, '-' lists and fenced code; nothing more is needed for help.

# Returns @{ Path; Front (hashtable); Title; TitleLine; Sections (list of section) }, where a section is
# @{ Name; Line; Blocks; Subsections (list of @{ Name; Line; Blocks }) } and a block is
# @{ Kind = Paragraph|List|Code; Line; Lines (Paragraph, Code) or Items (List: one string per item); Language }.
function Read-Markdown([string] $Path) {
    $lines = (Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n" -split "`n"
    $doc = @{ Path = $Path; Front = @{}; Title = $null; TitleLine = 0; Sections = [Collections.Generic.List[hashtable]]::new() }
    $index = 0
    if ($lines[0] -eq '---') {
        $index = 1
        while ($index -lt $lines.Count -and $lines[$index] -ne '---') {
            if ($lines[$index] -match '^([\w ]+):\s*(.*)$') { $doc.Front[$Matches[1]] = $Matches[2].Trim() }
            elseif ($lines[$index].Trim()) { Stop-Parse $Path ($index + 1) "front matter line is not 'key: value': '$($lines[$index])'." }
            $index++
        }
        if ($index -ge $lines.Count) { Stop-Parse $Path 1 'the front matter has no closing ---.' }
        $index++
    }

    $section = $null
    $target = $null      # the block list new blocks go to: the current section's or subsection's
    $block = $null       # the open paragraph, list or code block
    for (; $index -lt $lines.Count; $index++) {
        $text = $lines[$index]
        $number = $index + 1
        if ($block -and $block.Kind -eq 'Code') {
            if ($text -match '^\s*```\s*$') { $block = $null }
            else { $block.Lines.Add($text) }
            continue
        }

        if ($text -match '^(#{1,6})\s+(.+?)\s*$') {
            $block = $null
            $level = $Matches[1].Length
            $name = $Matches[2]
            if ($level -eq 1) {
                if ($doc.Title) { Stop-Parse $Path $number "a second '# ' title ('$name'); a help file has one." }
                $doc.Title = $name
                $doc.TitleLine = $number
            }
            elseif ($level -eq 2) {
                $section = @{ Name = $name; Line = $number; Blocks = [Collections.Generic.List[hashtable]]::new(); Subsections = [Collections.Generic.List[hashtable]]::new() }
                $doc.Sections.Add($section)
                $target = $section.Blocks
            }
            elseif ($level -eq 3) {
                if (-not $section) { Stop-Parse $Path $number "'### $name' comes before any '## ' section." }
                $subsection = @{ Name = $name; Line = $number; Blocks = [Collections.Generic.List[hashtable]]::new() }
                $section.Subsections.Add($subsection)
                $target = $subsection.Blocks
            }
            else {
                Stop-Parse $Path $number "'$($Matches[1])' headings are not supported; use '##' or '###'."
            }
            continue
        }

        if (-not $text.Trim()) {
            $block = $null
            continue
        }

        if ($null -eq $target) { Stop-Parse $Path $number "text before the first '## ' section: '$text'." }
        if ($text -match '^\s*```\s*([\w-]*)\s*$') {
            $block = @{ Kind = 'Code'; Line = $number; Language = $Matches[1]; Lines = [Collections.Generic.List[string]]::new() }
            $target.Add($block)
        }
        elseif ($text -match '^[-*]\s+(.*)$') {
            if (-not $block -or $block.Kind -ne 'List') {
                $block = @{ Kind = 'List'; Line = $number; Items = [Collections.Generic.List[string]]::new() }
                $target.Add($block)
            }
            $block.Items.Add($Matches[1].Trim())
        }
        elseif ($block -and $block.Kind -eq 'List') {
            # A continuation line of the last item.
            $block.Items[$block.Items.Count - 1] += ' ' + $text.Trim()
        }
        elseif ($block) {
            $block.Lines.Add($text.Trim())
        }
        else {
            $block = @{ Kind = 'Paragraph'; Line = $number; Lines = [Collections.Generic.List[string]]::new() }
            $block.Lines.Add($text.Trim())
            $target.Add($block)
        }
    }

    if ($block -and $block.Kind -eq 'Code') { Stop-Parse $Path $block.Line 'this code block is never closed with ```.' }
    if (-not $doc.Title) { Stop-Parse $Path 1 "no '# ' title." }
    return $doc
}

# Inline markdown as plain text for a console: links keep their text (and an absolute target), emphasis
# markers and backslash escapes go; `code` keeps its backticks, which read well in a console too.
function ConvertFrom-InlineMarkdown([string] $Text) {
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)\s]+)\)', {
        param($match)
        $label = $match.Groups[1].Value
        $link = $match.Groups[2].Value
        if ($link -match '^[a-z]+://') { "$label ($link)" } else { $label }
    })
    $Text = $Text -replace '\*\*(.+?)\*\*', '$1'
    $Text -replace '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1'
}

# A block list as paragraphs of plain text: a paragraph's lines joined, one paragraph per list item, code kept
# line by line and indented.
function ConvertTo-Paragraphs($Blocks) {
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Paragraph' { ConvertFrom-InlineMarkdown ($block.Lines -join ' ') }
            'List' { foreach ($item in $block.Items) { '- ' + (ConvertFrom-InlineMarkdown $item) } }
            'Code' { ($block.Lines | ForEach-Object { "    $_" }) -join "`n" }
        }
    }
}

function Get-Section($Doc, [string] $Name) {
    $Doc.Sections | Where-Object Name -EQ $Name | Select-Object -First 1
}

#endregion

#region Cmdlet help: markdown → a checked model → MAML.

function Read-ParameterYaml([string] $Path, $Block) {
    $yaml = @{}
    $number = $Block.Line
    foreach ($line in $Block.Lines) {
        $number++
        if (-not $line.Trim()) { continue }
        if ($line -notmatch '^([A-Za-z ]+):\s*(.*)$' -or $Matches[1] -notin $YamlKeys) {
            Stop-Parse $Path $number "not a parameter property ($($YamlKeys -join ', ')): '$line'."
        }
        $yaml[$Matches[1]] = $Matches[2].Trim()
    }
    foreach ($key in $YamlKeys | Where-Object { $_ -ne 'Accepted values' }) {
        if (-not $yaml.ContainsKey($key) -or $yaml[$key] -eq '') { Stop-Parse $Path $Block.Line "the parameter's yaml lacks '$key'." }
    }
    if ($yaml.Required -notin 'True', 'False') { Stop-Parse $Path $Block.Line "Required is '$($yaml.Required)'; expected True or False." }
    if ($yaml.Position -notmatch '^(Named|\d+)$') { Stop-Parse $Path $Block.Line "Position is '$($yaml.Position)'; expected Named or a number." }
    if ($yaml['Accept pipeline input'] -notmatch '^(False|True \((ByValue|ByPropertyName|ByPropertyName, ByValue)\))$') {
        Stop-Parse $Path $Block.Line "Accept pipeline input is '$($yaml['Accept pipeline input'])'; expected False, or True (ByValue), (ByPropertyName) or (ByPropertyName, ByValue)."
    }
    if ($yaml['Accept wildcard characters'] -notin 'True', 'False') { Stop-Parse $Path $Block.Line "Accept wildcard characters must be True or False." }

    [pscustomobject]@{
        Type          = $yaml.Type
        Sets          = @($yaml['Parameter Sets'] -split '\s*,\s*')
        Aliases       = $yaml.Aliases
        Required      = $yaml.Required -eq 'True'
        Position      = if ($yaml.Position -eq 'Named') { 'named' } else { $yaml.Position }
        DefaultValue  = $yaml['Default value']
        PipelineInput = $yaml['Accept pipeline input']
        Globbing      = $yaml['Accept wildcard characters'] -eq 'True'
        IsSwitch      = $yaml.Type -eq 'SwitchParameter'
    }
}

# How PowerShell writes one parameter in a syntax line.
function Get-SyntaxFragment([string] $Name, $Yaml) {
    if ($Yaml.IsSwitch) { $core = "-$Name" }
    elseif ($Yaml.Position -ne 'named') { $core = "[-$Name] <$($Yaml.Type)>" }
    else { $core = "-$Name <$($Yaml.Type)>" }
    if ($Yaml.Required) { $core } else { "[$core]" }
}

function Read-CommandDoc($Doc) {
    $path = $Doc.Path
    $name = $Doc.Title
    if ($name -notmatch '^([A-Z][a-z]+)-([A-Za-z]+)$') { Stop-Parse $path $Doc.TitleLine "'$name' is not a Verb-Noun command name." }
    $verb, $noun = $Matches[1], $Matches[2]
    if ([IO.Path]::GetFileNameWithoutExtension($path) -ne $name) { Stop-Parse $path $Doc.TitleLine "the title '$name' does not match the file name." }
    if (-not $Doc.Front['external help file']) { Stop-Parse $path 1 "the front matter lacks 'external help file'." }
    foreach ($section in $Doc.Sections) {
        if ($section.Name -notin $CommandSections) { Stop-Parse $path $section.Line "unknown section '## $($section.Name)'; expected one of: $($CommandSections -join ', ')." }
    }
    foreach ($required in $RequiredCommandSections) {
        if (-not (Get-Section $Doc $required)) { Stop-Parse $path $Doc.TitleLine "no '## $required' section." }
    }

    $synopsis = @(ConvertTo-Paragraphs (Get-Section $Doc 'SYNOPSIS').Blocks)
    if ($synopsis.Count -ne 1) { Stop-Parse $path (Get-Section $Doc 'SYNOPSIS').Line 'SYNOPSIS must be one paragraph.' }
    $description = @(ConvertTo-Paragraphs (Get-Section $Doc 'DESCRIPTION').Blocks)
    if (-not $description) { Stop-Parse $path (Get-Section $Doc 'DESCRIPTION').Line 'DESCRIPTION is empty.' }

    # Parameters, by name, in the order written.
    $parameters = [ordered]@{}
    foreach ($sub in (Get-Section $Doc 'PARAMETERS').Subsections) {
        if ($sub.Name -eq 'CommonParameters') { continue }
        if ($sub.Name -notmatch '^-(\w+)$') { Stop-Parse $path $sub.Line "'### $($sub.Name)' is not '### -ParameterName' or '### CommonParameters'." }
        $parameterName = $Matches[1]
        $yamlBlocks = @($sub.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -eq 'yaml' })
        $text = @(ConvertTo-Paragraphs ($sub.Blocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Language -eq 'yaml') }))
        if (-not $yamlBlocks) { Stop-Parse $path $sub.Line "-$parameterName has no ```yaml block." }
        if (-not $text) { Stop-Parse $path $sub.Line "-$parameterName has no description." }
        if ($parameters.Contains($parameterName)) { Stop-Parse $path $sub.Line "-$parameterName is described twice." }
        $parameters[$parameterName] = [pscustomobject]@{
            Name        = $parameterName
            Description = $text
            Line        = $sub.Line
            Yaml        = @($yamlBlocks | ForEach-Object { Read-ParameterYaml $path $_ })
        }
    }

    # Syntax: one line per parameter set, checked against the yaml.
    $syntax = [Collections.Generic.List[object]]::new()
    $setNames = @((Get-Section $Doc 'SYNTAX').Subsections | ForEach-Object { $_.Name -replace '\s*\(Default\)$', '' })
    foreach ($sub in (Get-Section $Doc 'SYNTAX').Subsections) {
        $setName = $sub.Name -replace '\s*\(Default\)$', ''
        $code = @($sub.Blocks | Where-Object Kind -EQ 'Code')
        if ($code.Count -ne 1) { Stop-Parse $path $sub.Line "the syntax of '$setName' must be one code block." }
        $written = ($code[0].Lines -join ' ') -replace '\s+', ' '
        if (-not $written.StartsWith("$name ") -and $written -ne $name) { Stop-Parse $path $code[0].Line "the syntax of '$setName' does not start with '$name'." }
        $names = @([regex]::Matches($written, '(?<=^|[\s\[])-(\w+)') | ForEach-Object { $_.Groups[1].Value })
        $entries = foreach ($parameterName in $names) {
            $parameter = $parameters[$parameterName]
            if (-not $parameter) { Stop-Parse $path $code[0].Line "the syntax of '$setName' names -$parameterName, which PARAMETERS does not describe." }
            $yaml = $parameter.Yaml | Where-Object { $setName -in $_.Sets -or '(All)' -in $_.Sets } | Select-Object -First 1
            if (-not $yaml) { Stop-Parse $path $parameter.Line "-$parameterName is in the syntax of '$setName', but none of its yaml blocks lists that set." }
            [pscustomobject]@{ Parameter = $parameter; Yaml = $yaml }
        }
        $expected = (@($name) + @($entries | ForEach-Object { Get-SyntaxFragment $_.Parameter.Name $_.Yaml }) + '[<CommonParameters>]') -join ' '
        if ($written -ne $expected) {
            Stop-Parse $path $code[0].Line "the syntax of '$setName' does not match its parameters' yaml.`n  written:  $written`n  expected: $expected"
        }
        $syntax.Add([pscustomobject]@{ Name = $setName; Entries = @($entries) })
    }
    if (-not $syntax.Count) { Stop-Parse $path (Get-Section $Doc 'SYNTAX').Line 'SYNTAX has no parameter set.' }
    foreach ($parameter in $parameters.Values) {
        foreach ($set in $parameter.Yaml.Sets) {
            $inSyntax = @($syntax | Where-Object { ($set -eq '(All)' -or $_.Name -eq $set) -and $parameter.Name -in $_.Entries.Parameter.Name })
            if ($set -ne '(All)' -and $set -notin $setNames) { Stop-Parse $path $parameter.Line "-$($parameter.Name) names the parameter set '$set', which SYNTAX does not have." }
            if (-not $inSyntax) { Stop-Parse $path $parameter.Line "-$($parameter.Name) is in the set '$set' but missing from its SYNTAX line." }
        }
    }

    $examples = foreach ($sub in (Get-Section $Doc 'EXAMPLES').Subsections) {
        $code = @($sub.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -eq 'powershell' })
        if (-not $code) { Stop-Parse $path $sub.Line "the example '$($sub.Name)' has no ```powershell block." }
        $codeText = ($code | ForEach-Object { $_.Lines -join "`n" }) -join "`n`n"
        $tokens = $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseInput($codeText, [ref] $tokens, [ref] $errors)
        if ($errors) { Stop-Parse $path $code[0].Line "the example '$($sub.Name)' does not parse: $($errors[0].Message) (line $($errors[0].Extent.StartLineNumber) of the example)." }
        $remarks = @(ConvertTo-Paragraphs ($sub.Blocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Language -eq 'powershell') }))
        if (-not $remarks) { Stop-Parse $path $sub.Line "the example '$($sub.Name)' does not say what it does." }
        [pscustomobject]@{ Title = $sub.Name; Code = $codeText; Remarks = $remarks }
    }
    if (@($examples).Count -lt 2) { Stop-Parse $path (Get-Section $Doc 'EXAMPLES').Line 'EXAMPLES needs at least two examples.' }

    $typeLists = @{}
    foreach ($kind in 'INPUTS', 'OUTPUTS') {
        $typeLists[$kind] = @(foreach ($sub in (Get-Section $Doc $kind).Subsections) {
                [pscustomobject]@{ Type = $sub.Name; Description = @(ConvertTo-Paragraphs $sub.Blocks) }
            })
        if (-not $typeLists[$kind]) { Stop-Parse $path (Get-Section $Doc $kind).Line "$kind lists no type ('### TypeName', or '### None')." }
    }

    $links = [Collections.Generic.List[object]]::new()
    if ($Doc.Front['online version']) { $links.Add([pscustomobject]@{ Text = 'Online Version:'; Uri = $Doc.Front['online version'] }) }
    if ($related = Get-Section $Doc 'RELATED LINKS') {
        foreach ($block in $related.Blocks) {
            foreach ($item in $(if ($block.Kind -eq 'List') { $block.Items } else { $block.Lines })) {
                if ($item -notmatch '^\[([^\]]+)\]\(([^)\s]*)\)$') { Stop-Parse $path $block.Line "a related link is not '[text](target)': '$item'." }
                # A link to another page of this help names a command, which Get-Help shows by name.
                $links.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $(if ($Matches[2] -match '^[a-z]+://') { $Matches[2] } else { '' }) })
            }
        }
    }

    [pscustomobject]@{
        Name        = $name
        Verb        = $verb
        Noun        = $noun
        HelpFile    = $Doc.Front['external help file']
        Synopsis    = $synopsis[0]
        Description = $description
        Syntax      = $syntax
        Parameters  = @($parameters.Values)
        Examples    = @($examples)
        Inputs      = $typeLists['INPUTS']
        Outputs     = $typeLists['OUTPUTS']
        Notes       = @(if ($notes = Get-Section $Doc 'NOTES') { ConvertTo-Paragraphs $notes.Blocks })
        Links       = $links
    }
}

$Ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Write-Element([System.Xml.XmlWriter] $Writer, [string] $Name, [string] $Text) {
    $prefix, $local = $Name -split ':'
    $Writer.WriteElementString($prefix, $local, $Ns[$prefix], $Text)
}

function Write-Start([System.Xml.XmlWriter] $Writer, [string] $Name) {
    $prefix, $local = $Name -split ':'
    $Writer.WriteStartElement($prefix, $local, $Ns[$prefix])
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    Write-Start $Writer 'maml:description'
    foreach ($paragraph in $Paragraphs) { Write-Element $Writer 'maml:para' $paragraph }
    $Writer.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $Writer, $Parameter, $Yaml, [switch] $InSyntax) {
    Write-Start $Writer 'command:parameter'
    $Writer.WriteAttributeString('required', $Yaml.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'true')
    $Writer.WriteAttributeString('globbing', $Yaml.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Yaml.PipelineInput)
    $Writer.WriteAttributeString('position', $Yaml.Position)
    $Writer.WriteAttributeString('aliases', $Yaml.Aliases)
    Write-Element $Writer 'maml:name' $Parameter.Name
    Write-Description $Writer $Parameter.Description
    # In a syntax line a switch shows as [-Name]; in the parameter list as -Name [<SwitchParameter>].
    if (-not ($InSyntax -and $Yaml.IsSwitch)) {
        Write-Start $Writer 'command:parameterValue'
        $Writer.WriteAttributeString('required', $(if ($Yaml.IsSwitch) { 'false' } else { 'true' }))
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Yaml.Type)
        $Writer.WriteEndElement()
    }
    Write-Start $Writer 'dev:type'
    Write-Element $Writer 'maml:name' $Yaml.Type
    $Writer.WriteEndElement()
    Write-Element $Writer 'dev:defaultValue' $Yaml.DefaultValue
    $Writer.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $Writer, [string] $ListName, [string] $ItemName, $Types) {
    Write-Start $Writer $ListName
    foreach ($type in $Types) {
        Write-Start $Writer $ItemName
        Write-Start $Writer 'dev:type'
        Write-Element $Writer 'maml:name' $type.Type
        $Writer.WriteEndElement()
        Write-Description $Writer $type.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-Maml([string] $Path, $Commands) {
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $Commands) {
            Write-Start $writer 'command:command'
            foreach ($prefix in 'maml', 'command', 'dev') { $writer.WriteAttributeString('xmlns', $prefix, $null, $Ns[$prefix]) }

            Write-Start $writer 'command:details'
            Write-Element $writer 'command:name' $command.Name
            Write-Element $writer 'command:verb' $command.Verb
            Write-Element $writer 'command:noun' $command.Noun
            Write-Description $writer $command.Synopsis
            $writer.WriteEndElement()
            Write-Description $writer $command.Description

            Write-Start $writer 'command:syntax'
            foreach ($set in $command.Syntax) {
                Write-Start $writer 'command:syntaxItem'
                Write-Element $writer 'maml:name' $command.Name
                foreach ($entry in $set.Entries) { Write-Parameter $writer $entry.Parameter $entry.Yaml -InSyntax }
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            Write-Start $writer 'command:parameters'
            foreach ($parameter in $command.Parameters) { Write-Parameter $writer $parameter $parameter.Yaml[0] }
            $writer.WriteEndElement()

            Write-TypeList $writer 'command:inputTypes' 'command:inputType' $command.Inputs
            Write-TypeList $writer 'command:returnValues' 'command:returnValue' $command.Outputs

            Write-Start $writer 'maml:alertSet'
            Write-Start $writer 'maml:alert'
            foreach ($paragraph in $command.Notes) { Write-Element $writer 'maml:para' $paragraph }
            $writer.WriteEndElement()
            $writer.WriteEndElement()

            Write-Start $writer 'command:examples'
            foreach ($example in $command.Examples) {
                Write-Start $writer 'command:example'
                Write-Element $writer 'maml:title' "----- $($example.Title) -----"
                Write-Element $writer 'dev:code' $example.Code
                Write-Start $writer 'dev:remarks'
                foreach ($paragraph in $example.Remarks) { Write-Element $writer 'maml:para' $paragraph }
                # Get-Help prints the next example's title right under the last remark; an empty paragraph is the
                # blank line that separates them.
                Write-Element $writer 'maml:para' ''
                $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            Write-Start $writer 'command:relatedLinks'
            foreach ($link in $command.Links) {
                Write-Start $writer 'maml:navigationLink'
                Write-Element $writer 'maml:linkText' $link.Text
                Write-Element $writer 'maml:uri' $link.Uri
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

#endregion

#region About topics: markdown → plain text as Get-Help shows it.

function Format-Wrapped([string] $Text, [string] $FirstIndent, [string] $Indent) {
    $line = $FirstIndent
    $lineHasWord = $false
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if ($lineHasWord -and $line.Length + 1 + $word.Length -gt $AboutWidth) {
            $line
            $line = $Indent
            $lineHasWord = $false
        }
        $line += $(if ($lineHasWord) { ' ' } else { '' }) + $word
        $lineHasWord = $true
    }
    if ($lineHasWord) { $line }
}

function ConvertTo-AboutLines($Blocks, [string] $Path) {
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Paragraph' { Format-Wrapped (ConvertFrom-InlineMarkdown ($block.Lines -join ' ')) '    ' '    ' }
            'List' { foreach ($item in $block.Items) { Format-Wrapped (ConvertFrom-InlineMarkdown $item) '    - ' '      ' } }
            'Code' {
                $number = $block.Line
                foreach ($codeLine in $block.Lines) {
                    $number++
                    if (8 + $codeLine.Length -gt $AboutWidth) { Stop-Parse $Path $number "this code line is wider than an about topic allows ($($AboutWidth - 8) characters)." }
                    if ($codeLine) { "        $codeLine" } else { '' }
                }
            }
        }
        ''
    }
}

function ConvertTo-AboutText($Doc) {
    $path = $Doc.Path
    $topic = [IO.Path]::GetFileNameWithoutExtension($path)
    if ($Doc.Title -ne $topic) { Stop-Parse $path $Doc.TitleLine "the title '$($Doc.Title)' does not match the file name '$topic'." }
    foreach ($required in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') {
        if (-not (Get-Section $Doc $required)) { Stop-Parse $path $Doc.TitleLine "no '## $required' section." }
    }
    $lines = [Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]]@('TOPIC', "    $topic", ''))
    foreach ($section in $Doc.Sections) {
        $lines.Add($section.Name.ToUpperInvariant())
        $lines.AddRange([string[]]@(ConvertTo-AboutLines $section.Blocks $path))
        foreach ($sub in $section.Subsections) {
            $lines.Add("  $($sub.Name)")
            $lines.AddRange([string[]]@(ConvertTo-AboutLines $sub.Blocks $path))
        }
    }
    ($lines -join [Environment]::NewLine).TrimEnd() + [Environment]::NewLine
}

#endregion

$DocsPath = (Resolve-Path -LiteralPath $DocsPath).ProviderPath
$null = New-Item -ItemType Directory -Force -Path $OutputPath
$files = @(Get-ChildItem -LiteralPath $DocsPath -Filter '*.md' | Sort-Object Name)
if (-not $files) { throw "No help markdown in '$DocsPath'." }

$commands = [Collections.Generic.List[object]]::new()
foreach ($file in $files) {
    $doc = Read-Markdown $file.FullName
    if ($file.BaseName -like 'about_*') {
        $target = Join-Path $OutputPath "$($file.BaseName).help.txt"
        [IO.File]::WriteAllText($target, (ConvertTo-AboutText $doc), [Text.UTF8Encoding]::new($false))
        Write-Verbose "Help: $target"
    }
    else {
        $commands.Add((Read-CommandDoc $doc))
    }
}

foreach ($group in $commands | Group-Object HelpFile) {
    $target = Join-Path $OutputPath $group.Name
    Write-Maml $target $group.Group
    # What Get-Help will read must at least be well-formed XML.
    $null = [xml](Get-Content -Raw -LiteralPath $target)
    Write-Verbose "Help: $target ($($group.Count) commands)"
}
