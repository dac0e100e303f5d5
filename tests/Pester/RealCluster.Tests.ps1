#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Opt-in smoke test against a REAL Kubernetes cluster with the Strimzi operator and two reachable Kafka clusters.
# Skipped unless KAFKAREPLICATION_E2E_SOURCE and KAFKAREPLICATION_E2E_TARGET are set (plaintext bootstrap servers that
# both the Connect pods and this machine reach). The current kubeconfig context is used; the namespace KAFKAREPLICATION_E2E_NAMESPACE
# (default: kafkareplication-e2e) is created by the flow and removed at the end. Replication needs a topic
# 'e2e-orders' on the source; the test produces nothing itself.
#   $env:KAFKAREPLICATION_E2E_SOURCE = 'src-kafka-bootstrap.kafka:9092'
#   $env:KAFKAREPLICATION_E2E_TARGET = 'tgt-kafka-bootstrap.kafka:9092'
#   ./build.ps1 -Task Pester

BeforeDiscovery {
    $skip = -not ($env:KAFKAREPLICATION_E2E_SOURCE -and $env:KAFKAREPLICATION_E2E_TARGET)
}

Describe 'A flow on a real cluster' -Skip:$skip {
    BeforeAll {
        $repoRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
        Import-Module (Join-Path $repoRoot 'out/KafkaReplication/KafkaReplication.psd1') -Force -ErrorAction Stop
        $ns = if ($env:KAFKAREPLICATION_E2E_NAMESPACE) { $env:KAFKAREPLICATION_E2E_NAMESPACE } else { 'kafkareplication-e2e' }
        $source = New-ReplicationClusterReference -Alias e2esrc -BootstrapServers $env:KAFKAREPLICATION_E2E_SOURCE
        $target = New-ReplicationClusterReference -Alias e2etgt -BootstrapServers $env:KAFKAREPLICATION_E2E_TARGET
        $flowArgs = @{ Name = 'e2e'; Namespace = $ns; Source = $source; Target = $target; Topics = 'e2e-orders'; Groups = 'e2e-group'; ConnectReplicas = 1; Metrics = $true }
    }

    AfterAll {
        Remove-ReplicationFlow -Name e2e -Namespace $ns -IncludeNamespace -Force -ErrorAction Continue
    }

    It 'deploys, becomes ready, and a second apply changes nothing' {
        New-ReplicationFlow @flowArgs -Confirm:$false | Wait-ReplicationFlow -Timeout 00:15:00 | ForEach-Object Ready | Should -BeTrue
        New-ReplicationFlow @flowArgs -Confirm:$false | Where-Object Action -ne 'Unchanged' | Should -BeNullOrEmpty
    }

    It 'reports connectors, replication state and metrics' {
        Get-ReplicationConnector -Flow e2e -Namespace $ns | Where-Object Failed | Should -BeNullOrEmpty
        Get-ReplicationState -Flow e2e -Namespace $ns -Summary -SourceBootstrapServers $env:KAFKAREPLICATION_E2E_SOURCE | Should -Not -BeNullOrEmpty
        Get-ReplicationMetric -Flow e2e -Namespace $ns -Metric kafka_connect_connector_status | Should -Not -BeNullOrEmpty
    }

    It 'stops and starts the flow' {
        Stop-ReplicationFlow -Flow e2e -Namespace $ns -Confirm:$false
        (Get-ReplicationConnector -Flow e2e -Namespace $ns).State | Sort-Object -Unique | Should -Be 'STOPPED'
        Start-ReplicationFlow -Flow e2e -Namespace $ns -Confirm:$false
        (Get-ReplicationConnector -Flow e2e -Namespace $ns).State | Sort-Object -Unique | Should -Be 'RUNNING'
    }
}
