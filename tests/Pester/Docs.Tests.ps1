#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The docs and the module agree: every cmdlet has a page and every page a cmdlet; every cmdlet or parameter the
# docs name (in code blocks, inline code and parameter headings) exists; guide-map.md calls nothing "planned" that
# the module does. Help itself is generated from docs/cmdlets (docs/tools/md2maml.py), its only source.

BeforeDiscovery {
    $repoRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $docCases = @(Get-ChildItem (Join-Path $repoRoot 'docs') -Filter *.md -Recurse) + @(Get-Item (Join-Path $repoRoot 'README.md')) |
        ForEach-Object { @{ Name = [IO.Path]::GetRelativePath($repoRoot, $_.FullName); Path = $_.FullName } }
}

BeforeAll {
    $repoRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    Get-Module KafkaReplication | Remove-Module -Force
    Import-Module (Join-Path $repoRoot 'out/KafkaReplication/KafkaReplication.psd1') -Force -ErrorAction Stop
    $cmdlets = @{}
    Get-Command -Module KafkaReplication -CommandType Cmdlet | ForEach-Object { $cmdlets[$_.Name] = $_ }
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    # Names that look like this module's cmdlets: an approved verb and one of its nouns' stems.
    $lookalike = '\b(?:{0})-(?:Replication\w*|SourceOffset|ConsumerGroupLag|ControlledFailover|ControlledFailback|DisasterFailover)\b' -f ((Get-Verb).Verb -join '|')

    function Test-ParameterName($Command, [string] $Name) {
        if ($Name -in $common) { return $true }
        foreach ($parameter in $Command.Parameters.Values) {
            if ($parameter.Name -eq $Name -or $Name -in $parameter.Aliases) { return $true }
        }
        $false
    }

    # Every invocation of a module cmdlet in a piece of PowerShell, as "Cmdlet -Parameter" strings that do not exist.
    function Get-UnknownUse([string] $Code, [string] $Where) {
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $null, [ref] $null)
        foreach ($command in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $name = $command.GetCommandName()
            if (-not $name) { continue }
            if ($name -match "^$lookalike$" -and -not $cmdlets.ContainsKey($name)) { "${Where}: $name does not exist"; continue }
            if (-not $cmdlets.ContainsKey($name)) { continue }
            foreach ($element in $command.CommandElements) {
                if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and
                    -not (Test-ParameterName $cmdlets[$name] $element.ParameterName)) {
                    "${Where}: $name has no parameter -$($element.ParameterName)"
                }
            }
        }
    }
}

Describe 'Cmdlet pages' {
    It 'exist for every cmdlet, and name only cmdlets that exist' {
        $pages = (Get-ChildItem (Join-Path $repoRoot 'docs/cmdlets') -Filter *.md).BaseName | Sort-Object
        $pages | Should -Be ($cmdlets.Keys | Sort-Object)
    }

    It 'have parameter headings only for parameters the cmdlet has' {
        $unknown = foreach ($page in Get-ChildItem (Join-Path $repoRoot 'docs/cmdlets') -Filter *.md) {
            $command = $cmdlets[$page.BaseName]
            if (-not $command) { continue }
            foreach ($match in [regex]::Matches((Get-Content -Raw $page.FullName), '(?m)^### -(\w+)\s*$')) {
                $name = $match.Groups[1].Value
                if (-not $command.Parameters.ContainsKey($name)) { "$($page.Name): -$name" }
            }
        }
        $unknown | Should -BeNullOrEmpty
    }
}

Describe '<Name> names only cmdlets and parameters that exist' -ForEach $docCases {
    It 'in its PowerShell code blocks' {
        $text = Get-Content -Raw -Path $Path
        $unknown = foreach ($block in [regex]::Matches($text, '(?ms)^```powershell\s*$(.*?)^```')) {
            Get-UnknownUse $block.Groups[1].Value "$Name, line $(($text.Substring(0, $block.Index) -split "`n").Count)"
        }
        $unknown | Should -BeNullOrEmpty
    }

    It 'in its inline code' {
        $text = [regex]::Replace((Get-Content -Raw -Path $Path), '(?ms)^```.*?^```', '')
        $unknown = foreach ($span in [regex]::Matches($text, '`([^`\r\n]+)`')) {
            $code = $span.Groups[1].Value
            if ($code -notmatch $lookalike) { continue }
            Get-UnknownUse $code "$Name, ``$code``"
        }
        $unknown | Should -BeNullOrEmpty
    }
}

Describe 'docs/guide-map.md' {
    It 'calls nothing planned that a cmdlet does' {
        $rows = Get-Content (Join-Path $repoRoot 'docs/guide-map.md') | Where-Object { $_ -match '^\|' -and $_ -match '\|\s*Planned' }
        $stale = foreach ($row in $rows) {
            $named = [regex]::Matches($row, $lookalike).Value | Where-Object { $cmdlets.ContainsKey($_) }
            if ($named) { "$(($row -split '\|')[1].Trim()): planned, but $($named -join ', ') exist" }
        }
        $stale | Should -BeNullOrEmpty
    }
}

Describe 'Help has one source' {
    It 'no cmdlet source carries a synopsis or description of its own' {
        $copies = Get-ChildItem (Join-Path $repoRoot 'src') -Filter *.cs -Recurse |
            Select-String -Pattern 'para type="(synopsis|description)"' | ForEach-Object { "$($_.Filename):$($_.LineNumber)" }
        $copies | Should -BeNullOrEmpty
    }

    It 'no cmdlet or manifest points to online help or a project page that does not exist' {
        @($cmdlets.Values | Where-Object { $_.HelpUri }).Name | Should -BeNullOrEmpty
        $manifest = Import-PowerShellDataFile (Join-Path $repoRoot 'KafkaReplication.psd1')
        $manifest.Keys | Should -Not -Contain 'HelpInfoURI'
        $manifest.PrivateData.PSData.ProjectUri | Should -Not -Match 'example\.(invalid|com|org)'
    }
}
