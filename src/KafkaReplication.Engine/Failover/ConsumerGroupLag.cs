using KafkaReplication.Engine.Kafka;

namespace KafkaReplication.Engine.Failover;

/// <summary>
/// A consumer group's position on one partition. <see cref="CommittedOffset"/> is the next record the group will
/// read (null: never committed there); lag = end − committed (the whole partition, start to end, when uncommitted).
/// </summary>
public sealed record ConsumerGroupLag
{
    public required string Cluster { get; init; }
    public required string Group { get; init; }
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    public long? CommittedOffset { get; init; }
    public required long EndOffset { get; init; }
    public required long Lag { get; init; }
}

/// <summary>Reads committed offsets of explicit groups on explicit partitions (never lists groups: see test-bed-facts).</summary>
public static class ConsumerGroupLagReader
{
    public static async Task<IReadOnlyList<ConsumerGroupLag>> ReadAsync(KafkaGateway kafka, IReadOnlyCollection<string> groups,
        IReadOnlyList<(string Topic, int Partition)> partitions, CancellationToken ct)
    {
        if (partitions.Count == 0 || groups.Count == 0) return Array.Empty<ConsumerGroupLag>();
        var ends = await kafka.GetOffsetsAsync(partitions, OffsetSpec.Latest, ct).ConfigureAwait(false);
        var starts = await kafka.GetOffsetsAsync(partitions, OffsetSpec.Earliest, ct).ConfigureAwait(false);
        var rows = new List<ConsumerGroupLag>();
        foreach (var group in groups)
        {
            var committed = await kafka.GetCommittedOffsetsAsync(group, partitions, ct).ConfigureAwait(false);
            foreach (var p in partitions)
            {
                var c = committed.TryGetValue(p, out var v) ? v : null;
                var end = ends[p];
                rows.Add(new ConsumerGroupLag
                {
                    Cluster = kafka.Settings.Cluster.Alias,
                    Group = group,
                    Topic = p.Topic,
                    Partition = p.Partition,
                    CommittedOffset = c,
                    EndOffset = end,
                    // A commit below the start offset (records deleted) still only has start..end left to read.
                    Lag = Math.Max(0, end - Math.Max(c ?? starts[p], starts[p])),
                });
            }
        }
        return rows;
    }
}
