using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Mirror;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Invoke-ControlledFailback run to the end over a reverse flow (tgt → src on its own Connect cluster), with the
/// MirrorMaker simulator replicating that flow. The state is the one after a failover: producers write to 'orders' on
/// the target, and group billing consumes there.
/// </summary>
public sealed class FailbackRunTests : IAsyncLifetime
{
    private const string Reverse = "tgt-to-src";
    private OperatedFlow _f = null!;
    private MirrorLoop? _mirror;
    private const string Hooks = RecordingHooks.Script;

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        // Written on the target since the failover; the reverse flow's remote topics and internal topics exist.
        _f.Target.CreateTopic("orders", 3);
        for (var p = 0; p < 3; p++) _f.Target.Produce("orders", p, 50);
        _f.Target.CreateTopic("mm2-offset-syncs.src.internal", 1);
        _f.Kafka.CreateTopic("tgt.orders", 3);
        _f.Kafka.CreateTopic("tgt.checkpoints.internal", 1);
        _f.Target.CommitGroup("billing", ("orders", 0, 50), ("orders", 1, 50), ("orders", 2, 50));
        var deploy = _f.Ps.Invoke($"""
            $back = New-ReplicationClusterReference -Alias tgt -BootstrapServers '{_f.Target.BootstrapServers}'
            $orig = New-ReplicationClusterReference -Alias src -BootstrapServers '{_f.Kafka.BootstrapServers}'
            New-ReplicationFlow -Name {Reverse} -Namespace {OperatedFlow.Ns} -Source $back -Target $orig -Topics 'orders' -Groups 'billing' |
                Wait-ReplicationFlow -Timeout 00:00:30 | Out-Null
            """);
        Assert.True(deploy.Terminating is null && deploy.Errors.Count == 0, $"{deploy.Terminating?.Message} {string.Join("; ", deploy.Errors)}");
        var connect = (string)_f.K8s.List("kafka.strimzi.io/v1beta2", "KafkaConnect", OperatedFlow.Ns)
            .Single(c => (string?)c["metadata"]?["labels"]?["kafkareplication.io/flow"] == Reverse)["metadata"]!["name"]!;
        var mm = new MirrorMakerSimulator(_f.Strimzi.ConnectFor(OperatedFlow.Ns, connect)!, _f.Target, _f.Kafka,
            new MirrorSettings("tgt", "src", new[] { "orders" }, new[] { "billing" }));
        _mirror = new MirrorLoop(mm);
    }

    public async Task DisposeAsync()
    {
        if (_mirror is not null) await _mirror.DisposeAsync();
        await _f.DisposeAsync();
    }

    private ScriptResult Failback(string mode) => _f.Ps.Invoke(Hooks +
        $"\nInvoke-ControlledFailback -Flow {OperatedFlow.FlowName} -Mode {mode} -Group billing -Hook $h -Confirm:$false -WaitTimeout 00:00:30\n$global:done -join ','");

    private void AssertEverythingReplicatedBack()
    {
        for (var p = 0; p < 3; p++) Assert.Equal(_f.Target.EndOffset("orders", p), _f.Kafka.EndOffset("tgt.orders", p));
        Assert.Equal("true", (string?)_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, $"{Reverse}-runbook")?["data"]?["finished"]);
        Assert.Null(_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, $"{OperatedFlow.FlowName}-runbook")); // the original flow's runs are separate
    }

    [Fact]
    public void A_cutoff_failback_runs_over_the_reverse_flow_and_stops_it_once_everything_is_back()
    {
        var r = Failback("Cutoff");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)}");
        Assert.Contains(r.Warnings, w => w.Contains("unless the failover was run with a cutoff", StringComparison.Ordinal));
        Assert.Equal("StopProducers,StopConsumers,MoveProducers,MoveConsumers", r.Output[^1].ToString());
        Assert.All(r.Output.SkipLast(1), o => Assert.Equal("Completed", o.Properties["Status"].Value.ToString()));
        AssertEverythingReplicatedBack();
        Assert.Equal("stopped", (string?)_f.K8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnector", OperatedFlow.Ns, $"{Reverse}-mirror-source-connector")?["spec"]?["state"]);
        Assert.Null(_f.SpecState(OperatedFlow.SourceConnector)); // the original flow is not touched
    }

    [Fact]
    public void A_continuous_failback_moves_the_groups_offsets_back_to_the_original_cluster()
    {
        var r = Failback("Continuous");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)}");
        Assert.Equal("StopConsumers,MoveConsumers,StopProducers,MoveProducers", r.Output[^1].ToString());
        Assert.Contains(r.Output, o => (string)o.Properties["Name"].Value == "MoveConsumers" &&
            o.Properties["Detail"].Value.ToString()!.Contains("tgt.orders", StringComparison.Ordinal));
        AssertEverythingReplicatedBack();
        // billing continues on the original cluster's tgt.orders where it stopped on the target.
        var committed = _f.Kafka.Committed("billing", ("tgt.orders", 0), ("tgt.orders", 1), ("tgt.orders", 2));
        Assert.All(committed.Values, c => Assert.Equal(50L, c));
    }
}
