using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Invoke-DisasterFailover with the source cluster down, and Invoke-ControlledFailback's refusals and plan.</summary>
public sealed class DisasterAndFailbackTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync();
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static long L(object? v) => Convert.ToInt64(v);

    [Fact]
    public async Task With_the_source_down_it_reports_replicated_offsets_and_trailing_groups_and_applies_checkpoints()
    {
        _f.Kafka.CommitGroup("billing", ("orders", 1, 40));
        var mm = _f.Mirror();
        mm.SetActive("billing"); // consumers active on the target: MM2 writes checkpoints but does not sync the group
        await mm.StepAsync();
        _f.Kafka.SetBrokerDown(-1);

        var r = _f.Ps.Invoke($"Invoke-DisasterFailover -Flow {OperatedFlow.FlowName} -Group billing");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)}");
        Assert.Contains(r.Warnings, w => w.Contains("not replicated and are lost", StringComparison.Ordinal));
        var report = Assert.Single(r.Output);
        var replicated = ((System.Collections.IEnumerable)report.Properties["LastReplicated"].Value).Cast<object>()
            .Select(o => System.Management.Automation.PSObject.AsPSObject(o)).ToDictionary(o => $"{o.Properties["Topic"].Value}-{o.Properties["Partition"].Value}", o => L(o.Properties["StoredOffset"].Value));
        Assert.Equal(99L, replicated["orders-1"]);
        Assert.Equal(9L, replicated["audit-0"]);
        Assert.Equal(new[] { "billing" }, ((System.Collections.IEnumerable)report.Properties["TrailingGroups"].Value).Cast<object>().Select(o => o.ToString()));
        Assert.Null(_f.Target.Committed("billing", ("src.orders", 1))[("src.orders", 1)]);

        var applied = _f.Ps.Invoke($"Invoke-DisasterFailover -Flow {OperatedFlow.FlowName} -Group billing -ApplyCheckpoints -Confirm:$false -WarningAction SilentlyContinue");
        Assert.True(applied.Terminating is null && applied.Errors.Count == 0, applied.Terminating?.Message);
        Assert.Equal(40L, _f.Target.Committed("billing", ("src.orders", 1))[("src.orders", 1)]);
    }

    [Fact]
    public void A_failback_without_a_reverse_flow_is_refused_and_with_one_it_plans_the_reverse_run_with_the_warning()
    {
        var refused = _f.Ps.Invoke($"Invoke-ControlledFailback -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -WhatIf");
        Assert.Equal("ReverseFlowMissing", refused.SingleError.FullyQualifiedErrorId.Split(',')[0]);

        var deploy = _f.Ps.Invoke($"""
            $back = New-ReplicationClusterReference -Alias tgt -BootstrapServers '{_f.Target.BootstrapServers}'
            $orig = New-ReplicationClusterReference -Alias src -BootstrapServers '{_f.Kafka.BootstrapServers}'
            New-ReplicationFlow -Name tgt-to-src -Namespace {OperatedFlow.Ns} -Source $back -Target $orig -Topics 'orders' -Groups 'billing' | Out-Null
            """);
        Assert.True(deploy.Terminating is null && deploy.Errors.Count == 0, deploy.Terminating?.Message);
        var plan = _f.Ps.Invoke($"Invoke-ControlledFailback -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -WhatIf");
        Assert.True(plan.Terminating is null && plan.Errors.Count == 0, $"{plan.Terminating?.Message} {string.Join("; ", plan.Errors)}");
        Assert.Contains(plan.Warnings, w => w.Contains("unless the failover was run with a cutoff", StringComparison.Ordinal));
        Assert.Contains("flow repl/tgt-to-src", plan.HostText);
        Assert.Equal("StopProducers", plan.Output[1].Properties["Name"].Value);
    }
}
