#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Pester 5 tests of the built module folder (out/KafkaReplication), as a user imports it.
# Run by `build.ps1 -Task Test` (after the xunit suites) or `build.ps1 -Task Pester`, in pwsh 7.6.10 from the tool manifest.

BeforeDiscovery {
    $repoRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $manifestPath = Join-Path $repoRoot 'out/KafkaReplication/KafkaReplication.psd1'
    $exported = if (Test-Path $manifestPath) { (Import-PowerShellDataFile $manifestPath).CmdletsToExport } else { @() }
    $cmdletCases = @($exported | ForEach-Object { @{ Name = $_ } })
    $changingCases = @(
        @{ Name = 'New-ReplicationFlow'; Impact = 'Medium' }
        @{ Name = 'Remove-ReplicationFlow'; Impact = 'High' }
        @{ Name = 'Set-ReplicationFlow'; Impact = 'Medium' }
        @{ Name = 'Start-ReplicationFlow'; Impact = 'Medium' }
        @{ Name = 'Stop-ReplicationFlow'; Impact = 'High' }
        @{ Name = 'Suspend-ReplicationFlow'; Impact = 'Medium' }
        @{ Name = 'Restart-ReplicationConnector'; Impact = 'Medium' }
        @{ Name = 'Set-SourceOffset'; Impact = 'High' }
        @{ Name = 'Reset-SourceOffset'; Impact = 'High' }
        @{ Name = 'Enable-ReplicationExactlyOnce'; Impact = 'High' }
        @{ Name = 'Invoke-ControlledFailover'; Impact = 'High' }
        @{ Name = 'Invoke-ControlledFailback'; Impact = 'High' }
        @{ Name = 'Invoke-DisasterFailover'; Impact = 'High' }
    )
    $hasPython = [bool](Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    $repoRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $manifestPath = Join-Path $repoRoot 'out/KafkaReplication/KafkaReplication.psd1'
    if (-not (Test-Path $manifestPath)) {
        throw "The module is not built: '$manifestPath' is missing. Run 'dotnet build KafkaReplication.sln' first."
    }
    Get-Module KafkaReplication | Remove-Module -Force
    Import-Module $manifestPath -Force -ErrorAction Stop
    $approvedVerbs = (Get-Verb).Verb
    $commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters +
        [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

AfterAll {
    Get-Module KafkaReplication | Remove-Module -Force
}

Describe 'The KafkaReplication module' {
    It 'exports exactly the cmdlets its manifest lists' {
        $listed = (Import-PowerShellDataFile $manifestPath).CmdletsToExport | Sort-Object
        $actual = (Get-Command -Module KafkaReplication -CommandType Cmdlet).Name | Sort-Object
        $actual | Should -Be $listed
    }

    It 'lists (below) every cmdlet that changes a cluster, with its ConfirmImpact' -TestCases @(@{ Listed = @($changingCases | ForEach-Object { "$($_.Name):$($_.Impact)" }) }) {
        $actual = Get-Command -Module KafkaReplication -CommandType Cmdlet | ForEach-Object {
            $attribute = $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            if ($attribute.SupportsShouldProcess) { '{0}:{1}' -f $_.Name, $attribute.ConfirmImpact }
        }
        @($Listed | Sort-Object) | Should -Be @($actual | Sort-Object)
    }

    It 'has an about_KafkaReplication help topic' {
        (Get-Help about_KafkaReplication | Out-String) | Should -Match 'SHORT DESCRIPTION'
    }

    It 'has MAML help generated from the current docs/cmdlets pages' -Skip:(-not $hasPython) {
        $output = & python3 (Join-Path $repoRoot 'docs/tools/md2maml.py') --check 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
    }
}

Describe '<Name>' -ForEach $cmdletCases {
    BeforeAll {
        $command = Get-Command -Name $Name -Module KafkaReplication -CommandType Cmdlet
        $help = Get-Help -Name $Name -Full
    }

    It 'uses an approved verb' {
        $command.Verb | Should -BeIn $approvedVerbs
    }

    It 'declares its output types' {
        $command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'has a help synopsis (not the generated syntax)' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
    }

    It 'has a help description' {
        ($help.Description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'has at least one help example with code' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in $help.Examples.Example) {
            $example.Code | Should -Not -BeNullOrEmpty
        }
    }

    It 'documents every parameter, and no parameter it does not have' {
        $actual = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters } | Sort-Object)
        $documented = @($help.Parameters.Parameter | ForEach-Object { $_.Name } |
            Where-Object { $_ -notin $commonParameters } | Sort-Object)
        $documented | Should -Be $actual
    }

    It 'describes every parameter in help' {
        $undescribed = @($help.Parameters.Parameter | Where-Object { -not ($_.Description.Text -join '').Trim() } |
            ForEach-Object { $_.Name })
        $undescribed | Should -BeNullOrEmpty
    }

    It 'has a page in docs/cmdlets that covers every parameter' {
        $page = Join-Path $repoRoot "docs/cmdlets/$Name.md"
        $page | Should -Exist
        $text = Get-Content -Raw -Path $page
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters }) {
            $text | Should -Match "(?m)^### -$parameter\s*$" -Because "docs/cmdlets/$Name.md must document -$parameter"
        }
    }
}

Describe '<Name> changes a cluster' -ForEach $changingCases {
    BeforeAll {
        $command = Get-Command -Name $Name -Module KafkaReplication -CommandType Cmdlet
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) |
            Select-Object -First 1
    }

    It 'supports ShouldProcess (-WhatIf and -Confirm)' {
        $attribute.SupportsShouldProcess | Should -BeTrue
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'has the expected ConfirmImpact' {
        $attribute.ConfirmImpact.ToString() | Should -Be $Impact
    }
}

Describe 'New-ReplicationFlow -OutputPath renders the guide''s example flow' {
    BeforeAll {
        # Distinct, recognisable secrets, so that any leak into the rendered files is found.
        $sourcePassword = 'Pester-Source-Pw-8c1f!'
        $targetPassword = 'Pester-Target-Pw-2d7e#'
        $truststorePassword = 'Pester-Truststore-Pw-5a9b$'
        $secretValues = @($sourcePassword, $targetPassword, $truststorePassword)

        $caPath = Join-Path $TestDrive 'ca.crt'
        Set-Content -Path $caPath -Value @(
            '-----BEGIN CERTIFICATE-----'
            'MIIBszCCAVmgAwIBAgIUPesterPesterPesterPesterPesterPesterwCgYIKoZIzj0EAwIw'
            '-----END CERTIFICATE-----'
        )
        $truststorePath = Join-Path $TestDrive 'truststore.jks'
        # A JKS file starts with the magic number 0xFEEDFEED.
        [IO.File]::WriteAllBytes($truststorePath, [byte[]](0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 0))

        $source = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'source-kafka-bootstrap.kafka-src:9093' `
            -SecurityProtocol SaslSsl -SaslMechanism Plain `
            -Credential ([pscredential]::new('replicator', (ConvertTo-SecureString $sourcePassword -AsPlainText -Force))) `
            -TruststorePath $truststorePath `
            -TruststorePassword (ConvertTo-SecureString $truststorePassword -AsPlainText -Force)
        $target = New-ReplicationClusterReference -Alias useast -BootstrapServers 'target-kafka-bootstrap.kafka-tgt:9093' `
            -SecurityProtocol SaslSsl -SaslMechanism Plain `
            -Credential ([pscredential]::new('replicator', (ConvertTo-SecureString $targetPassword -AsPlainText -Force))) `
            -CaCertificatePath $caPath
        $flow = @{
            Name         = 'uswest-to-useast'
            Namespace    = 'repl-ns'
            Source       = $source
            Target       = $target
            Topics       = 'test.*'
            Groups       = 'test.*'
            KafkaVersion = '3.8.0.1.2'
        }

        $outputPath = Join-Path $TestDrive 'manifests'
        $files = @(New-ReplicationFlow @flow -OutputPath $outputPath)
        $yaml = Get-Content -Raw -Path $files[0].FullName

        function Get-Base64([string] $Text) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)) }
    }

    It 'writes one file, named after the flow' {
        $files.Count | Should -Be 1
        $files[0] | Should -BeOfType [System.IO.FileInfo]
        $files[0].Name | Should -Be 'uswest-to-useast.yaml'
    }

    It 'contains one KafkaConnect' {
        [regex]::Matches($yaml, '(?m)^kind: KafkaConnect\r?$').Count | Should -Be 1
        $yaml | Should -Match '(?m)^  name: repl-uswest-useast\r?$'
    }

    It 'contains three KafkaConnectors' {
        [regex]::Matches($yaml, '(?m)^kind: KafkaConnector\r?$').Count | Should -Be 3
        foreach ($class in 'MirrorSourceConnector', 'MirrorCheckpointConnector', 'MirrorHeartbeatConnector') {
            $yaml | Should -Match "class: org\.apache\.kafka\.connect\.mirror\.$class"
        }
    }

    It 'contains the ConfigMaps, Secrets and RBAC of the guide' {
        [regex]::Matches($yaml, '(?m)^kind: ConfigMap\r?$').Count | Should -Be 3
        [regex]::Matches($yaml, '(?m)^kind: Secret\r?$').Count | Should -Be 3
        [regex]::Matches($yaml, '(?m)^kind: Role\r?$').Count | Should -Be 1
        [regex]::Matches($yaml, '(?m)^kind: RoleBinding\r?$').Count | Should -Be 1
    }

    It 'contains no secret value' {
        foreach ($secret in $secretValues) {
            $yaml | Should -Not -Match ([regex]::Escape($secret))
            $yaml | Should -Not -Match ([regex]::Escape((Get-Base64 $secret)))
        }
        $yaml | Should -Not -Match 'password="'
    }

    It 'marks each secret value as a placeholder to fill in' {
        $yaml | Should -Match '<FILL IN: '
    }

    It 'passes Test-ReplicationFlow -ManifestPath without errors' {
        $errors = @(Test-ReplicationFlow -ManifestPath $files[0].FullName | Where-Object Severity -eq 'Error')
        $errors | Should -BeNullOrEmpty
    }

    It 'writes secret values only into the separate file with -IncludeSecretValue' {
        $withSecrets = @(New-ReplicationFlow @flow -OutputPath (Join-Path $TestDrive 'with-secrets') -IncludeSecretValue -WarningAction SilentlyContinue)
        $withSecrets.Name | Should -Be @('uswest-to-useast.yaml', 'uswest-to-useast.secrets.yaml')
        $main = Get-Content -Raw -Path $withSecrets[0].FullName
        $secrets = Get-Content -Raw -Path $withSecrets[1].FullName
        $secrets | Should -Match ([regex]::Escape((Get-Base64 $targetPassword)))
        foreach ($secret in $secretValues) {
            $main | Should -Not -Match ([regex]::Escape((Get-Base64 $secret)))
        }
    }

    It 'writes nothing with -WhatIf' {
        $whatIfPath = Join-Path $TestDrive 'what-if'
        New-ReplicationFlow @flow -OutputPath $whatIfPath -WhatIf | Should -BeNullOrEmpty
        $whatIfPath | Should -Not -Exist
    }
}
