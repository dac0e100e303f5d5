<#
.SYNOPSIS
    What the first Kafka call and Remove-Module cost in fresh pwsh processes: Get-ConsumerGroupLag against a librdkafka
    mock cluster of one broker (so the Kafka client's context and librdkafka load), then Remove-Module, which closes
    the clients, unloads that context and frees librdkafka. Prints median, minimum and maximum, and whether librdkafka
    was still mapped after the removal (Linux only).
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KafkaReplication.Benchmarks/remove-cost.ps1 -Manifest out/KafkaReplication/KafkaReplication.psd1 -Runs 10
#>
param(
    [string] $Manifest = (Join-Path $PSScriptRoot '../../out/KafkaReplication/KafkaReplication.psd1'),
    [int] $Runs = 10
)
$ErrorActionPreference = 'Stop'
$Manifest = (Resolve-Path $Manifest).Path
. (Join-Path $PSScriptRoot 'FreshProcess.ps1')
$probe = {
    param($Manifest)
    Import-Module $Manifest
    $cluster = New-ReplicationClusterReference -Alias mock -BootstrapServers 'mock:9092'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    # The mock cluster has no topic t: the call reaches the cluster and fails fast with KafkaTopicNotFound.
    $null = try { Get-ConsumerGroupLag -Cluster $cluster -Group g -Topic t -KafkaConfig @{ 'test.mock.num.brokers' = '1' } -ErrorAction Stop } catch { }
    $first = $clock.Elapsed.TotalMilliseconds
    $clock.Restart()
    Remove-Module KafkaReplication
    $remove = $clock.Elapsed.TotalMilliseconds
    $mapped = if ($IsLinux) { @(Get-Content /proc/self/maps | Where-Object { $_ -match 'librdkafka' }).Count -gt 0 } else { $false }
    '{0:F1} {1:F1} {2}' -f $first, $remove, $mapped
}
$samples = foreach ($i in 1..$Runs) {
    $line = Invoke-FreshProcess $probe $Manifest
    $first, $remove, $mapped = $line -split ' '
    [pscustomobject]@{ FirstKafkaCall = [double]$first; RemoveModule = [double]$remove; Mapped = $mapped -eq 'True' }
}
foreach ($name in 'FirstKafkaCall', 'RemoveModule') { Format-Figure $samples $name 15 $Manifest }
'librdkafka still mapped after Remove-Module: {0} of {1} processes' -f @($samples | Where-Object Mapped).Count, $Runs
