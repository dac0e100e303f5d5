namespace KafkaReplication.Engine.Kafka;

/// <summary>A partition assigned to a consumer group member.</summary>
public sealed record AssignedPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}[{Partition}]";
}

/// <summary>A consumer group member as the group's coordinator reports it.</summary>
public sealed record ConsumerGroupMember
{
    /// <summary>The member id the coordinator gave the consumer (kafka-consumer-groups.sh's CONSUMER-ID).</summary>
    public required string MemberId { get; init; }
    /// <summary>The consumer's <c>group.instance.id</c> (static membership); null when not set.</summary>
    public string? GroupInstanceId { get; init; }
    public required string ClientId { get; init; }
    /// <summary>The member's address as the coordinator saw it, e.g. <c>/10.0.0.7</c>.</summary>
    public required string Host { get; init; }
    public required IReadOnlyList<AssignedPartition> AssignedPartitions { get; init; }

    public override string ToString() => $"{ClientId} {Host} ({AssignedPartitions.Count} partitions)";
}

/// <summary>
/// A consumer group's state and members as its coordinator reports them (DescribeConsumerGroups), or why they were
/// not reported: <see cref="State"/> and <see cref="Members"/> are then null and <see cref="NotReportedReason"/> says why.
/// </summary>
public sealed record ConsumerGroupStatus
{
    public required string Group { get; init; }
    /// <summary>
    /// Kafka's name of the group state: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead or Unknown
    /// (org.apache.kafka.common.GroupState). Null when not reported.
    /// </summary>
    public string? State { get; init; }
    public IReadOnlyList<ConsumerGroupMember>? Members { get; init; }
    public int? MemberCount => Members?.Count;
    /// <summary>Why the broker did not report the group (null when it did), e.g. it does not serve DescribeConsumerGroups.</summary>
    public string? NotReportedReason { get; init; }
    public bool IsReported => NotReportedReason is null;

    public static ConsumerGroupStatus NotReported(string group, string reason) => new() { Group = group, NotReportedReason = reason };

    /// <summary>
    /// One line naming the groups whose state was not reported, grouped by reason (null when every group was
    /// reported), for a single warning per command run.
    /// </summary>
    public static string? Summarize(IEnumerable<ConsumerGroupStatus> statuses, string cluster)
    {
        var missing = statuses.Where(s => !s.IsReported).GroupBy(s => s.NotReportedReason!, StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return null;
        var parts = missing.Select(m =>
        {
            var names = m.Select(s => s.Group).ToList();
            return $"{(names.Count == 1 ? "group" : "groups")} {string.Join(", ", names)}: {m.Key}";
        });
        return $"Kafka cluster {cluster} did not report consumer group state or members ({string.Join("; ", parts)}). " +
               "State and Members are empty; the offsets and lag are complete.";
    }
}
