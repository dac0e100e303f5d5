using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kafka;

namespace KafkaReplication.Engine.Failover;

/// <summary>
/// The last checkpoint of a group on one partition, next to what the target group has committed on the replicated
/// topic. <see cref="SyncedToCheckpoint"/>: the target group is at (or past) the checkpoint, i.e. sync.group.offsets
/// has applied it; false while the sync is pending or was skipped because the group had active members.
/// </summary>
public sealed record ReplicationCheckpoint
{
    public required string Group { get; init; }
    public required string SourceTopic { get; init; }
    public required string TargetTopic { get; init; }
    public required int Partition { get; init; }
    public required long UpstreamOffset { get; init; }
    public required long DownstreamOffset { get; init; }
    public string Metadata { get; init; } = "";
    public DateTimeOffset Time { get; init; }
    public long? TargetCommittedOffset { get; init; }
    public bool SyncedToCheckpoint => TargetCommittedOffset >= DownstreamOffset;
}

public static class CheckpointReader
{
    public static string TopicName(string sourceAlias) => $"{sourceAlias}.checkpoints.internal";

    /// <summary>
    /// Reads the whole checkpoints topic and keeps the last record per (group, topic, partition), which is what
    /// RemoteClusterUtils.translateOffsets returns; then reads the target groups' committed offsets of those partitions.
    /// </summary>
    public static async Task<IReadOnlyList<ReplicationCheckpoint>> ReadAsync(IKafkaGateway target, FlowHandle flow,
        Func<string, bool>? groupFilter, CancellationToken ct)
    {
        var records = await target.ReadTopicAsync(TopicName(flow.SourceAlias), ct).ConfigureAwait(false);
        var last = new Dictionary<(string Group, string Topic, int Partition), (Checkpoint C, DateTimeOffset Time)>();
        // Records of one key share a partition (keyed by the whole key), so offset order within a partition is write order.
        foreach (var r in records.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            if (r.Key is null || r.Value is null) continue; // a tombstone or a foreign record carries no checkpoint
            var c = CheckpointCodec.Decode(r.Key, r.Value);
            if (groupFilter is not null && !groupFilter(c.Group)) continue;
            last[(c.Group, c.Topic, c.Partition)] = (c, r.Timestamp);
        }

        var result = new List<ReplicationCheckpoint>();
        foreach (var group in last.Keys.Select(k => k.Group).Distinct().Order(StringComparer.Ordinal))
        {
            var mine = last.Where(k => k.Key.Group == group).Select(k => k.Value).ToList();
            var partitions = mine.Select(m => (m.C.Topic, m.C.Partition)).ToList();
            var committed = await target.GetCommittedOffsetsAsync(group, partitions, ct).ConfigureAwait(false);
            foreach (var (c, time) in mine.OrderBy(m => m.C.Topic, StringComparer.Ordinal).ThenBy(m => m.C.Partition))
            {
                // MirrorCheckpointTask renames the topic before writing: the key names the target-side topic.
                var targetTopic = c.Topic;
                result.Add(new ReplicationCheckpoint
                {
                    Group = c.Group,
                    SourceTopic = SourceTopicOf(flow, targetTopic),
                    TargetTopic = targetTopic,
                    Partition = c.Partition,
                    UpstreamOffset = c.UpstreamOffset,
                    DownstreamOffset = c.DownstreamOffset,
                    Metadata = c.Metadata,
                    Time = time,
                    TargetCommittedOffset = committed.TryGetValue((targetTopic, c.Partition), out var v) ? v : null,
                });
            }
        }
        return result;
    }

    public static string SourceTopicOf(FlowHandle flow, string targetTopic) =>
        flow.Policy != Model.ReplicationPolicy.Identity && targetTopic.StartsWith(flow.SourceAlias + ".", StringComparison.Ordinal)
            ? targetTopic[(flow.SourceAlias.Length + 1)..]
            : targetTopic;
}
