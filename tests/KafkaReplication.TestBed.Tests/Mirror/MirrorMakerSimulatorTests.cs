using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Mirror;

namespace KafkaReplication.TestBed.Tests.Mirror;

/// <summary>The data-plane simulator behaves as MirrorMaker 2 does where the failover runbooks depend on it.</summary>
public sealed class MirrorMakerSimulatorTests : IAsyncLifetime
{
    private ConnectEmulator _connect = null!;
    private MockKafkaCluster _source = null!, _target = null!;
    private MirrorMakerSimulator _mm = null!;

    public async Task InitializeAsync()
    {
        _connect = await ConnectEmulator.StartAsync();
        _source = new MockKafkaCluster(1);
        _target = new MockKafkaCluster(1);
        _source.CreateTopic("orders", 2);
        _source.CreateTopic("mm2-offset-syncs.tgt.internal", 1);
        _target.CreateTopic("src.orders", 2);
        _target.CreateTopic("src.checkpoints.internal", 1);
        _connect.PutConnector("source", new JsonObject { ["connector.class"] = MirrorMakerSimulator.SourceClass });
        _connect.PutConnector("checkpoint", new JsonObject { ["connector.class"] = MirrorMakerSimulator.CheckpointClass });
        _mm = new MirrorMakerSimulator(_connect, _source, _target, new MirrorSettings("src", "tgt", new[] { "orders" }, new[] { "billing" }));
    }

    public async Task DisposeAsync()
    {
        await _connect.DisposeAsync();
        _source.Dispose();
        _target.Dispose();
    }

    private long End(MockKafkaCluster c, string topic, int p)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = c.BootstrapServers, GroupId = "probe" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value;
    }

    private long? Stored(int p) => (long?)_connect.GetOffsets("source").Single(o => (int)o.Partition["partition"]! == p).Offset?["offset"];

    [Fact]
    public async Task Copies_renamed_records_with_headers_and_stores_the_last_replicated_offset()
    {
        _source.Produce("orders", 0, 5);
        _source.ProduceRaw("orders", 1, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("v"), new Headers { { "h", Encoding.UTF8.GetBytes("x") } });

        await _mm.StepAsync();

        Assert.Equal(5, End(_target, "src.orders", 0));
        Assert.Equal(4L, Stored(0));   // last replicated, not next
        Assert.Equal(0L, Stored(1));
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _target.BootstrapServers, GroupId = "probe" }).Build();
        consumer.Assign(new TopicPartitionOffset("src.orders", 1, 0));
        var r = consumer.Consume(TimeSpan.FromSeconds(10))!;
        Assert.Equal("v", Encoding.UTF8.GetString(r.Message.Value));
        Assert.Equal("x", Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("h")));
        Assert.Equal(6, End(_source, "mm2-offset-syncs.tgt.internal", 0)); // one sync per record

        await _mm.StepAsync();
        Assert.Equal(5, End(_target, "src.orders", 0)); // nothing copied twice
    }

    [Fact]
    public async Task A_stopped_source_connector_copies_nothing()
    {
        _source.Produce("orders", 0, 3);
        _connect.SetTargetState("source", "STOPPED");
        await _mm.StepAsync();
        Assert.Equal(0, End(_target, "src.orders", 0));
    }

    [Fact]
    public async Task Checkpoints_translate_commits_and_sync_only_inactive_groups_forward()
    {
        _target.ProduceRaw("src.orders", 0, null, new byte[1]); // a target record before replication shifts downstream offsets by 1
        _source.Produce("orders", 0, 10);
        _source.CommitGroup("billing", ("orders", 0, 4));
        _mm.SetActive("billing");
        await _mm.SettleAsync();
        Assert.Null(_target.Committed("billing", ("src.orders", 0))[("src.orders", 0)]); // active: not synced

        _mm.SetActive("billing", false);
        await _mm.StepAsync();
        Assert.Equal(5L, _target.Committed("billing", ("src.orders", 0))[("src.orders", 0)]); // upstream 4 -> downstream 5

        _source.CommitGroup("billing", ("orders", 0, 10)); // everything consumed: one past the last sync
        await _mm.StepAsync();
        Assert.Equal(11L, _target.Committed("billing", ("src.orders", 0))[("src.orders", 0)]);
        Assert.Equal(2, End(_target, "src.checkpoints.internal", 0));
    }
}
