using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Mirror;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// The operator's side of a runbook: answering the questions of an interactive session, a hook that fails, and the
/// continuous mode's refusals when group offsets cannot reach the target.
/// </summary>
public sealed class RunbookOperatorTests : IAsyncLifetime
{
    private const string Strimzi = "kafka.strimzi.io/v1beta2";
    private const string Checkpoint = "src-to-tgt-mirror-checkpoint-connector";
    private OperatedFlow _f = null!;
    private MirrorLoop? _mirror;

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        _f.Kafka.CommitGroup("billing", ("orders", 0, 100), ("orders", 1, 100), ("orders", 2, 100), ("audit", 0, 10));
    }

    public async Task DisposeAsync()
    {
        if (_mirror is not null) await _mirror.DisposeAsync();
        _f.Ps.Host.Recorded.Choices.Clear();
        await _f.DisposeAsync();
    }

    private void RunMirror() => _mirror = new MirrorLoop(_f.Mirror());

    private string? Recorded(string key) => (string?)_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, "src-to-tgt-runbook")?["data"]?[key];
    private static string[] Statuses(ScriptResult r) => r.Output.Select(o => o.Properties["Status"].Value.ToString()!).ToArray();

    [Fact]
    public void An_interactive_session_is_asked_at_each_manual_step_and_a_no_stops_the_run_where_a_rerun_resumes()
    {
        RunMirror();
        var prompts = _f.Ps.Host.Recorded.Prompts;
        var choices = _f.Ps.Host.Recorded.Choices;
        // ShouldProcess: Yes (0); StopProducers: Yes (0); StopConsumers: No (1 of Yes/No).
        foreach (var c in new[] { 0, 0, 1 }) choices.Enqueue(c);
        var cmd = $"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -WaitTimeout 00:00:30";
        var first = _f.Ps.Invoke(cmd);
        Assert.Equal("ManualStepPending", first.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(new[] { "Completed", "Completed", "Completed", "Stopped" }, Statuses(first));
        Assert.Contains("Confirmed by the operator", first.Output[1].Properties["Detail"].Value.ToString());
        Assert.Contains("Not confirmed; run again to resume here", first.Output[3].Properties["Detail"].Value.ToString());
        Assert.Equal(3, prompts.Count);
        Assert.Contains("Manual step 2: StopProducers", prompts[1]);
        Assert.Contains("Manual step 4: StopConsumers", prompts[2]);
        Assert.Empty(choices);
        Assert.Equal("3", Recorded("completed"));
        Assert.Null(_f.SpecState(OperatedFlow.SourceConnector)); // replication still runs: it stops after StopConsumers

        prompts.Clear();
        foreach (var c in new[] { 0, 0, 0, 0 }) choices.Enqueue(c); // ShouldProcess, StopConsumers, MoveProducers, MoveConsumers
        var second = _f.Ps.Invoke(cmd);
        Assert.True(second.Terminating is null && second.Errors.Count == 0, $"{second.Terminating?.Message} {string.Join("; ", second.Errors)}");
        Assert.All(Statuses(second), s => Assert.Equal("Completed", s));
        Assert.Equal(new[] { "StopConsumers", "MoveProducers", "MoveConsumers" }, prompts.Skip(1).Select(p => p.Split('|')[0].Split(": ")[1]));
        Assert.Equal("stopped", _f.SpecState(OperatedFlow.SourceConnector));
        Assert.Equal("true", Recorded("finished"));
    }

    [Fact]
    public void A_failing_hook_fails_its_step_with_the_hooks_error_and_a_rerun_retries_that_step()
    {
        var failing = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -Confirm:$false " +
                                   "-Hook @{ StopProducers = { throw 'deployment orders-api did not scale to 0' } }");
        var error = failing.SingleError;
        Assert.Equal("HookFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("The StopProducers hook failed: deployment orders-api did not scale to 0", error.Exception.Message);
        Assert.Equal("StopProducers", error.TargetObject);
        Assert.Equal(new[] { "Completed", "Failed" }, Statuses(failing));
        Assert.Equal("1", Recorded("completed"));

        RunMirror();
        var rerun = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -Force -WaitTimeout 00:00:30 " +
                                 "-Hook @{ StopProducers = { $global:stopped = 'yes' } }\n$global:stopped");
        Assert.True(rerun.Terminating is null && rerun.Errors.Count == 0, $"{rerun.Terminating?.Message} {string.Join("; ", rerun.Errors)}");
        Assert.Equal("yes", rerun.Output[^1].ToString());
        Assert.Contains("Done by the StopProducers hook", rerun.Output[1].Properties["Detail"].Value.ToString());
        Assert.Equal("true", Recorded("finished"));

        // The record goes with the flow, after the flow's own objects.
        var removed = _f.Ps.Invoke($"Remove-ReplicationFlow -Name {OperatedFlow.FlowName} -Force -PassThru");
        Assert.Empty(removed.Errors);
        Assert.Equal("ConfigMap src-to-tgt-runbook", $"{removed.Output[^1].Properties["Kind"].Value} {removed.Output[^1].Properties["ObjectName"].Value}");
        Assert.Null(_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, "src-to-tgt-runbook"));
    }

    [Fact]
    public void A_cutoff_names_the_groups_whose_lag_never_reaches_0_and_a_rerun_can_leave_them_out()
    {
        _f.Kafka.CommitGroup("reports", ("orders", 0, 10)); // 90 + 200 + 10 records behind, and nobody consumes
        RunMirror();
        var cmd = $"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing, reports -Force";
        var stuck = _f.Ps.Invoke(cmd + " -WaitTimeout 00:00:01");
        Assert.Equal("GroupsNotCaughtUp", stuck.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("These groups still have lag on the source: reports.", stuck.SingleError.Exception.Message);
        Assert.Equal("reports", stuck.SingleError.TargetObject);
        Assert.Contains("-ExcludeGroup", stuck.SingleError.ErrorDetails?.RecommendedAction ?? stuck.SingleError.Exception.ToString());
        Assert.Equal(new[] { "Completed", "Completed", "Failed" }, Statuses(stuck));
        Assert.Equal("2", Recorded("completed"));

        // The same run (the same groups), with 'reports' left out of the waits: it resumes at the wait and completes.
        var rerun = _f.Ps.Invoke(cmd + " -ExcludeGroup reports -WaitTimeout 00:00:30 -Verbose");
        Assert.True(rerun.Terminating is null && rerun.Errors.Count == 0, $"{rerun.Terminating?.Message} {string.Join("; ", rerun.Errors)}");
        Assert.Contains(rerun.Verbose, v => v.StartsWith("Resuming after step 2 (StopProducers)", StringComparison.Ordinal));
        Assert.Equal("lag 0 on the source for billing", rerun.Output[2].Properties["Detail"].Value.ToString()!.Split(';')[0]);
        Assert.Equal("true", Recorded("finished"));
    }

    [Fact]
    public void Continuous_is_refused_without_group_offset_sync_and_without_a_checkpoint_connector()
    {
        var connector = _f.K8s.Get(Strimzi, "KafkaConnector", OperatedFlow.Ns, Checkpoint)!;
        connector["spec"]!["config"]!["sync.group.offsets.enabled"] = "false";
        _f.K8s.Upsert(connector);
        var noSync = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Continuous -Group billing -Force");
        Assert.Equal("FailoverPreconditionFailed", noSync.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("does not sync group offsets (sync.group.offsets.enabled is not true)", noSync.SingleError.Exception.Message);
        Assert.Equal("0", Recorded("completed"));

        var redeploy = _f.Ps.Invoke($"""
            $source = New-ReplicationClusterReference -Alias src -BootstrapServers '{_f.Kafka.BootstrapServers}'
            $target = New-ReplicationClusterReference -Alias tgt -BootstrapServers '{_f.Target.BootstrapServers}'
            New-ReplicationFlow -Name {OperatedFlow.FlowName} -Namespace {OperatedFlow.Ns} -Source $source -Target $target -Topics 'orders','audit' -NoCheckpoint | Out-Null
            """);
        Assert.True(redeploy.Terminating is null && redeploy.Errors.Count == 0, redeploy.Terminating?.Message);
        Assert.Null(_f.K8s.Get(Strimzi, "KafkaConnector", OperatedFlow.Ns, Checkpoint));
        var noCheckpoint = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Continuous -Group billing -Force -Restart");
        Assert.Equal("FailoverPreconditionFailed", noCheckpoint.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("has no checkpoint connector, so no group offsets reach the target", noCheckpoint.SingleError.Exception.Message);
        // A cutoff moves consumers without translated offsets, so it is still allowed (planned here, not run).
        var cutoff = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -WhatIf");
        Assert.True(cutoff.Terminating is null && cutoff.Errors.Count == 0, cutoff.Terminating?.Message);
        Assert.Equal(8, cutoff.Output.Count);
    }
}
