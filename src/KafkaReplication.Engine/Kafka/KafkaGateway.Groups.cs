using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kafka;

public sealed partial class KafkaGateway
{
    /// <summary>
    /// A consumer group's committed offset of each given partition; null where the group has none. The partitions are
    /// explicit: listing a group's partitions or groups is not done here (and crashes librdkafka's mock cluster).
    /// </summary>
    public async Task<IReadOnlyDictionary<(string Topic, int Partition), long?>> GetCommittedOffsetsAsync(
        string group, IEnumerable<(string Topic, int Partition)> partitions, CancellationToken cancellationToken = default)
    {
        ValidateGroup(group);
        ArgumentNullException.ThrowIfNull(partitions);
        var wanted = partitions.Distinct().Select(p => new TopicPartition(p.Topic, p.Partition)).ToList();
        if (wanted.Count == 0) return new Dictionary<(string, int), long?>();

        return await RunAsync($"ListConsumerGroupOffsets ({group})", async (admin, token) =>
        {
            Requests.ListGroupOffsets();
            List<ListConsumerGroupOffsetsResult> results;
            try
            {
                results = await AwaitAsync(admin.ListConsumerGroupOffsetsAsync(new[] { new ConsumerGroupTopicPartitions(group, wanted) },
                    new ListConsumerGroupOffsetsOptions { RequestTimeout = Settings.RequestTimeout }), token).ConfigureAwait(false);
            }
            catch (ListConsumerGroupOffsetsException e)
            {
                throw GroupError(e.Results.Select(r => (r.Error, r.Partitions)), "ListConsumerGroupOffsets", group, e);
            }
            var offsets = new Dictionary<(string Topic, int Partition), long?>(wanted.Count);
            foreach (var p in results.SelectMany(r => r.Partitions))
            {
                if (p.Error.IsError) throw GroupError(new[] { (p.Error, new List<TopicPartitionOffsetError> { p }) }, "ListConsumerGroupOffsets", group, null);
                offsets[(p.Topic, p.Partition.Value)] = p.Offset.Value >= 0 ? p.Offset.Value : null;
            }
            return (IReadOnlyDictionary<(string Topic, int Partition), long?>)offsets;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets a consumer group's committed offsets (the offset is the next record the group will read). Kafka accepts
    /// this only while the group has no active members; otherwise PreconditionFailed ("ConsumerGroupNotEmpty").
    /// </summary>
    public async Task AlterCommittedOffsetsAsync(string group, IReadOnlyDictionary<(string Topic, int Partition), long> offsets,
        CancellationToken cancellationToken = default)
    {
        ValidateGroup(group);
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.FirstOrDefault(o => o.Value < 0) is { Key.Topic: not null } negative)
            throw ReplicationException.Invalid("InvalidOffset",
                $"Offset {negative.Value} for {negative.Key.Topic}[{negative.Key.Partition}] is negative; committed offsets start at 0.", negative.Key);
        if (offsets.Count == 0) return;

        var list = offsets.Select(o => new TopicPartitionOffset(o.Key.Topic, o.Key.Partition, o.Value)).ToList();
        await RunAsync($"AlterConsumerGroupOffsets ({group})", async (admin, token) =>
        {
            Requests.AlterGroupOffsets();
            try
            {
                var results = await AwaitAsync(admin.AlterConsumerGroupOffsetsAsync(new[] { new ConsumerGroupTopicPartitionOffsets(group, list) },
                    new AlterConsumerGroupOffsetsOptions { RequestTimeout = Settings.RequestTimeout }), token).ConfigureAwait(false);
                _log.Verbose($"Kafka: committed offsets of group '{group}' set for {results.Sum(r => r.Partitions.Count)} partitions.");
                return true;
            }
            catch (AlterConsumerGroupOffsetsException e)
            {
                throw GroupError(e.Results.Select(r => (r.Error, r.Partitions)), "AlterConsumerGroupOffsets", group, e);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateGroup(string group)
    {
        if (string.IsNullOrWhiteSpace(group))
            throw ReplicationException.Invalid("ConsumerGroupRequired", "Give a consumer group id.");
    }

    /// <summary>The group-level error if there is one, else the first partition's.</summary>
    private ReplicationException GroupError(IEnumerable<(Error Error, List<TopicPartitionOffsetError> Partitions)> reports,
        string operation, string group, Exception? inner)
    {
        foreach (var (error, partitions) in reports)
        {
            if (error.IsError)
                return KafkaErrors.FromError(error.Code, error.Reason, Settings, operation, $"group '{group}'", _lastBrokerError, inner);
            if (partitions.FirstOrDefault(p => p.Error.IsError) is { } p)
                return KafkaErrors.FromError(p.Error.Code, p.Error.Reason, Settings, operation,
                    $"group '{group}', {p.Topic}[{p.Partition.Value}]", _lastBrokerError, inner);
        }
        return new ReplicationException(ReplicationErrorKind.OperationFailed, "KafkaOperationFailed",
            $"{operation} for group '{group}' on Kafka cluster {Settings} failed: {inner?.Message}", group, inner);
    }
}
