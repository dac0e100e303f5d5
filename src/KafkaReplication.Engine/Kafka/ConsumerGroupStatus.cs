using Confluent.Kafka;
using Confluent.Kafka.Admin;

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

    /// <summary>Maps Confluent's description of one group (which may carry the group's own error).</summary>
    internal static ConsumerGroupStatus From(ConsumerGroupDescription d)
    {
        if (d.Error is { IsError: true } e)
        {
            // Kafka's classic DescribeGroups answers Dead with no members for a group the coordinator does not know;
            // the newer ConsumerGroupDescribe (KIP-848) answers GROUP_ID_NOT_FOUND for it instead.
            if (e.Code == ErrorCode.GroupIdNotFound)
                return new ConsumerGroupStatus { Group = d.GroupId, State = nameof(ConsumerGroupState.Dead), Members = Array.Empty<ConsumerGroupMember>() };
            return NotReported(d.GroupId, Reason(e.Code, e.Reason));
        }
        return new ConsumerGroupStatus
        {
            Group = d.GroupId,
            State = Enum.IsDefined(d.State) ? d.State.ToString() : nameof(ConsumerGroupState.Unknown),
            Members = (d.Members ?? new List<MemberDescription>()).Select(m => new ConsumerGroupMember
            {
                MemberId = m.ConsumerId ?? "",
                GroupInstanceId = string.IsNullOrEmpty(m.GroupInstanceId) ? null : m.GroupInstanceId,
                ClientId = m.ClientId ?? "",
                Host = m.Host ?? "",
                AssignedPartitions = (m.Assignment?.TopicPartitions ?? new List<TopicPartition>())
                    .Select(tp => new AssignedPartition(tp.Topic, tp.Partition.Value))
                    .OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)
                    .ToList(),
            }).OrderBy(m => m.ClientId, StringComparer.Ordinal).ThenBy(m => m.MemberId, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>Why a group was not described, in words an operator can act on, with the Kafka error code.</summary>
    internal static string Reason(ErrorCode code, string? reason)
    {
        var detail = $"{reason ?? code.ToString()} [{code}]";
        return code switch
        {
            ErrorCode.Local_UnsupportedFeature or ErrorCode.UnsupportedVersion or ErrorCode.Local_NotImplemented =>
                $"the broker does not serve DescribeConsumerGroups: {detail}",
            ErrorCode.GroupAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TopicAuthorizationFailed =>
                $"not authorized to describe the group (Kafka ACL: Describe on the group): {detail}",
            ErrorCode.Local_TimedOut or ErrorCode.Local_TimedOutQueue or ErrorCode.RequestTimedOut =>
                $"the group coordinator did not answer in time: {detail}",
            _ => detail,
        };
    }
}
