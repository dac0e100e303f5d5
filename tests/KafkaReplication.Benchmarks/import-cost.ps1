<#
.SYNOPSIS
    Cold cost of the module in fresh pwsh processes: Import-Module, then the first cmdlet calls (a cluster reference and
    a flow definition, no cluster), measured inside each process; prints median, minimum and maximum.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KafkaReplication.Benchmarks/import-cost.ps1 -Manifest out/KafkaReplication/KafkaReplication.psd1 -Runs 15
#>
param(
    [string] $Manifest = (Join-Path $PSScriptRoot '../../out/KafkaReplication/KafkaReplication.psd1'),
    [int] $Runs = 15
)
$ErrorActionPreference = 'Stop'
$Manifest = (Resolve-Path $Manifest).Path
. (Join-Path $PSScriptRoot 'FreshProcess.ps1')
$probe = {
    param($Manifest)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Import-Module $Manifest
    $import = $clock.Elapsed.TotalMilliseconds
    $clock.Restart()
    $a = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'a:9092'
    $b = New-ReplicationClusterReference -Alias useast -BootstrapServers 'b:9092'
    $null = New-ReplicationFlowDefinition -Name uswest-to-useast -Namespace repl -Source $a -Target $b -Topics 'orders.*'
    '{0:F1} {1:F1}' -f $import, $clock.Elapsed.TotalMilliseconds
}
$samples = foreach ($i in 1..$Runs) {
    $line = Invoke-FreshProcess $probe $Manifest
    $import, $first = $line -split ' '
    [pscustomobject]@{ Import = [double]$import; FirstCall = [double]$first }
}
foreach ($name in 'Import', 'FirstCall') { Format-Figure $samples $name 10 $Manifest }
