<#
.SYNOPSIS
    The pwsh half of the cmdlet benchmark: times the module's cmdlets and, in the same process, the raw floor
    (RawFloor.cs, the same reads with Confluent.Kafka and HttpClient), and prints a table.
.DESCRIPTION
    Not run by hand: `dotnet run -c Release --project tests/KafkaReplication.Benchmarks -- cmdlets` (CmdletBenchmark.cs)
    hosts the test bed, starts this script and answers the lines it prints that start with '@' on its stdin.
    Each case: the first call in this session (timed alone), warm-up rounds, then the median of -Runs rounds, the cases
    of a group run in rotating order (as Measure.cs), so that JIT, GC and machine load fall on all of them alike.
#>
param(
    [Parameter(Mandatory)][string] $Module,
    [Parameter(Mandatory)][string] $FloorFolder,
    [Parameter(Mandatory)][string] $SourceBootstrap,
    [Parameter(Mandatory)][string] $TargetBootstrap,
    [string] $Namespace = 'repl',
    [int] $Partitions = 10000,
    [int] $Runs = 5,
    [int] $Groups = 200,
    [switch] $Quick,
    # The flow bench's partitions end in a commit marker (CmdletBenchmark --transactional).
    [switch] $Transactional
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue' # stdout is a pipe to the host process
$WarmUps = 2
trap { Write-Host "SET-UP FAILED: $($_.Exception.Message)`n$($_.ScriptStackTrace)"; exit 2 }

# The line protocol (CmdletBenchmark.cs): one '@' line out, one answer line back; blocks until the host answers.
function Ask([string] $Line) {
    [Console]::Out.WriteLine("@$Line")
    [Console]::Out.Flush()
    $answer = [Console]::In.ReadLine()
    if ($answer -notmatch '^(ok|\d)') { throw "The host answered '$answer' to '$Line'." }
    $answer
}

$results = [ordered]@{}
function Measure-Group([Collections.Specialized.OrderedDictionary] $Cases, [int] $Rounds = $Runs) {
    $names = @($Cases.Keys)
    $times = @{}
    foreach ($n in $names) {
        $times[$n] = [Collections.Generic.List[double]]::new()
        $results[$n] = [pscustomobject]@{ Case = $n; First = (Time $Cases[$n]); Median = 0.0; Min = 0.0; Max = 0.0 }
    }
    for ($r = 0; $r -lt $WarmUps + $Rounds; $r++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $n = $names[($k + $r) % $names.Count]
            $ms = Time $Cases[$n]
            if ($r -ge $WarmUps) { $times[$n].Add($ms) }
        }
    }
    foreach ($n in $names) {
        $sorted = @($times[$n] | Sort-Object)
        $row = $results[$n]
        $row.Median, $row.Min, $row.Max = $sorted[[int][math]::Floor($sorted.Count / 2)], $sorted[0], $sorted[-1]
        Write-Host ('  {0,-62} first {1,8:F1}  median {2,8:F1} ms  (min {3:F1}, max {4:F1}, {5} runs)' -f $n, $row.First, $row.Median, $row.Min, $row.Max, $sorted.Count)
    }
}
# Output is collected into a variable, as a user would ($rows = Get-...).
function Time([scriptblock] $Body) { $clock = [Diagnostics.Stopwatch]::StartNew(); $out = & $Body; $clock.Elapsed.TotalMilliseconds }

$disagreements = 0
function Assert-Same([string] $What, $Expected, $Actual) {
    if ("$Expected" -ne "$Actual") { Write-Host "DISAGREE: $What - raw floor $Expected, cmdlet $Actual"; $script:disagreements++ }
}
# Every Get-ReplicationState row against the raw reads: start, end, stored offset and the lag they imply (with
# -Transactional, a partition whose only unreplicated offset is the last one, its commit marker, has lag 0).
function Test-StateRows([string] $Label, $Rows, $Offsets, $Stored) {
    $bad = 0
    foreach ($r in $Rows) {
        $key = "$($r.Topic)/$($r.Partition)"
        $o = $null; $last = $null
        if (-not $Offsets.TryGetValue($key, [ref] $o)) { $bad++; continue }
        $next = if ($Stored.TryGetValue($key, [ref] $last)) { [math]::Max($last + 1, $o.Start) } else { $last = $null; $o.Start }
        if ($r.StartOffset -ne $o.Start -or $r.EndOffset -ne $o.End -or $r.LastReplicatedOffset -ne $last -or $r.Lag -ne (($Transactional -and $o.End - $next -eq 1) ? 0 : [math]::Max(0, $o.End - $next))) { $bad++ }
    }
    Assert-Same "$Label rows" $Offsets.Count @($Rows).Count
    Assert-Same "$Label rows differing from the raw reads" 0 $bad
}
function Get-Memory {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $p = [Diagnostics.Process]::GetCurrentProcess()
    [pscustomobject]@{ Heap = [GC]::GetTotalMemory($true); WorkingSet = $p.WorkingSet64; Peak = $p.PeakWorkingSet64 }
}
function MB([long] $Bytes) { '{0:N0} MB' -f ($Bytes / 1MB) }

# --- Module and raw floor in one process. The module loads into its own AssemblyLoadContext; RawFloor and its
# Confluent.Kafka go into the default context (import first, so the module cannot pick up this copy).
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
$importMs = $clock.Elapsed.TotalMilliseconds
$null = [Reflection.Assembly]::LoadFrom((Join-Path $FloorFolder 'Confluent.Kafka.dll'))
$Floor = [Reflection.Assembly]::LoadFrom((Join-Path $FloorFolder 'KafkaReplication.Benchmarks.dll')).GetType('KafkaReplication.Benchmarks.RawFloor', $true)
Write-Host ("pwsh {0}; Import-Module {1:F0} ms ({2}); raw floor: librdkafka {3} from {4}" -f $PSVersionTable.PSVersion, $importMs, $Module, $Floor::LoadNative(), $FloorFolder)

$src = New-ReplicationClusterReference -Alias src -BootstrapServers $SourceBootstrap
$tgt = New-ReplicationClusterReference -Alias tgt -BootstrapServers $TargetBootstrap
$bench = @{ Name = 'bench'; Namespace = $Namespace; Source = $src; Target = $tgt; Topics = 'bench-.*'; ConnectClusterName = 'repl-bench' }
$small = @{ Name = 'small'; Namespace = $Namespace; Source = $src; Target = $tgt; Topics = 'small-.*'; ConnectClusterName = 'repl-small' }
$connect = @{}
foreach ($flow in $bench, $small) {
    $clock.Restart()
    $null = New-ReplicationFlow @flow
    $null = Wait-ReplicationFlow -Flow $flow.Name -Namespace $Namespace -Timeout 00:02:00
    $null, $uri, $seeded = (Ask "deployed $($flow.Name) $($flow.ConnectClusterName)") -split ' '
    $connect[$flow.Name] = $uri
    Write-Host ("Deployed flow {0} (New-ReplicationFlow + Wait-ReplicationFlow {1:F0} ms); {2} source offsets stored; Connect at {3}" -f $flow.Name, $clock.Elapsed.TotalMilliseconds, $seeded, $uri)
}

# --- 1-3, 8: Get-ReplicationState, 10,000 partitions (or -Partitions)
$memBefore = Get-Memory
Write-Host "Get-ReplicationState, flow bench ($($Partitions.ToString('N0')) partitions); raw floor = metadata + start and end offsets as ⌈n/1,000⌉ concurrent ListOffsetsAsync:"
$warm = $Floor::new($SourceBootstrap)
Measure-Group ([ordered]@{
    "Get-ReplicationState -Flow bench" = { Get-ReplicationState -Flow bench }
    "Get-ReplicationState -Flow bench -Summary" = { Get-ReplicationState -Flow bench -Summary }
    "Get-ReplicationState -Flow bench -ConnectUri <direct>" = { Get-ReplicationState -Flow bench -ConnectUri $connect.bench }
    "raw floor (bench), fresh AdminClient" = { $Floor::ReadOffsetsFresh($SourceBootstrap, 'bench-.*') }
    "raw floor (bench), warm AdminClient" = { $warm.ReadOffsets('bench-.*') }
})
$memAfter = Get-Memory
$stored = $Floor::ReadConnectOffsets($connect.bench, 'bench-mirror-source-connector')
$rows = Get-ReplicationState -Flow bench
Test-StateRows 'Get-ReplicationState -Flow bench' $rows $warm.ReadOffsets('bench-.*') $stored
$total = Get-ReplicationState -Flow bench -Summary | Where-Object { -not $_.Topic }
Assert-Same 'summed lag (-Summary)' ($rows | Measure-Object Lag -Sum).Sum $total.Lag
Test-StateRows 'Get-ReplicationState -ConnectUri' (Get-ReplicationState -Flow bench -ConnectUri $connect.bench) $warm.ReadOffsets('bench-.*') $stored
# Where the time goes: the verbose timeline of the slowest of 5 warm calls (calls vary, see min and max above).
$timelines = foreach ($i in 1..5) {
    $null = Ask 'requests-reset'
    $clock.Restart()
    $lines = @(Get-ReplicationState -Flow bench -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] } |
        ForEach-Object { '    {0,7:F0} ms  {1}' -f $clock.Elapsed.TotalMilliseconds, $_.Message })
    [pscustomobject]@{ Ms = $clock.Elapsed.TotalMilliseconds; Requests = ((Ask 'requests') -split ' ')[0]; Lines = $lines }
}
$slowest = $timelines | Sort-Object Ms -Descending | Select-Object -First 1
Write-Host ("Get-ReplicationState -Flow bench -Verbose, 5 warm calls: {0} ms; Kubernetes requests per call: {1}. Timeline of the slowest (time since the call):" -f
    (($timelines.Ms | ForEach-Object { $_.ToString('F0') }) -join ', '), (($timelines.Requests | Sort-Object -Unique) -join ', '))
$slowest.Lines | Select-Object -First 40 | ForEach-Object { Write-Host $_ }
Write-Host ('    {0,7:F0} ms  (last row written)' -f $slowest.Ms)

$rows = $null
$growthCalls = $Quick ? 5 : 20
$m0 = Get-Memory
for ($i = 0; $i -lt $growthCalls; $i++) { $rows = Get-ReplicationState -Flow bench }
$rows = $null
$m1 = Get-Memory
$memory = @(
    "peak working set: $(MB $memBefore.Peak) before the first $($Partitions.ToString('N0'))-partition call, $(MB $memAfter.Peak) after its measured calls; working set after GC $(MB $memBefore.WorkingSet) -> $(MB $memAfter.WorkingSet)"
    "$growthCalls more calls: managed heap $(MB $m0.Heap) -> $(MB $m1.Heap) ({0:N1} KB per call), working set $(MB $m0.WorkingSet) -> $(MB $m1.WorkingSet) ({1:N1} KB per call)" -f
        (($m1.Heap - $m0.Heap) / 1KB / $growthCalls), (($m1.WorkingSet - $m0.WorkingSet) / 1KB / $growthCalls)
)
$memory | ForEach-Object { Write-Host "Memory: $_" }

Write-Host 'Get-ReplicationState, flow small (1,000 partitions):'
Measure-Group ([ordered]@{
    "Get-ReplicationState -Flow small" = { Get-ReplicationState -Flow small }
    "raw floor (small), fresh AdminClient" = { $Floor::ReadOffsetsFresh($SourceBootstrap, 'small-.*') }
    "raw floor (small), warm AdminClient" = { $warm.ReadOffsets('small-.*') }
})
Test-StateRows 'Get-ReplicationState -Flow small' (Get-ReplicationState -Flow small) $warm.ReadOffsets('small-.*') ($Floor::ReadConnectOffsets($connect.small, 'small-mirror-source-connector'))

# --- 4: Get-SourceOffset against one GET of the Connect REST API
Write-Host 'Get-SourceOffset, flow bench:'
Measure-Group ([ordered]@{
    "Get-SourceOffset -Flow bench" = { Get-SourceOffset -Flow bench }
    "Get-SourceOffset -Flow bench -ConnectUri <direct>" = { Get-SourceOffset -Flow bench -ConnectUri $connect.bench }
    "raw floor: HttpClient GET /connectors/<source>/offsets" = { $Floor::ReadConnectOffsets($connect.bench, 'bench-mirror-source-connector') }
})
$offsets = Get-SourceOffset -Flow bench
Assert-Same 'Get-SourceOffset rows' $stored.Count @($offsets).Count
Assert-Same 'Get-SourceOffset differing rows' 0 @($offsets | Where-Object { $stored["$($_.Topic)/$($_.Partition)"] -ne $_.StoredOffset }).Count

# --- 5: Get-ConsumerGroupLag
$groupIds = @(0..($Groups - 1) | ForEach-Object { 'g{0:000}' -f $_ })
Write-Host "Get-ConsumerGroupLag, $Groups groups × 50 partitions; raw floor = ListConsumerGroupOffsets per group (concurrent) + end offsets:"
Measure-Group ([ordered]@{
    "Get-ConsumerGroupLag -Cluster (200 groups × 50)" = { Get-ConsumerGroupLag -Cluster $src -Group $groupIds -Topic groups -WarningAction SilentlyContinue }
    "raw floor (groups), fresh AdminClient" = { $Floor::ReadGroupLagFresh($SourceBootstrap, $groupIds, 'groups') }
    "raw floor (groups), warm AdminClient" = { $warm.ReadGroupLag($groupIds, 'groups') }
})
$lag = Get-ConsumerGroupLag -Cluster $src -Group $groupIds -Topic groups -WarningAction SilentlyContinue -WarningVariable lagWarnings
# The mock broker does not serve DescribeConsumerGroups: each call warns (once, naming all 200 groups).
$lagWarnings | ForEach-Object { $m = "$_"; Write-Host "  warning (each call): $($m.Substring(0, [math]::Min(100, $m.Length)))...$($m.Substring([math]::Max(0, $m.Length - 150)))" }
$rawLag = $warm.ReadGroupLag($groupIds, 'groups')
Assert-Same 'Get-ConsumerGroupLag rows' $rawLag.Rows @($lag).Count
Assert-Same 'Get-ConsumerGroupLag summed lag' $rawLag.Lag ($lag | Measure-Object Lag -Sum).Sum

# --- 6: Test-ReplicationFlow over 50 flow definitions (offline; checked together, pairwise)
$define = { 1..50 | ForEach-Object { New-ReplicationFlowDefinition -Name ('t{0:00}' -f $_) -Namespace $Namespace -Source $src -Target $tgt -Topics ('t{0:00}-.*' -f $_) -ConnectClusterName ('repl-t{0:00}' -f $_) } }
$definitions = & $define
Write-Host 'Test-ReplicationFlow, 50 flow definitions of one source/target pair:'
Measure-Group ([ordered]@{
    "New-ReplicationFlowDefinition × 50" = $define
    "50 definitions | Test-ReplicationFlow" = { $definitions | Test-ReplicationFlow }
})
$findings = @($definitions | Test-ReplicationFlow)
Write-Host "  findings: $($findings.Count) $(($findings | Group-Object Severity | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', ')"

# --- 7: New-ReplicationFlow -WhatIf and an idempotent re-apply: time, and Kubernetes requests per object
$rendered = Join-Path ([IO.Path]::GetTempPath()) "kr-bench-render-$PID"
$null = New-ReplicationFlow @bench -OutputPath $rendered
$objects = @(Get-Content (Join-Path $rendered 'bench.yaml') | Where-Object { $_ -match '^kind:' }).Count
Remove-Item $rendered -Recurse -Force
Write-Host "New-ReplicationFlow of the deployed flow bench ($objects objects):"
Measure-Group ([ordered]@{
    "New-ReplicationFlow -WhatIf" = { New-ReplicationFlow @bench -WhatIf }
    "New-ReplicationFlow (idempotent re-apply)" = { New-ReplicationFlow @bench }
})
$requests = foreach ($whatIf in $true, $false) {
    $null = Ask 'requests-reset'
    $null = New-ReplicationFlow @bench -WhatIf:$whatIf
    $all, $writes = (Ask 'requests') -split ' '
    '{0}: {1} Kubernetes requests ({2} writes), {3:F1} per object' -f ($whatIf ? '-WhatIf' : 're-apply'), $all, $writes, ($all / $objects)
}
$requests | ForEach-Object { Write-Host "  $_" }

# --- 6b: Test-ReplicationFlow -Name with 50 flows deployed (each gets its own KafkaConnect and Connect emulator)
if (-not $Quick) {
    $clock.Restart()
    foreach ($i in 1..48) {
        $null = New-ReplicationFlow -Name ('d{0:00}' -f $i) -Namespace $Namespace -Source $src -Target $tgt -Topics ('d{0:00}-.*' -f $i) -ConnectClusterName ('repl-d{0:00}' -f $i)
    }
    Write-Host ("Deployed 48 more flows (50 in all): {0:F0} ms, {1:F0} ms per New-ReplicationFlow" -f $clock.Elapsed.TotalMilliseconds, ($clock.Elapsed.TotalMilliseconds / 48))
    Write-Host 'Test-ReplicationFlow against the cluster, 50 flows deployed:'
    Measure-Group ([ordered]@{
        "Test-ReplicationFlow -Name bench (50 deployed)" = { Test-ReplicationFlow -Name bench -Namespace $Namespace }
        "Get-ReplicationFlow | Test-ReplicationFlow (50 deployed)" = { Get-ReplicationFlow -Namespace $Namespace | Test-ReplicationFlow }
    }) -Rounds ([math]::Min($Runs, 3))
}

# --- The table: each cmdlet case against its floor's median (fresh client: what a call without a cached client must
# do; its dispose runs in the background, as the engine's does), for the Connect reads the warm HttpClient GET.
$floors = @{
    'Get-ReplicationState -Flow bench' = 'raw floor (bench)'; 'Get-ReplicationState -Flow bench -Summary' = 'raw floor (bench)'
    'Get-ReplicationState -Flow bench -ConnectUri <direct>' = 'raw floor (bench)'; 'Get-ReplicationState -Flow small' = 'raw floor (small)'
    'Get-ConsumerGroupLag -Cluster (200 groups × 50)' = 'raw floor (groups)'
}
$connectFloor = $results['raw floor: HttpClient GET /connectors/<source>/offsets']
Write-Host ''
Write-Host ('{0,-58} {1,9} {2,9} {3,9} {4,11} {5,6} {6,11} {7,6}' -f 'case', 'first ms', 'median ms', 'min ms', 'floor fresh', 'ratio', 'floor warm', 'ratio')
foreach ($row in $results.Values) {
    if ($row.Case -like 'raw floor*') { continue }
    $fresh, $warmFloor = if ($floors[$row.Case]) { $results["$($floors[$row.Case]), fresh AdminClient"], $results["$($floors[$row.Case]), warm AdminClient"] }
        elseif ($row.Case -like 'Get-SourceOffset*') { $null, $connectFloor }
    $cell = { param($f) if ($f) { '{0,11:F1} {1,6:F2}' -f $f.Median, ($row.Median / $f.Median) } else { '{0,11} {1,6}' -f '-', '-' } }
    Write-Host ('{0,-58} {1,9:F1} {2,9:F1} {3,9:F1} {4} {5}' -f $row.Case, $row.First, $row.Median, $row.Min, (& $cell $fresh), (& $cell $warmFloor))
}
Write-Host ("Partitions: {0:N0} (bench) + 1,000 (small), source 3 brokers (librdkafka mock), target 1 broker; {1} runs after {2} warm-ups, median; {3} cores, {4}, pwsh {5}, .NET {6}" -f
    $Partitions, $Runs, $WarmUps, [Environment]::ProcessorCount, [Runtime.InteropServices.RuntimeInformation]::OSDescription, $PSVersionTable.PSVersion, [Environment]::Version)
$memory | ForEach-Object { Write-Host "Memory: $_" }
$requests | ForEach-Object { Write-Host "New-ReplicationFlow $_" }
if ($disagreements) { Write-Host "$disagreements disagreement(s) between cmdlets and the raw floor."; exit 1 }
exit 0
