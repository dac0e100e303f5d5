using KafkaReplication.Engine.Kafka;

namespace KafkaReplication.Engine.Failover;

/// <summary>
/// A consumer group's position on one partition. <see cref="CommittedOffset"/> is the next record the group will
/// read (null: never committed there); lag = end − committed (the whole partition, start to end, when uncommitted).
/// <see cref="State"/>, <see cref="MemberCount"/> and <see cref="Members"/> are the whole group's, where the broker
/// reports them (DescribeConsumerGroups); null when it does not.
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
    /// <summary>Kafka's group state (Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, Unknown); null: not reported.</summary>
    public string? State { get; init; }
    public int? MemberCount { get; init; }
    public IReadOnlyList<ConsumerGroupMember>? Members { get; init; }
}

/// <summary>Lag rows with the groups' state attached, and each group's status (reported or why not).</summary>
public sealed record ConsumerGroupLagReport(IReadOnlyList<ConsumerGroupLag> Rows, IReadOnlyList<ConsumerGroupStatus> Groups)
{
    /// <summary>One line naming the groups the broker did not describe, and why; null when it described them all.</summary>
    public string? NotReportedSummary(string cluster) => ConsumerGroupStatus.Summarize(Groups, cluster);
}

/// <summary>Reads committed offsets of explicit groups on explicit partitions (never lists groups: see test-bed-facts).</summary>
public static class ConsumerGroupLagReader
{
    public static async Task<IReadOnlyList<ConsumerGroupLag>> ReadAsync(IKafkaGateway kafka, IReadOnlyCollection<string> groups,
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

    /// <summary>
    /// <see cref="ReadAsync"/> plus the groups' state and members, from one DescribeConsumerGroups request sent
    /// alongside the offset reads. Groups the broker does not describe keep null state; the offsets never depend on it.
    /// </summary>
    public static async Task<ConsumerGroupLagReport> ReadWithGroupStatesAsync(IKafkaGateway kafka, IReadOnlyCollection<string> groups,
        IReadOnlyList<(string Topic, int Partition)> partitions, CancellationToken ct)
    {
        if (partitions.Count == 0 || groups.Count == 0)
            return new ConsumerGroupLagReport(Array.Empty<ConsumerGroupLag>(), Array.Empty<ConsumerGroupStatus>());
        var describe = kafka.DescribeGroupsAsync(groups, ct);
        IReadOnlyList<ConsumerGroupLag> rows;
        try
        {
            rows = await ReadAsync(kafka, groups, partitions, ct).ConfigureAwait(false);
        }
        catch
        {
            _ = describe.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        var states = await describe.ConfigureAwait(false);
        return new ConsumerGroupLagReport(WithStates(rows, states), groups.Distinct(StringComparer.Ordinal).Select(g => states[g]).ToList());
    }

    /// <summary>Each row with its group's state and members where the group was reported.</summary>
    internal static IReadOnlyList<ConsumerGroupLag> WithStates(IEnumerable<ConsumerGroupLag> rows, IReadOnlyDictionary<string, ConsumerGroupStatus> states) =>
        rows.Select(r => states.TryGetValue(r.Group, out var s) && s.IsReported
            ? r with { State = s.State, MemberCount = s.MemberCount, Members = s.Members }
            : r).ToList();
}
