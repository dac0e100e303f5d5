using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.Engine.Kafka;

namespace KafkaReplication.Kafka;

/// <summary>Confluent's group descriptions and errors as the engine's <see cref="ConsumerGroupStatus"/>.</summary>
internal static class ConsumerGroupStatuses
{
    /// <summary>Maps Confluent's description of one group (which may carry the group's own error).</summary>
    internal static ConsumerGroupStatus From(ConsumerGroupDescription d)
    {
        if (d.Error is { IsError: true } e)
        {
            // Kafka's classic DescribeGroups answers Dead with no members for a group the coordinator does not know;
            // the newer ConsumerGroupDescribe (KIP-848) answers GROUP_ID_NOT_FOUND for it instead.
            if (e.Code == ErrorCode.GroupIdNotFound)
                return new ConsumerGroupStatus { Group = d.GroupId, State = nameof(ConsumerGroupState.Dead), Members = Array.Empty<ConsumerGroupMember>() };
            return ConsumerGroupStatus.NotReported(d.GroupId, Reason(e.Code, e.Reason));
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
