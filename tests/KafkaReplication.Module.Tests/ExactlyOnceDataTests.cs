using System.Management.Automation;
using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Mirror;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Issue 9: the reading cmdlets and the failover waits on an exactly-once flow. The source producers write in
/// transactions (each source partition ends in a commit marker) and the simulator replicates as MirrorMaker does
/// with exactly-once (target records and checkpoints in transactions), so every topic involved ends in a marker that
/// no consumer receives. Offsets after the setup: orders[p] 100 plain records, 5 in a transaction, marker at 105
/// (end 106); audit 10 plain, 5 in a transaction, marker at 15 (end 16).
/// </summary>
public sealed class ExactlyOnceDataTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;
    private MirrorMakerSimulator _mm = null!;
    private MirrorLoop? _mirror;

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        for (var p = 0; p < 3; p++) _f.Kafka.ProduceInTransaction("orders", p, 5);
        _f.Kafka.ProduceInTransaction("audit", 0, 5);
        _mm = _f.Mirror(exactlyOnce: true);
    }

    public async Task DisposeAsync()
    {
        if (_mirror is not null) await _mirror.DisposeAsync();
        await _f.DisposeAsync();
    }

    private static long L(object? v) => Convert.ToInt64(v);
    private static string Why(ScriptResult r) => $"{r.Terminating?.Message} {string.Join("; ", r.Errors.Select(e => e.Exception.Message))}";

    [Fact]
    public async Task Partitions_that_end_in_a_marker_after_their_last_replicated_record_are_caught_up_and_a_later_record_is_lag()
    {
        await _mm.SettleAsync();
        Assert.Equal(104L, _f.Stored("orders", 0)); // MirrorMaker stores the last record it replicated, not the marker
        Assert.Equal(106L, _f.Kafka.EndOffset("orders", 0));

        var wait = _f.Ps.Invoke($"Wait-ReplicationFlow -Flow {OperatedFlow.FlowName} -Condition CaughtUp -Timeout 00:00:20");
        Assert.True(wait.Terminating is null && wait.Errors.Count == 0, Why(wait));
        Assert.Equal(0L, L(wait.Output.Single().Properties["Lag"].Value));

        _f.Kafka.Produce("audit", 0, 1); // a plain record after the marker: offset 16
        var r = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName}");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, Why(r));
        var rows = r.Output.ToDictionary(o => $"{o.Properties["Topic"].Value}-{o.Properties["Partition"].Value}");
        Assert.Equal("CaughtUp", rows["orders-0"].Properties["State"].Value.ToString());
        Assert.Equal((104L, 105L, 106L, 0L), (L(rows["orders-0"].Properties["LastReplicatedOffset"].Value), L(rows["orders-0"].Properties["NextOffset"].Value),
            L(rows["orders-0"].Properties["EndOffset"].Value), L(rows["orders-0"].Properties["Lag"].Value)));
        Assert.Equal("Lagging", rows["audit-0"].Properties["State"].Value.ToString());
        Assert.Equal(2L, L(rows["audit-0"].Properties["Lag"].Value)); // offsets 15 (marker) and 16 (the record)
    }

    [Fact]
    public async Task A_later_call_with_the_same_clients_does_not_read_caught_up_partitions_again_and_sees_a_new_record()
    {
        const string pool = "(Get-EngineType KafkaReplication.Engine.Session.ClientPool)::Shared";
        const string known = "Kafka: 4 of 4 partitions not read again: 4 known to hold only transaction markers, 0 a record.";
        await _mm.SettleAsync();
        _f.Ps.Invoke($"{pool}.Clear(); {pool}.IdleTimeout = [timespan]::FromMinutes(1)");
        try
        {
            var first = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} -Verbose");
            Assert.True(first.Terminating is null && first.Errors.Count == 0, Why(first));
            Assert.DoesNotContain(first.Verbose, v => v.Contains("not read again", StringComparison.Ordinal));
            Assert.Contains(first.Verbose, v => v.StartsWith("Kafka: looking for records past the replicated offsets in 4 partitions", StringComparison.Ordinal));

            var second = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} -Verbose");
            Assert.True(second.Terminating is null && second.Errors.Count == 0, Why(second));
            Assert.Contains(known, second.Verbose);
            Assert.DoesNotContain(second.Verbose, v => v.StartsWith("Kafka: looking for records", StringComparison.Ordinal));
            Assert.All(second.Output, o => Assert.Equal(0L, L(o.Properties["Lag"].Value)));

            _f.Kafka.Produce("audit", 0, 1); // offset 16: audit's range (15, 17) reaches past the remembered (15, 16)
            var third = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} -Verbose");
            Assert.True(third.Terminating is null && third.Errors.Count == 0, Why(third));
            Assert.Contains("Kafka: 3 of 4 partitions not read again: 3 known to hold only transaction markers, 0 a record.", third.Verbose);
            var audit = third.Output.Single(o => (string)o.Properties["Topic"].Value == "audit");
            Assert.Equal(("Lagging", 2L), (audit.Properties["State"].Value.ToString(), L(audit.Properties["Lag"].Value)));
        }
        finally
        {
            _f.Ps.Invoke($"{pool}.IdleTimeout = [timespan]::Zero; {pool}.Clear()");
        }
    }

    [Fact]
    public async Task Checkpoints_written_in_transactions_are_read_and_the_disaster_failover_applies_them()
    {
        _f.Kafka.CommitGroup("billing", ("orders", 1, 40), ("orders", 2, 106));
        _mm.SetActive("billing"); // consumers active on the target: checkpoints are written, the group is not synced
        await _mm.SettleAsync();
        Assert.True(_mm.CheckpointsWritten >= 2);

        var cp = _f.Ps.Invoke($"Get-ReplicationCheckpoint -Flow {OperatedFlow.FlowName} -Group billing");
        Assert.True(cp.Terminating is null && cp.Errors.Count == 0, Why(cp));
        var byPartition = cp.Output.ToDictionary(o => (int)o.Properties["Partition"].Value);
        Assert.Equal((40L, 40L), (L(byPartition[1].Properties["UpstreamOffset"].Value), L(byPartition[1].Properties["DownstreamOffset"].Value)));
        // The transactional records were replicated in one transaction after the plain ones: downstream 105 is the next
        // record after 104 (both clusters' markers sit at 105).
        Assert.Equal(106L, L(byPartition[2].Properties["UpstreamOffset"].Value));

        _f.Kafka.SetBrokerDown(-1);
        var applied = _f.Ps.Invoke($"Invoke-DisasterFailover -Flow {OperatedFlow.FlowName} -Group billing -ApplyCheckpoints -Confirm:$false -WarningAction SilentlyContinue");
        Assert.True(applied.Terminating is null && applied.Errors.Count == 0, Why(applied));
        Assert.Equal(40L, _f.Target.Committed("billing", ("src.orders", 1))[("src.orders", 1)]);
        Assert.Equal(L(byPartition[2].Properties["DownstreamOffset"].Value), _f.Target.Committed("billing", ("src.orders", 2))[("src.orders", 2)]);
    }

    [Fact]
    public void A_continuous_failover_waits_for_transactional_checkpoints_and_replication_and_completes()
    {
        _f.Kafka.CommitGroup("billing", ("orders", 0, 106), ("orders", 1, 40), ("audit", 0, 16));
        _mirror = new MirrorLoop(_mm);
        var r = _f.Ps.Invoke(RecordingHooks.Script + $"\nInvoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Continuous -Group billing -Hook $h -Confirm:$false -WaitTimeout 00:00:30\n$global:done -join ','");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{Why(r)} {_mirror}");
        Assert.All(r.Output.Take(8).Select(o => o.Properties["Status"].Value.ToString()), s => Assert.Equal("Completed", s));
        var committed = _f.Target.Committed("billing", ("src.orders", 1), ("src.audit", 0));
        Assert.Equal(40L, committed[("src.orders", 1)]);
        Assert.NotNull(committed[("src.audit", 0)]);
    }

    [Fact]
    public void A_cutoff_failover_waits_for_replication_of_partitions_that_end_in_markers_and_completes()
    {
        _f.Kafka.CommitGroup("billing", ("orders", 0, 106), ("orders", 1, 106), ("orders", 2, 106), ("audit", 0, 16));
        _mirror = new MirrorLoop(_mm);
        var r = _f.Ps.Invoke(RecordingHooks.Script + $"\nInvoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode Cutoff -Group billing -Hook $h -Confirm:$false -WaitTimeout 00:00:30\n$global:done -join ','");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{Why(r)} {_mirror}");
        Assert.Equal("StopProducers,StopConsumers,MoveProducers,MoveConsumers", r.Output[^1].ToString());
        Assert.All(r.Output.Take(8).Select(o => o.Properties["Status"].Value.ToString()), s => Assert.Equal("Completed", s));
        Assert.Equal(104L, _f.Stored("orders", 2));
    }
}
