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
$apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$pwsh = @(if (Test-Path $apphost) { $apphost } else { [Environment]::ProcessPath; Join-Path $PSHOME 'pwsh.dll' })
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
    $line = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $probe -args $Manifest
    $import, $first = $line -split ' '
    [pscustomobject]@{ Import = [double]$import; FirstCall = [double]$first }
}
function Get-Median([double[]] $Values) { $sorted = $Values | Sort-Object; $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)] }
foreach ($name in 'Import', 'FirstCall') {
    $values = @($samples.$name)
    '{0,-10} median {1,7:F1} ms   min {2,7:F1} ms   max {3,7:F1} ms   ({4} fresh processes, {5})' -f $name, (Get-Median $values),
        ($values | Measure-Object -Minimum).Minimum, ($values | Measure-Object -Maximum).Maximum, $Runs, $Manifest
}
