@{
    RootModule           = 'KafkaReplication.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '5f0c6a47-2a8e-4c55-9b3e-0d6f3c1e7a21'
    Author               = 'KafkaReplication contributors'
    CompanyName          = 'KafkaReplication'
    Copyright            = '(c) KafkaReplication contributors. Apache-2.0.'
    Description          = 'Deploys and operates Kafka cross-cluster replication (MirrorMaker 2 connectors on a Strimzi-managed Kafka Connect cluster) on Kubernetes.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('KafkaReplication.Format.ps1xml')
    # Imported before the RootModule: sets up the private AssemblyLoadContext that the cmdlets' engine and every
    # dependency load into (src/KafkaReplication.Loader).
    NestedModules        = @('KafkaReplication.Loader.dll')
    CmdletsToExport      = @(
        'New-ReplicationClusterReference'
        'New-ReplicationFlow'
        'New-ReplicationFlowDefinition'
        'Get-ReplicationFlow'
        'Remove-ReplicationFlow'
        'Test-ReplicationFlow'
        'Set-ReplicationFlow'
        'Start-ReplicationFlow'
        'Stop-ReplicationFlow'
        'Suspend-ReplicationFlow'
        'Wait-ReplicationFlow'
        'Get-ReplicationConnector'
        'Get-ReplicationMetric'
        'Restart-ReplicationConnector'
        'Get-ReplicationState'
        'Get-SourceOffset'
        'Set-SourceOffset'
        'Reset-SourceOffset'
        'New-ReplicationTransform'
        'New-ReplicationPredicate'
        'New-ReplicationSourceConnector'
        'Enable-ReplicationExactlyOnce'
        'Get-ConsumerGroupLag'
        'Get-ReplicationCheckpoint'
        'Invoke-ControlledFailover'
        'Invoke-ControlledFailback'
        'Invoke-DisasterFailover'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('Kafka', 'MirrorMaker2', 'Strimzi', 'Kubernetes', 'Replication')
        }
    }
}
