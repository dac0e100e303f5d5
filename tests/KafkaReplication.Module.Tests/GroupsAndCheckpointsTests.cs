using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Mirror;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Issue "Failover and failback", part 1: consumer groups and checkpoints as objects, through the module against the
/// operated flow (source and target mock clusters). The mock reports no group state or members (it answers
/// DescribeConsumerGroups with Local_UnsupportedFeature), so only the fallback shows here; the engine tests map a real
/// broker's answer.
/// </summary>
public sealed class GroupsAndCheckpointsTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync();
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static long L(object? v) => Convert.ToInt64(v);

    [Fact]
    public void Group_ids_complete_from_the_flows_checkpoint_connector()
    {
        string[] Complete(string line) => _f.Ps.Invoke($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText")
            .Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(new[] { "billing" }, Complete($"Get-ConsumerGroupLag -Flow {OperatedFlow.FlowName} -Group bi"));
        Assert.Equal(new[] { "billing" }, Complete($"Invoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group "));
        Assert.Empty(Complete($"Get-ReplicationCheckpoint -Flow {OperatedFlow.FlowName} -Group x"));
        Assert.Empty(Complete("Get-ConsumerGroupLag -Flow no-such-flow -Group bi")); // no flow: nothing, and no error
    }

    [Fact]
    public void Lag_on_the_source_per_group_and_partition_covers_the_flow_topics()
    {
        _f.Kafka.CommitGroup("billing", ("orders", 0, 100), ("orders", 1, 40));
        var r = _f.Ps.Invoke($"Get-ConsumerGroupLag -Flow {OperatedFlow.FlowName} -Group billing");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        var rows = r.Output.ToDictionary(o => $"{o.Properties["Topic"].Value}-{o.Properties["Partition"].Value}");
        Assert.Equal(new[] { "audit-0", "orders-0", "orders-1", "orders-2" }, rows.Keys.Order());
        Assert.Equal(0L, L(rows["orders-0"].Properties["Lag"].Value));
        Assert.Equal(40L, L(rows["orders-1"].Properties["CommittedOffset"].Value));
        Assert.Equal(60L, L(rows["orders-1"].Properties["Lag"].Value));
        Assert.Null(rows["orders-2"].Properties["CommittedOffset"].Value);
        Assert.Equal(100L, L(rows["orders-2"].Properties["Lag"].Value));
        Assert.Equal("src", rows["orders-2"].Properties["Cluster"].Value);
    }

    [Fact]
    public void Lag_on_the_target_reads_the_prefixed_topics_and_a_cluster_reference_works_without_a_flow()
    {
        _f.Target.ProduceRaw("src.orders", 1, null, new byte[] { 1 });
        _f.Target.CommitGroup("billing", ("src.orders", 1, 0));
        var r = _f.Ps.Invoke($"Get-ConsumerGroupLag -Flow {OperatedFlow.FlowName} -Side Target -Group 'bill*' -Topic '*orders'");
        Assert.Null(r.Terminating);
        var row = Assert.Single(r.Output, o => (int)o.Properties["Partition"].Value == 1);
        Assert.Equal("src.orders", row.Properties["Topic"].Value);
        Assert.Equal(1L, L(row.Properties["Lag"].Value));
        Assert.Equal(3, r.Output.Count);

        var direct = _f.Ps.Invoke($"""
            $c = New-ReplicationClusterReference -Alias tgt -BootstrapServers '{_f.Target.BootstrapServers}'
            Get-ConsumerGroupLag -Cluster $c -Group billing -Topic src.orders
            """);
        Assert.Null(direct.Terminating);
        Assert.Equal(3, direct.Output.Count);
    }

    [Fact]
    public void Group_state_the_broker_does_not_report_leaves_State_empty_with_one_warning_and_the_lag_intact()
    {
        _f.Kafka.CommitGroup("billing", ("orders", 1, 40));
        var r = _f.Ps.Invoke($"Get-ConsumerGroupLag -Flow {OperatedFlow.FlowName} -Group billing, shipping -Topic orders");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal(6, r.Output.Count);
        Assert.All(r.Output, o => Assert.True(o.Properties["State"].Value is null && o.Properties["MemberCount"].Value is null
            && o.Properties["Members"].Value is null));
        var row = r.Output.Single(o => (string)o.Properties["Group"].Value == "billing" && (int)o.Properties["Partition"].Value == 1);
        Assert.Equal((40L, 60L), (L(row.Properties["CommittedOffset"].Value), L(row.Properties["Lag"].Value)));
        var warning = Assert.Single(r.Warnings);
        Assert.StartsWith("Kafka cluster src (", warning);
        Assert.Contains("did not report consumer group state or members (groups billing, shipping: the broker does not serve " +
            "DescribeConsumerGroups: Local: Required feature not supported by broker [Local_UnsupportedFeature])", warning);

        var table = _f.Ps.Invoke($"Get-ConsumerGroupLag -Flow {OperatedFlow.FlowName} -Group billing -Topic orders | Out-Default");
        Assert.Null(table.Terminating);
        Assert.Single(table.Warnings);
        Assert.Matches(@"Cluster\s+Group\s+State\s+Topic\s+Partition\s+Committed\s+End\s+Lag", table.HostText);
        Assert.Matches(@"src\s+billing\s+orders\s+1\s+40\s+100\s+60", table.HostText); // State left blank
    }

    [Fact]
    public void A_group_wildcard_that_matches_no_known_group_is_refused_instead_of_listing_groups()
    {
        var r = _f.Ps.Invoke($"Get-ConsumerGroupLag -Flow {OperatedFlow.FlowName} -Group 'pay*'");
        Assert.Equal("GroupWildcardUnresolvable,KafkaReplication.Commands.GetConsumerGroupLagCommand", r.SingleError.FullyQualifiedErrorId);
        Assert.Contains("billing", r.SingleError.Exception.Message);
    }

    [Fact]
    public void Checkpoints_keep_the_last_per_group_and_partition_beside_the_target_commit()
    {
        void Write(CheckpointRecord c) => _f.Target.ProduceRaw("src.checkpoints.internal", 0, c.Key(), c.Value());
        Write(new CheckpointRecord("billing", "src.orders", 0, 10, 8));
        Write(new CheckpointRecord("billing", "src.orders", 0, 50, 45, "m1"));   // supersedes the first
        Write(new CheckpointRecord("billing", "src.orders", 1, 20, 20));
        Write(new CheckpointRecord("other", "src.audit", 0, 5, 5));
        _f.Target.CommitGroup("billing", ("src.orders", 0, 45), ("src.orders", 1, 3));

        var r = _f.Ps.Invoke($"Get-ReplicationCheckpoint -Flow {OperatedFlow.FlowName} -Group billing");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal(2, r.Output.Count);
        var p0 = r.Output.Single(o => (int)o.Properties["Partition"].Value == 0);
        Assert.Equal("orders", p0.Properties["SourceTopic"].Value);
        Assert.Equal("src.orders", p0.Properties["TargetTopic"].Value);
        Assert.Equal(50L, L(p0.Properties["UpstreamOffset"].Value));
        Assert.Equal(45L, L(p0.Properties["DownstreamOffset"].Value));
        Assert.Equal("m1", p0.Properties["Metadata"].Value);
        Assert.Equal(45L, L(p0.Properties["TargetCommittedOffset"].Value));
        Assert.True((bool)p0.Properties["SyncedToCheckpoint"].Value);
        var p1 = r.Output.Single(o => (int)o.Properties["Partition"].Value == 1);
        Assert.False((bool)p1.Properties["SyncedToCheckpoint"].Value);

        var all = _f.Ps.Invoke($"Get-ReplicationCheckpoint -Flow {OperatedFlow.FlowName}");
        Assert.Equal(3, all.Output.Count);
    }
}
