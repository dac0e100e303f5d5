#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Ctrl+C in a real pwsh (issue 8): a stop reaches the cmdlet as StopProcessing, as PowerShell.Stop() delivers it.
# Before the fix the stop waited for librdkafka's native call, the whole request timeout (about 28 s of 30).

BeforeAll {
    . (Join-Path $PSScriptRoot 'FreshPwsh.ps1')
}

Describe 'A stop during a native Kafka call' {
    It 'returns within a few seconds, and the command ends as stopped' {
        $result = Invoke-FreshPwsh @'
$ps = [powershell]::Create()
$null = $ps.AddScript(@"
Import-Module '$env:KR_MANIFEST' -ErrorAction Stop
# Port 9 (discard) on the loopback: nothing listens, every connection is refused, librdkafka keeps retrying.
`$cluster = New-ReplicationClusterReference -Alias nowhere -BootstrapServers 127.0.0.1:9
Get-ConsumerGroupLag -Cluster `$cluster -Group billing -Topic orders -RequestTimeout 00:00:20 -Verbose
"@)
$invocation = $ps.BeginInvoke()
# Wait (bounded) until the command is inside the Kafka call: its verbose line says so.
$deadline = [DateTime]::UtcNow.AddSeconds(60)
while (-not ($ps.Streams.Verbose | Where-Object Message -like '*connecting an admin client*')) {
    if ([DateTime]::UtcNow -gt $deadline -or $invocation.IsCompleted) { throw "the Kafka call never started: $($ps.Streams.Error)" }
    Start-Sleep -Milliseconds 50 # a poll interval; the deadline decides
}
$watch = [Diagnostics.Stopwatch]::StartNew()
$ps.Stop()
$watch.Stop()
@{ StopSeconds = $watch.Elapsed.TotalSeconds; State = $ps.InvocationStateInfo.State.ToString(); Completed = $invocation.IsCompleted }
'@
        $result.State | Should -Be 'Stopped'
        $result.Completed | Should -BeTrue
        # Generous for a loaded machine; the call's own limit is 20 s.
        $result.StopSeconds | Should -BeLessThan 3
    }
}
