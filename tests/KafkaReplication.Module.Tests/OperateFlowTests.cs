using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Faults;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Issue "Operate a running flow", through the module in a hosted runspace against the emulators and a mock Kafka.</summary>
public sealed class OperateFlowTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync();
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static long L(object? v) => Convert.ToInt64(v);

    [Fact]
    public void New_ReplicationFlow_piped_to_Wait_ReplicationFlow_waits_once_after_the_whole_flow_is_applied()
    {
        _f.K8s.ClearRequests();
        var r = _f.Ps.Invoke($"""
            $source = New-ReplicationClusterReference -Alias src -BootstrapServers '{_f.Kafka.BootstrapServers}'
            $target = New-ReplicationClusterReference -Alias tgt -BootstrapServers '{_f.Target.BootstrapServers}'
            New-ReplicationFlow -Name {OperatedFlow.FlowName} -Namespace {OperatedFlow.Ns} -Source $source -Target $target -Topics 'orders','audit' -Groups 'billing' -TasksMax 2 |
                Wait-ReplicationFlow -Timeout 00:00:30
            """);
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)}");
        var flow = Assert.Single(r.Output);
        Assert.Equal(OperatedFlow.FlowName, flow.Properties["Name"].Value);
        // One wait, and it read the KafkaConnect after the last write of the apply (the two changed connectors).
        var requests = _f.K8s.Requests.ToList();
        var lastWrite = requests.FindLastIndex(q => q.IsWrite);
        Assert.Equal(2, requests.Count(q => q.IsWrite));
        Assert.Single(requests.Skip(lastWrite), q => q.Method == "GET" && q.Path.EndsWith("/kafkaconnects/" + OperatedFlow.Connect, StringComparison.Ordinal));
    }

    [Fact]
    public void State_per_partition_follows_the_stored_offsets_and_the_source_end_offsets()
    {
        _f.Replicated("orders", 0, 99);   // all 100 replicated
        _f.Replicated("orders", 1, 49);   // 50 to go
        var r = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName}");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        var rows = r.Output.ToDictionary(o => $"{o.Properties["Topic"].Value}-{o.Properties["Partition"].Value}");
        Assert.Equal(new[] { "audit-0", "orders-0", "orders-1", "orders-2" }, rows.Keys.Order());
        Assert.Equal("CaughtUp", rows["orders-0"].Properties["State"].Value.ToString());
        Assert.Equal(0L, L(rows["orders-0"].Properties["Lag"].Value));
        Assert.Equal(50L, L(rows["orders-1"].Properties["Lag"].Value));
        Assert.Equal(50L, L(rows["orders-1"].Properties["NextOffset"].Value));
        Assert.Equal(100L, L(rows["orders-1"].Properties["EndOffset"].Value));
        Assert.Equal("src.orders", rows["orders-1"].Properties["TargetTopic"].Value);
        Assert.Equal("NotStarted", rows["orders-2"].Properties["State"].Value.ToString());
        Assert.Equal(100L, L(rows["orders-2"].Properties["Lag"].Value));

        var summary = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} -Summary").Output;
        var total = summary.Single(s => s.Properties["Topic"].Value is null);
        Assert.Equal(160L, L(total.Properties["Lag"].Value));
        Assert.Equal(4, (int)total.Properties["Partitions"].Value);
    }

    [Fact]
    public void The_pipeline_from_state_to_Set_SourceOffset_with_WhatIf_shows_old_and_new_and_changes_nothing()
    {
        _f.Replicated("orders", 1, 49);
        _f.ConnectApi.ClearRequests();
        var r = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} | Where-Object Lag -gt 0 | Set-SourceOffset -Latest -WhatIf");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Contains("orders-1: 50 -> 100", r.HostText);
        Assert.Contains("orders-2: (none: auto.offset.reset) -> 100", r.HostText);
        Assert.Contains("audit-0: (none: auto.offset.reset) -> 10", r.HostText);
        Assert.Equal(49L, _f.Stored("orders", 1));
        Assert.Null(_f.SpecState(OperatedFlow.SourceConnector));
        Assert.DoesNotContain(_f.ConnectApi.Requests, q => q.Method is "PATCH" or "DELETE");
    }

    [Fact]
    public void Set_SourceOffset_runs_one_stop_patch_resume_cycle_for_all_piped_partitions()
    {
        _f.Replicated("orders", 1, 49);
        _f.ConnectApi.ClearRequests();
        var r = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} | Where-Object Lag -gt 0 | Set-SourceOffset -Latest -Confirm:$false -Verbose");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal(4, r.Output.Count); // orders-0 (not started), orders-1, orders-2, audit-0
        Assert.All(r.Output, o => Assert.True((bool)o.Properties["Verified"].Value));
        Assert.Equal(99L, _f.Stored("orders", 0));
        Assert.Equal(99L, _f.Stored("orders", 1));   // next = 100: stored = next − 1
        Assert.Equal(99L, _f.Stored("orders", 2));
        Assert.Equal(9L, _f.Stored("audit", 0));
        Assert.Single(_f.ConnectApi.Requests, q => q.Method == "PATCH");
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector));
        Assert.Equal("RUNNING", _f.ConnectApi.Get(OperatedFlow.SourceConnector)!.ConnectorState);
        Assert.Contains(r.Verbose, v => v.StartsWith("PATCH /connectors/src-to-tgt-mirror-source-connector/offsets", StringComparison.Ordinal));
        Assert.Contains(r.Progress, p => p.Activity.Contains("STOPPED"));

        var state = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} | Where-Object Lag -gt 0").Output;
        Assert.Empty(state);
    }

    [Fact]
    public void Exact_offsets_earliest_and_timestamps_resolve_to_stored_values()
    {
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 0,2 -NextOffset 42 -Confirm:$false");
        Assert.Empty(r.Errors);
        Assert.Equal(41L, _f.Stored("orders", 0));
        Assert.Equal(41L, _f.Stored("orders", 2));
        Assert.Null(_f.Stored("orders", 1));

        _f.Kafka.DeleteRecords("orders", 0, 30);
        r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 0 -Earliest -Confirm:$false");
        Assert.Empty(r.Errors);
        Assert.Equal(29L, _f.Stored("orders", 0));

        r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 2 -NextOffset 0 -Confirm:$false");
        Assert.Empty(r.Errors);
        Assert.Null(_f.Stored("orders", 2)); // resume at 0 = no entry: auto.offset.reset (earliest) decides
    }

    [Fact]
    public void Get_and_Reset_SourceOffset()
    {
        _f.Replicated("orders", 0, 9);
        _f.Replicated("orders", 1, 19);
        var get = _f.Ps.Invoke($"Get-SourceOffset -Flow {OperatedFlow.FlowName}").Output;
        Assert.Equal(2, get.Count);
        Assert.Equal(20L, L(get.Single(o => (int)o.Properties["Partition"].Value == 1).Properties["NextOffset"].Value));

        var one = _f.Ps.Invoke($"Reset-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 1 -Confirm:$false");
        Assert.Empty(one.Errors);
        Assert.Null(_f.Stored("orders", 1));
        Assert.Equal(9L, _f.Stored("orders", 0));

        var all = _f.Ps.Invoke($"Reset-SourceOffset -Flow {OperatedFlow.FlowName} -Confirm:$false");
        Assert.Empty(all.Errors);
        Assert.Empty(_f.ConnectApi.GetOffsets(OperatedFlow.SourceConnector));
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector));
    }

    [Fact]
    public void Rebalances_and_a_dropped_port_forward_are_retried()
    {
        _f.ConnectApi.RebalanceFor(2, "offsets");
        _f.ConnectApi.DropConnections(1, "status");
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic audit -Partition 0 -NextOffset 5 -Confirm:$false -Verbose");
        Assert.Empty(r.Errors);
        Assert.Equal(4L, _f.Stored("audit", 0));
        Assert.Contains(r.Verbose, v => v.StartsWith("Retrying after HTTP 409", StringComparison.Ordinal));
    }

    [Fact]
    public void A_connector_that_never_stops_is_returned_to_running_and_the_error_says_so()
    {
        _f.ConnectApi.NeverReachStopped(OperatedFlow.SourceConnector);
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic audit -Partition 0 -NextOffset 5 -Timeout 00:00:02 -Confirm:$false");
        var e = r.SingleError;
        Assert.StartsWith("WaitTimedOut,", e.FullyQualifiedErrorId);
        Assert.Contains("was returned to 'running'", e.Exception.Message);
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector));
        Assert.Null(_f.Stored("audit", 0));
    }

    [Fact]
    public void A_503_while_restoring_the_connectors_state_is_retried_and_leaves_it_running()
    {
        // The stop (1st PATCH of the KafkaConnector) goes through; the restore (2nd) meets one 503 and is sent again.
        _f.K8s.Faults.Add(Fault.Status(503), pathContains: $"/kafkaconnectors/{OperatedFlow.SourceConnector}", method: "PATCH", skip: 1);
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic audit -Partition 0 -NextOffset 5 -Confirm:$false");
        var pending = _f.K8s.Faults.Pending;
        _f.K8s.ClearFaults();
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)}");
        Assert.Equal(0, pending);
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector));
    }

    [Fact]
    public void A_failed_resume_is_a_terminating_error_that_says_the_connector_is_stopped_and_how_to_recover()
    {
        // The stop (1st write) goes through; the restore of spec.state (2nd write) fails.
        _f.K8s.FailWritesAfter(1);
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic audit -Partition 0 -NextOffset 5 -Confirm:$false");
        _f.K8s.ClearFaults();
        var e = r.SingleError;
        Assert.StartsWith("ConnectorLeftStopped,", e.FullyQualifiedErrorId);
        Assert.Contains("may be left STOPPED", e.Exception.Message);
        Assert.Contains("The offsets were changed", e.Exception.Message);
        Assert.Contains("Start-ReplicationFlow -Name src-to-tgt -Namespace repl -Connector src-to-tgt-mirror-source-connector", e.ErrorDetails.RecommendedAction);
        Assert.Equal("stopped", _f.SpecState(OperatedFlow.SourceConnector));

        var recover = _f.Ps.Invoke($"Start-ReplicationFlow -Flow {OperatedFlow.FlowName} -Connector Source -Confirm:$false -PassThru");
        Assert.Empty(recover.Errors);
        Assert.Equal("RUNNING", recover.Output.Single().Properties["State"].Value);
    }

    [Fact]
    public void Stop_suspend_start_and_describe_connectors()
    {
        var stop = _f.Ps.Invoke($"Stop-ReplicationFlow -Flow {OperatedFlow.FlowName} -Connector Checkpoint,Heartbeat -Confirm:$false");
        Assert.Empty(stop.Errors);
        var connectors = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName}").Output
            .ToDictionary(o => o.Properties["Role"].Value.ToString()!, o => o.Properties["State"].Value?.ToString());
        Assert.Equal("STOPPED", connectors["checkpoint"]);
        Assert.Equal("STOPPED", connectors["heartbeat"]);
        Assert.Equal("RUNNING", connectors["source"]);

        Assert.Empty(_f.Ps.Invoke($"Suspend-ReplicationFlow -Flow {OperatedFlow.FlowName} -Connector Source").Errors);
        Assert.Equal("PAUSED", _f.ConnectApi.Get(OperatedFlow.SourceConnector)!.ConnectorState);
        Assert.Empty(_f.Ps.Invoke($"Get-ReplicationFlow | Start-ReplicationFlow").Errors);
        Assert.All(_f.ConnectApi.ConnectorNames, n => Assert.Equal("RUNNING", _f.ConnectApi.Get(n)!.ConnectorState));

        var whatIf = _f.Ps.Invoke($"Stop-ReplicationFlow -Flow {OperatedFlow.FlowName} -WhatIf");
        Assert.Contains("What if:", whatIf.HostText);
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector));
    }

    [Fact]
    public void Restart_only_failed_restarts_the_failed_task()
    {
        _f.ConnectApi.FailTask(OperatedFlow.SourceConnector, 1, "java.lang.RuntimeException: boom");
        var failed = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -Connector Source").Output.Single();
        Assert.Equal(1, (int)failed.Properties["FailedTasks"].Value);
        _f.ConnectApi.ClearRequests();
        var r = _f.Ps.Invoke($"Restart-ReplicationConnector -Flow {OperatedFlow.FlowName} -OnlyFailed -Confirm:$false -PassThru");
        Assert.Empty(r.Errors);
        var restarted = Assert.Single(_f.ConnectApi.Requests, q => q.Method == "POST");
        Assert.Contains("onlyFailed=true", restarted.Query);
        Assert.Equal(0, (int)r.Output.Single().Properties["FailedTasks"].Value);
    }

    [Fact]
    public void New_partitions_can_start_at_latest_on_a_live_flow_with_a_warning()
    {
        var r = _f.Ps.Invoke($"Set-ReplicationFlow -Flow {OperatedFlow.FlowName} -NewPartitionStart Latest");
        Assert.Contains(r.Warnings, w => w.Contains("at-least-once"));
        Assert.Equal("latest", (string?)_f.K8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnector", OperatedFlow.Ns, OperatedFlow.SourceConnector)!["spec"]!["config"]!["source.consumer.auto.offset.reset"]);
        var zero = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 0 -NextOffset 0 -Confirm:$false");
        Assert.StartsWith("CannotResumeAtZero,", zero.SingleError.FullyQualifiedErrorId);
        _f.Ps.Invoke($"Set-ReplicationFlow -Flow {OperatedFlow.FlowName} -NewPartitionStart Earliest");
        Assert.Null(_f.K8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnector", OperatedFlow.Ns, OperatedFlow.SourceConnector)!["spec"]!["config"]!["source.consumer.auto.offset.reset"]);
    }

    [Fact]
    public void Wait_for_CaughtUp_returns_once_every_partition_is_replicated()
    {
        foreach (var p in new[] { 0, 1, 2 }) _f.Replicated("orders", p, 99);
        _f.Replicated("audit", 0, 9);
        var r = _f.Ps.Invoke($"Wait-ReplicationFlow -Flow {OperatedFlow.FlowName} -Condition CaughtUp -Timeout 00:00:20");
        Assert.Empty(r.Errors);
        Assert.Equal(0L, L(r.Output.Single().Properties["Lag"].Value));
        Assert.Contains(r.Progress, p => p.Activity.Contains("catch up"));
    }

    [Fact]
    public void Ctrl_C_stops_a_wait_promptly()
    {
        // Nothing is replicated, so the wait would last its whole 10 minutes.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var r = _f.Ps.Invoke($"Wait-ReplicationFlow -Flow {OperatedFlow.FlowName} -Condition CaughtUp -Timeout 00:10:00", cancel: stop.Token);
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"the wait took {watch.Elapsed} to stop");
        Assert.Empty(r.Output); // a completed wait would have written the flow's summary
    }

    [Fact]
    public void Piped_connectors_bind_by_name_and_bad_offsets_are_refused_before_anything_changes()
    {
        Assert.Empty(_f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -Connector Checkpoint | Stop-ReplicationFlow -Confirm:$false").Errors);
        Assert.Equal("stopped", _f.SpecState("src-to-tgt-mirror-checkpoint-connector"));
        Assert.Null(_f.SpecState(OperatedFlow.SourceConnector));

        _f.ConnectApi.ClearRequests();
        var beyond = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 1 -NextOffset 500 -Confirm:$false");
        Assert.StartsWith("OffsetBeyondEnd,", beyond.SingleError.FullyQualifiedErrorId);
        var missing = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 7 -NextOffset 5 -Confirm:$false");
        Assert.StartsWith("KafkaPartitionNotFound,", missing.SingleError.FullyQualifiedErrorId);
        var noTopic = _f.Ps.Invoke($"Reset-SourceOffset -Flow {OperatedFlow.FlowName} -Partition 1 -Confirm:$false");
        Assert.StartsWith("PartitionWithoutTopic,", noTopic.SingleError.FullyQualifiedErrorId);
        Assert.DoesNotContain(_f.ConnectApi.Requests, q => q.Method is "PATCH" or "DELETE");
        Assert.Null(_f.SpecState(OperatedFlow.SourceConnector));

        var view = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} -Summary | Out-Default");
        Assert.Contains("(all)", view.HostText);
        Assert.Contains("NotStarted", view.HostText);
    }
}
