using System.Text.Json.Nodes;
using Confluent.Kafka;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Kafka;

namespace KafkaReplication.TestBed.Mirror;

/// <summary>What the simulated connectors replicate: the flow's settings that the Connect configs hold only as placeholders.</summary>
/// <remarks>
/// ExactlyOnce: as with exactly.once.source.support=enabled, the records copied in one step and every checkpoint are
/// written in transactions, so the target topics and the checkpoints topic end in commit markers.
/// </remarks>
public sealed record MirrorSettings(string SourceAlias, string TargetAlias, IReadOnlyList<string> Topics, IReadOnlyList<string> Groups, bool IdentityPolicy = false,
    bool ExactlyOnce = false)
{
    public string TargetTopic(string topic) => IdentityPolicy ? topic : $"{SourceAlias}.{topic}";
    public string CheckpointsTopic => $"{SourceAlias}.checkpoints.internal";
    public string OffsetSyncsTopic => $"mm2-offset-syncs.{TargetAlias}.internal";
}

/// <summary>
/// MirrorMaker 2's data plane for the Connect emulator, one <see cref="StepAsync"/> at a time (no background threads,
/// so tests need no sleeps). For a RUNNING MirrorSourceConnector: copies the records after each partition's stored
/// offset from the source to the target (renamed per policy; key, value, headers and timestamp kept), stores the last
/// replicated offset in Connect (MM2's meaning) and writes offset syncs. For a RUNNING MirrorCheckpointConnector:
/// translates each group's source commits through the offset syncs (OffsetSyncStore's rule: the downstream offset of
/// the latest sync at or below the commit, +1 when the commit is past it), writes checkpoints in MM2's format when
/// they change, and moves target groups forward to them unless the group is active (MM2 syncs only empty groups and
/// never rewinds a group).
/// </summary>
public sealed class MirrorMakerSimulator(ConnectEmulator connect, MockKafkaCluster source, MockKafkaCluster target, MirrorSettings settings)
{
    public const string SourceClass = "org.apache.kafka.connect.mirror.MirrorSourceConnector";
    public const string CheckpointClass = "org.apache.kafka.connect.mirror.MirrorCheckpointConnector";

    // Offset syncs per source partition: upstream offset -> downstream offset of every replicated record.
    private readonly Dictionary<(string, int), SortedList<long, long>> _syncs = new();
    private readonly Dictionary<(string Group, string Topic, int Partition), long> _lastCheckpoint = new();
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);

    public int RecordsCopied { get; private set; }
    public int CheckpointsWritten { get; private set; }

    /// <summary>Marks a target group as having active members (its offsets are then not synced, as in MM2).</summary>
    public void SetActive(string group, bool active = true) { if (active) _active.Add(group); else _active.Remove(group); }

    public Task StepAsync(CancellationToken ct = default) => Task.Run(() =>
    {
        foreach (var name in connect.ConnectorNames)
        {
            var c = connect.Get(name);
            if (c is null || c.ConnectorState != "RUNNING") continue;
            if (c.Class == SourceClass) Replicate(name, ct);
        }
        foreach (var name in connect.ConnectorNames)
        {
            var c = connect.Get(name);
            if (c is not null && c.ConnectorState == "RUNNING" && c.Class == CheckpointClass) Checkpoint();
        }
    }, ct);

    /// <summary>Steps until a step copies nothing and writes no checkpoint (bounded).</summary>
    public async Task SettleAsync(CancellationToken ct = default)
    {
        for (var i = 0; i < 20; i++)
        {
            var (r, c) = (RecordsCopied, CheckpointsWritten);
            await StepAsync(ct);
            if (r == RecordsCopied && c == CheckpointsWritten) return;
        }
        throw new InvalidOperationException("The simulator did not settle in 20 steps.");
    }

    private void Replicate(string connector, CancellationToken ct)
    {
        var stored = connect.GetOffsets(connector)
            .Where(o => (string?)o.Partition["cluster"] == settings.SourceAlias && o.Offset?["offset"] is not null)
            .ToDictionary(o => ((string)o.Partition["topic"]!, (int)o.Partition["partition"]!), o => (long)o.Offset!["offset"]!);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = source.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        using var consumer = Consumer(source);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
            {
                BootstrapServers = target.BootstrapServers,
                EnableIdempotence = settings.ExactlyOnce,
                TransactionalId = settings.ExactlyOnce ? $"mirror-simulator-{Guid.NewGuid():N}" : null,
            })
            .SetLogHandler((_, _) => { }).Build();
        if (settings.ExactlyOnce)
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            producer.BeginTransaction();
        }
        using var syncs = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = source.BootstrapServers, EnableIdempotence = false })
            .SetLogHandler((_, _) => { }).Build();
        var commits = new List<(JsonObject, JsonObject?)>();
        foreach (var topic in settings.Topics)
        {
            var t = metadata.Topics.FirstOrDefault(m => m.Topic == topic);
            if (t is null) continue;
            foreach (var p in t.Partitions.Select(p => p.PartitionId))
            {
                var tp = new TopicPartition(topic, p);
                var w = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
                // No stored offset: auto.offset.reset earliest, as MirrorSourceTask defaults to.
                var next = stored.TryGetValue((topic, p), out var last) ? last + 1 : w.Low.Value;
                if (next >= w.High.Value) continue;
                consumer.Assign(new TopicPartitionOffset(tp, next));
                long copied = -1;
                var sends = new List<(long Upstream, Task<DeliveryResult<byte[]?, byte[]?>> Sent)>();
                // Up to the end position: a source written in transactions ends in a marker that is never received.
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    var r = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException($"no record from {tp} at {next}");
                    if (r.IsPartitionEOF) break;
                    // Sent without waiting one by one (the acknowledgements come together at the flush below).
                    sends.Add((r.Offset.Value, producer.ProduceAsync(new TopicPartition(settings.TargetTopic(topic), p),
                        new Message<byte[]?, byte[]?> { Key = r.Message.Key, Value = r.Message.Value, Headers = r.Message.Headers, Timestamp = r.Message.Timestamp })));
                    copied = r.Offset.Value;
                    if (copied + 1 >= w.High.Value) break;
                }
                if (copied < 0) { consumer.Unassign(); continue; } // only markers left: nothing to replicate
                producer.Flush(TimeSpan.FromSeconds(30));
                foreach (var (upstream, sent) in sends)
                {
                    Sync(syncs, topic, p, upstream, sent.GetAwaiter().GetResult().Offset.Value);
                    RecordsCopied++;
                }
                consumer.Unassign();
                commits.Add((new JsonObject { ["cluster"] = settings.SourceAlias, ["partition"] = p, ["topic"] = topic }, new JsonObject { ["offset"] = copied }));
            }
        }
        syncs.Flush(TimeSpan.FromSeconds(30));
        if (settings.ExactlyOnce) producer.CommitTransaction(TimeSpan.FromSeconds(30));
        if (commits.Count > 0) connect.CommitOffsets(connector, commits);
    }

    private void Sync(IProducer<byte[]?, byte[]?> syncs, string topic, int partition, long upstream, long downstream)
    {
        if (!_syncs.TryGetValue((topic, partition), out var list)) _syncs[(topic, partition)] = list = new SortedList<long, long>();
        list[upstream] = downstream;
        syncs.Produce(new TopicPartition(settings.OffsetSyncsTopic, 0),
            new Message<byte[]?, byte[]?> { Key = OffsetSyncRecord.Key(topic, partition), Value = OffsetSyncRecord.Value(upstream, downstream) });
    }

    private long? Translate(string topic, int partition, long upstream)
    {
        if (!_syncs.TryGetValue((topic, partition), out var list) || list.Count == 0) return null;
        long? at = null;
        foreach (var (up, down) in list)
        {
            if (up > upstream) break;
            at = up == upstream ? down : down + 1;
        }
        return at;
    }

    private void Checkpoint()
    {
        foreach (var group in settings.Groups)
        {
            var partitions = _syncs.Keys.ToArray();
            if (partitions.Length == 0) continue;
            var committed = source.Committed(group, partitions);
            var translated = new List<(string Topic, int Partition, long Offset)>();
            foreach (var ((topic, p), upstream) in committed)
            {
                if (upstream is null || Translate(topic, p, upstream.Value) is not { } down) continue;
                var targetTopic = settings.TargetTopic(topic);
                translated.Add((targetTopic, p, down));
                if (_lastCheckpoint.TryGetValue((group, targetTopic, p), out var prev) && prev == down) continue;
                var record = new CheckpointRecord(group, targetTopic, p, upstream.Value, down);
                if (settings.ExactlyOnce) target.ProduceInTransaction(settings.CheckpointsTopic, 0, new[] { ((byte[]?)record.Key(), (byte[]?)record.Value()) });
                else target.ProduceRaw(settings.CheckpointsTopic, 0, record.Key(), record.Value());
                _lastCheckpoint[(group, targetTopic, p)] = down;
                CheckpointsWritten++;
            }
            if (_active.Contains(group) || translated.Count == 0) continue;
            var current = target.Committed(group, translated.Select(t => (t.Topic, t.Partition)).ToArray());
            var forward = translated.Where(t => current[(t.Topic, t.Partition)] is not { } c || c < t.Offset).ToArray();
            if (forward.Length > 0) target.CommitGroup(group, forward);
        }
    }

    private static IConsumer<byte[]?, byte[]?> Consumer(MockKafkaCluster cluster) =>
        new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "mirror-simulator",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted, // what MirrorSourceConnector needs for exactly-once
        }).SetLogHandler((_, _) => { }).Build();
}

/// <summary>OffsetSync.java's format: key = topic STRING, partition INT32; value = upstreamOffset INT64, offset INT64.</summary>
public static class OffsetSyncRecord
{
    public static byte[] Key(string topic, int partition)
    {
        var t = System.Text.Encoding.UTF8.GetBytes(topic);
        var b = new byte[2 + t.Length + 4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(b, (short)t.Length);
        t.CopyTo(b, 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(2 + t.Length), partition);
        return b;
    }

    public static byte[] Value(long upstream, long downstream)
    {
        var b = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(b, upstream);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(8), downstream);
        return b;
    }
}
