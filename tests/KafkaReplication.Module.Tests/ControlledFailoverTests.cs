using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Mirror;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Invoke-ControlledFailover against the operated flow with the MirrorMaker simulator running in a loop (stopped by a
/// token, no sleeps). Group billing has committed on the source before each run.
/// </summary>
public sealed class ControlledFailoverTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;
    private MirrorMakerSimulator _mm = null!;
    private MirrorLoop? _mirror;
    private const string Hooks = RecordingHooks.Script;

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        _f.Kafka.CommitGroup("billing", ("orders", 0, 100), ("orders", 1, 40), ("audit", 0, 10));
        _mm = _f.Mirror();
    }

    public async Task DisposeAsync()
    {
        if (_mirror is not null) await _mirror.DisposeAsync();
        await _f.DisposeAsync();
    }

    private void RunMirror() => _mirror = new MirrorLoop(_mm);

    private string Simulator() => _mirror?.ToString() ?? "(simulator not running)";

    private static string[] Names(ScriptResult r) => r.Output.Select(o => o.Properties["Name"].Value.ToString()!).ToArray();
    private static string[] Statuses(ScriptResult r) => r.Output.Select(o => o.Properties["Status"].Value.ToString()!).ToArray();
    private string? Recorded(string key) => (string?)_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, "src-to-tgt-runbook")?["data"]?[key];

    [Fact]
    public void WhatIf_lists_the_continuous_plan_with_the_computed_wait_and_changes_nothing()
    {
        _f.ConnectApi.ClearRequests();
        var r = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Continuous -Group billing -WhatIf");
        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "VerifyPreconditions", "StopConsumers", "WaitForCheckpoints", "MoveConsumers", "StopProducers", "MoveProducers", "WaitForReplication", "Report" }, Names(r));
        Assert.All(Statuses(r), s => Assert.Equal("Planned", s));
        Assert.Contains("Wait up to 240 s", r.HostText); // 2 × (60 + 60): the flow sets neither interval
        Assert.Contains("subscribed to the replicated topics src.orders, src.audit and the active topics orders, audit", r.HostText);
        Assert.Null(_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, "src-to-tgt-runbook"));
        Assert.DoesNotContain(_f.ConnectApi.Requests, q => q.Method is "PUT" or "PATCH" or "DELETE" or "POST");
    }

    [Fact]
    public void A_group_without_commits_is_refused_with_the_reason_before_any_step_runs()
    {
        var r = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Continuous -Group billing, ghost -Force");
        Assert.Equal("FailoverPreconditionFailed", r.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("group 'ghost' has no committed offsets", r.SingleError.Exception.Message);
        Assert.Equal("0", Recorded("completed"));
    }

    [Fact]
    public void Continuous_runs_hooks_in_the_guides_order_and_moves_group_offsets_without_losing_records()
    {
        RunMirror();
        var r = _f.Ps.Invoke(Hooks + $"\nInvoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Continuous -Group billing -Hook $h -Confirm:$false -WaitTimeout 00:00:30\n$global:done -join ','");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)} {Simulator()}");
        Assert.Equal("StopConsumers,MoveConsumers,StopProducers,MoveProducers", r.Output[^1].ToString());
        Assert.All(r.Output.Take(8).Select(o => o.Properties["Status"].Value.ToString()), s => Assert.Equal("Completed", s));
        // The target group continues where the source group stopped (target topics were empty, so offsets equal).
        var committed = _f.Target.Committed("billing", ("src.orders", 0), ("src.orders", 1), ("src.audit", 0));
        Assert.Equal(100L, committed[("src.orders", 0)]);
        Assert.Equal(40L, committed[("src.orders", 1)]);
        Assert.Equal(10L, committed[("src.audit", 0)]);
        // Every source record is on the target exactly once (the last wait verified replication caught up).
        foreach (var (topic, partition) in new[] { ("orders", 0), ("orders", 1), ("orders", 2), ("audit", 0) })
            Assert.Equal(_f.Kafka.EndOffset(topic, partition), _f.Target.EndOffset("src." + topic, partition));
        Assert.Equal("true", Recorded("finished"));
    }

    [Fact]
    public void Without_a_hook_a_non_interactive_run_stops_at_the_manual_step_and_a_rerun_resumes_there()
    {
        var first = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -Confirm:$false");
        Assert.Equal("ManualStepPending", first.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("StopProducers", first.SingleError.Exception.Message);
        Assert.Equal(new[] { "Completed", "Stopped" }, Statuses(first));
        Assert.Equal("1", Recorded("completed"));

        var conflict = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Continuous -Group billing -Confirm:$false");
        Assert.Equal("RunbookConflict", conflict.SingleError.FullyQualifiedErrorId.Split(',')[0]);

        // The consumers read everything before the cutoff (a cutoff waits for lag 0 on the source).
        _f.Kafka.CommitGroup("billing", ("orders", 0, 100), ("orders", 1, 100), ("orders", 2, 100), ("audit", 0, 10));
        RunMirror();
        var second = _f.Ps.Invoke(Hooks + $"\nInvoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -Hook $h -Confirm:$false -WaitTimeout 00:00:30 -Verbose\n$global:done -join ','");
        Assert.True(second.Terminating is null && second.Errors.Count == 0, $"{second.Terminating?.Message} {string.Join("; ", second.Errors)} {Simulator()}");
        Assert.Contains(second.Verbose, v => v.StartsWith("Resuming after step 1 (VerifyPreconditions)", StringComparison.Ordinal));
        Assert.Equal("StopProducers,StopConsumers,MoveProducers,MoveConsumers", second.Output[^1].ToString());
        Assert.Equal(new[] { "VerifyPreconditions", "StopProducers", "WaitForConsumersAndReplication", "StopConsumers", "StopReplication", "MoveProducers", "MoveConsumers", "Report" },
            Names(second with { Output = second.Output.Take(8).ToList() }));
        Assert.Equal("stopped", _f.SpecState(OperatedFlow.SourceConnector));
        Assert.Equal("true", Recorded("finished"));
    }

    [Fact]
    public void ConfirmedStep_confirms_only_the_named_manual_step_and_the_run_stops_at_the_next_one()
    {
        _f.Kafka.CommitGroup("billing", ("orders", 0, 100), ("orders", 1, 100), ("orders", 2, 100), ("audit", 0, 10));
        RunMirror();
        var r = _f.Ps.Invoke($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -ConfirmedStep StopProducers -Confirm:$false -WaitTimeout 00:00:30");
        Assert.Equal("ManualStepPending", r.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(new[] { "Completed", "Completed", "Completed", "Stopped" }, Statuses(r));
        Assert.Equal("StopConsumers", Names(r)[3]);
        Assert.Contains("Confirmed by -ConfirmedStep", r.Output[1].Properties["Detail"].Value.ToString());
        Assert.Equal("3", Recorded("completed"));
        Assert.Null(_f.SpecState(OperatedFlow.SourceConnector)); // replication not stopped: that comes after StopConsumers
    }
}
