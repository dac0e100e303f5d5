#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# What a user reads: output that shows well in the default views, and error messages and recommended actions that
# name only parameters the raising cmdlet has.

BeforeAll {
    $repoRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    Get-Module KafkaReplication | Remove-Module -Force
    Import-Module (Join-Path $repoRoot 'out/KafkaReplication/KafkaReplication.psd1') -Force -ErrorAction Stop
    $a = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'a-kafka-bootstrap.kafka:9092'
    $b = New-ReplicationClusterReference -Alias useast -BootstrapServers 'b-kafka-bootstrap.kafka:9092'
    $flow = @{ Name = 'uswest-to-useast'; Namespace = 'repl'; Source = $a; Target = $b; Topics = 'orders.*' }
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    # "-Name" tokens of a message that the command that raised it does not have.
    function Get-ForeignParameter([System.Management.Automation.ErrorRecord] $Record) {
        $command = $Record.InvocationInfo.MyCommand
        $text = "$($Record.Exception.Message) $($Record.ErrorDetails.Message) $($Record.ErrorDetails.RecommendedAction)"
        foreach ($token in [regex]::Matches($text, '(?<![\w.-])-([A-Z][A-Za-z]+)\b').ForEach({ $_.Groups[1].Value }) | Sort-Object -Unique) {
            $known = $token -in $common -or $command.Parameters.ContainsKey($token) -or
                @($command.Parameters.Values | Where-Object { $token -in $_.Aliases }).Count -gt 0
            if (-not $known) { "$($command.Name) ($($Record.FullyQualifiedErrorId -replace ',.*')): -$token" }
        }
    }
}

Describe 'Output' {
    It 'New-ReplicationFlow -OutputPath -PassThru shows the file with its directory, then the definition''s main properties' {
        $text = New-ReplicationFlow @flow -OutputPath (Join-Path $TestDrive 'pass-thru') -PassThru | Out-String -Width 200
        $text | Should -Match 'Directory: .*pass-thru'
        $text | Should -Match '\d+ uswest-to-useast\.yaml'
        $text | Should -Match '(?m)^ConnectClusterName\s*: repl-uswest-useast'
        $text | Should -Not -Match 'HasSourceConnectorList|EmitOffsetSyncs'
    }

    It 'a definition piped to New-ReplicationFlow -PassThru twice comes out with its main properties both times' {
        $definition = New-ReplicationFlowDefinition @flow
        foreach ($i in 1, 2) {
            $text = $definition | New-ReplicationFlow -OutputPath (Join-Path $TestDrive "piped-$i") -PassThru | Out-String -Width 200
            $text | Should -Match '(?m)^ConnectClusterName\s*: repl-uswest-useast'
            $text | Should -Not -Match 'HasSourceConnectorList|EmitOffsetSyncs'
        }
    }

    It 'Format-List of a definition shows values, no type names' {
        $definition = New-ReplicationFlowDefinition @flow
        ($definition | Format-List | Out-String -Width 200) | Should -Not -Match 'KafkaReplication\.'
        ($definition | Format-List * | Out-String -Width 200) | Should -Not -Match 'KafkaReplication\.'
    }
}

Describe 'Validation' {
    It 'New-ReplicationFlowDefinition refuses what New-ReplicationFlow refuses: <Case>' -ForEach @(
        @{ Case = 'a namespace that is no DNS label'; Change = @{ Namespace = 'Replication' }; Code = 'InvalidNamespace' }
        @{ Case = 'no topics'; Change = @{ Topics = $null }; Code = 'TopicsRequired' }
    ) {
        $arguments = $flow.Clone()
        foreach ($key in $Change.Keys) { if ($null -eq $Change[$key]) { $arguments.Remove($key) } else { $arguments[$key] = $Change[$key] } }
        if (-not $arguments.ContainsKey('Topics')) { $arguments.Groups = 'g' }
        $deploy = { New-ReplicationFlow @arguments -OutputPath (Join-Path $TestDrive 'refused') -ErrorAction Stop }
        $define = { New-ReplicationFlowDefinition @arguments -ErrorAction Stop }
        foreach ($command in $deploy, $define) {
            $record = try { & $command; $null } catch { $_ }
            $record | Should -Not -BeNullOrEmpty
            $record.FullyQualifiedErrorId | Should -BeLike 'FlowValidationFailed,*'
            $record.Exception.Message | Should -Match $Code
            Get-ForeignParameter $record | Should -BeNullOrEmpty
        }
    }

    It 'a flow file with several unknown keys names all of them' {
        $path = Join-Path $TestDrive 'typos.yaml'
        Set-Content -Path $path -Value @(
            'name: x', 'namespace: repl', 'topic: [orders]', 'groupz: [g]'
            'source: { alias: a, bootstrapServers: "a:9092", protocol: Plaintext }', 'target: { alias: b, bootstrapServers: "b:9092" }')
        $record = try { Test-ReplicationFlow -Path $path -ErrorAction Stop; $null } catch { $_ }
        $record.FullyQualifiedErrorId | Should -BeLike 'FlowFileInvalid,*'
        foreach ($key in "'topic'", "'groupz'", "'source.protocol'") { $record.Exception.Message | Should -BeLike "*$key*" }
    }
}

Describe 'Error messages and recommended actions' {
    It 'name only parameters of the cmdlet that raised them, for every cmdlet that reaches Kubernetes' {
        $kubeconfig = Join-Path $TestDrive 'kubeconfig'
        Set-Content -Path $kubeconfig -Value @(
            'apiVersion: v1', 'kind: Config', 'current-context: closed'
            'clusters: [{ name: closed, cluster: { server: "https://127.0.0.1:1" } }]'
            'users: [{ name: u, user: { token: not-a-secret } }]'
            'contexts: [{ name: closed, context: { cluster: closed, user: u } }]')
        $definition = New-ReplicationFlowDefinition @flow
        # A value for each mandatory parameter of the default parameter set, by type.
        function Get-Value([type] $Type) {
            switch ($Type) {
                { $_ -eq [string] } { 'uswest-to-useast'; break }
                { $_ -eq [string[]] } { , @('g'); break }
                { $_.Name -eq 'ReplicationClusterReference' } { $a; break }
                { $_.Name -eq 'ReplicationFlowDefinition' } { $definition; break }
                { $_.IsEnum } { [enum]::GetValues($_)[0]; break }
                { $_ -in [int], [long], [int[]], [long[]] } { 1; break }
                { $_ -eq [datetime] -or $_ -eq [datetimeoffset] } { [datetimeoffset]::UtcNow; break }
                { $_ -eq [scriptblock] } { {}; break }
                default { $null }
            }
        }
        $raised = 0
        $foreign = foreach ($command in Get-Command -Module KafkaReplication -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('Kubeconfig') }) {
            $set = $command.ParameterSets | Where-Object IsDefault | Select-Object -First 1
            if (-not $set) { $set = $command.ParameterSets[0] }
            $arguments = @{ Kubeconfig = $kubeconfig; ErrorAction = 'Stop' }
            foreach ($parameter in $set.Parameters | Where-Object IsMandatory) { $arguments[$parameter.Name] = Get-Value $parameter.ParameterType }
            if ($command.Parameters.ContainsKey('Confirm')) { $arguments.Confirm = $false }
            $record = try { & $command.Name @arguments | Out-Null; $null } catch { $_ }
            if (-not $record -or $record.Exception -is [System.Management.Automation.ParameterBindingException]) { continue }
            $raised++
            Get-ForeignParameter $record
        }
        $raised | Should -BeGreaterThan 10
        $foreign | Should -BeNullOrEmpty
    }
}
