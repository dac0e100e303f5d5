using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Mirror;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Runbook refusals for an Identity flow, and a run interrupted during a wait that a re-run completes.</summary>
public sealed class RunbookRefusalAndResumeTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        _f.Kafka.CommitGroup("billing", ("orders", 0, 100), ("orders", 1, 100), ("orders", 2, 100), ("audit", 0, 10));
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public void An_identity_flow_is_refused_a_continuous_failover_and_a_failback_with_the_guides_reasons()
    {
        var deploy = _f.Ps.Invoke($"""
            $s = New-ReplicationClusterReference -Alias src -BootstrapServers '{_f.Kafka.BootstrapServers}'
            Remove-ReplicationFlow -Name {OperatedFlow.FlowName} -Force  # one alias per cluster: the fixture's flow calls the target 'tgt'
            $t = New-ReplicationClusterReference -Alias dr -BootstrapServers '{_f.Target.BootstrapServers}'
            New-ReplicationFlow -Name src-to-dr -Namespace {OperatedFlow.Ns} -Source $s -Target $t -Topics 'orders' -Groups 'billing' -ReplicationPolicy Identity | Out-Null
            Wait-ReplicationFlow -Flow src-to-dr -Timeout 00:00:30
            """);
        Assert.True(deploy.Terminating is null && deploy.Errors.Count == 0, deploy.Terminating?.Message);

        var continuous = _f.Ps.Invoke("Invoke-ControlledFailover -Flow src-to-dr -Mode Continuous -Group billing -Force");
        Assert.Equal("FailoverPreconditionFailed", continuous.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("needs the Default replication policy", continuous.SingleError.Exception.Message);

        var failback = _f.Ps.Invoke("Invoke-ControlledFailback -Flow src-to-dr -Mode Cutoff -Group billing -WhatIf");
        Assert.Equal("FailbackUnsupported", failback.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("would loop", failback.SingleError.Exception.Message);

        var cutoffPlan = _f.Ps.Invoke("Invoke-ControlledFailover -Flow src-to-dr -Mode Cutoff -Group billing -WhatIf");
        Assert.Contains(cutoffPlan.Output, o => (string)o.Properties["Name"].Value == "ResetTargetGroups");
    }

    [Fact]
    public async Task A_run_stopped_during_a_wait_is_not_recorded_past_it_and_the_same_command_then_completes()
    {
        // No replication yet, so the wait cannot end; Ctrl+C (a pipeline stop) interrupts it.
        using var stop = new CancellationTokenSource();
        void OnProgress(System.Management.Automation.ProgressRecord p)
        {
            if (p.Activity.Contains("lag on the source", StringComparison.Ordinal)) stop.Cancel();
        }
        _f.Ps.Host.Recorded.ProgressWritten += OnProgress;
        var cmd = $"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -Force -WaitTimeout 00:01:00";
        var first = _f.Ps.Invoke(cmd, cancel: stop.Token);
        _f.Ps.Host.Recorded.ProgressWritten -= OnProgress;
        Assert.True(stop.IsCancellationRequested, "the wait never reported progress");
        Assert.Equal(new[] { "VerifyPreconditions", "StopProducers" }, first.Output.Select(o => o.Properties["Name"].Value.ToString()));
        Assert.Equal("2", (string?)_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, "src-to-tgt-runbook")?["data"]?["completed"]);

        await using (new MirrorLoop(_f.Mirror()))
        {
            var second = _f.Ps.Invoke(cmd);
            Assert.True(second.Terminating is null && second.Errors.Count == 0, $"{second.Terminating?.Message} {string.Join("; ", second.Errors)}");
            Assert.All(second.Output, o => Assert.Equal("Completed", o.Properties["Status"].Value.ToString()));
            Assert.Equal(8, second.Output.Count);
        }
        Assert.Equal(_f.Kafka.EndOffset("orders", 2), _f.Target.EndOffset("src.orders", 2));
    }

    [Fact]
    public async Task A_cutoff_on_an_identity_flow_resets_the_target_groups_to_the_latest_offsets()
    {
        _f.Target.CreateTopic("orders", 3);
        _f.Kafka.CreateTopic("mm2-offset-syncs.dr.internal", 1);
        var deploy = _f.Ps.Invoke($"""
            $s = New-ReplicationClusterReference -Alias src -BootstrapServers '{_f.Kafka.BootstrapServers}'
            Remove-ReplicationFlow -Name {OperatedFlow.FlowName} -Force  # one alias per cluster: the fixture's flow calls the target 'tgt'
            $t = New-ReplicationClusterReference -Alias dr -BootstrapServers '{_f.Target.BootstrapServers}'
            New-ReplicationFlow -Name src-to-dr -Namespace {OperatedFlow.Ns} -Source $s -Target $t -Topics 'orders' -Groups 'billing' -ReplicationPolicy Identity | Out-Null
            Wait-ReplicationFlow -Flow src-to-dr -Timeout 00:00:30
            """);
        Assert.True(deploy.Terminating is null && deploy.Errors.Count == 0, deploy.Terminating?.Message);
        var mm = new MirrorMakerSimulator(_f.Strimzi.ConnectFor(OperatedFlow.Ns, "repl-src-dr")!, _f.Kafka, _f.Target,
            new MirrorSettings("src", "dr", new[] { "orders" }, new[] { "billing" }, IdentityPolicy: true));
        mm.SetActive("billing"); // no group sync by the simulator: only the runbook's reset can set the target offsets
        await using (new MirrorLoop(mm))
        {
            var r = _f.Ps.Invoke("Invoke-ControlledFailover -Flow src-to-dr -Mode Cutoff -Group billing -Force -WaitTimeout 00:00:30");
            Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)}");
            Assert.Contains(r.Output, o => (string)o.Properties["Name"].Value == "ResetTargetGroups" && o.Properties["Status"].Value.ToString() == "Completed");
        }
        var committed = _f.Target.Committed("billing", ("orders", 0), ("orders", 1), ("orders", 2));
        for (var p = 0; p < 3; p++) Assert.Equal(_f.Target.EndOffset("orders", p), committed[("orders", p)]);
        Assert.Equal(100L, committed[("orders", 0)]);
    }
}
