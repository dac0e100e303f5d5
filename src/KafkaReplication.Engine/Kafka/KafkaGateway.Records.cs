using Confluent.Kafka;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kafka;

/// <summary>A record's key and value as bytes, with where it was read.</summary>
public sealed record KafkaRecordBytes(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, DateTimeOffset Timestamp);

public sealed partial class KafkaGateway
{
    /// <summary>
    /// Every record of a topic from its start to the end offsets taken when the call starts (records written later are
    /// not waited for). Assign-only consumer: no group joins, nothing is committed. A missing topic fails with
    /// KafkaTopicNotFound. Bounded by the request timeout per poll without progress, and cancellable.
    /// </summary>
    public async Task<IReadOnlyList<KafkaRecordBytes>> ReadTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        var partitions = await ListPartitionsExactAsync(topic, cancellationToken).ConfigureAwait(false);
        var ends = await GetOffsetsAsync(partitions, OffsetSpec.Latest, cancellationToken).ConfigureAwait(false);
        var starts = await GetOffsetsAsync(partitions, OffsetSpec.Earliest, cancellationToken).ConfigureAwait(false);
        var pending = partitions.Where(p => ends[p] > starts[p]).ToHashSet();
        var records = new List<KafkaRecordBytes>();
        if (pending.Count == 0) return records;

        var read = Task.Run(() =>
        {
            var config = new Dictionary<string, string>(Settings.Build())
            {
                // group.id is only there because the client wants one; assign() never joins and nothing is committed.
                ["group.id"] = "kafkareplication-reader",
                ["enable.auto.commit"] = "false",
                ["enable.partition.eof"] = "false",
            };
            using var consumer = new ConsumerBuilder<byte[], byte[]>(config)
                .SetLogHandler((_, m) => OnLog(m))
                .SetErrorHandler((_, e) => OnError(e))
                .Build();
            consumer.Assign(pending.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, starts[p])));
            var idleSince = DateTime.UtcNow;
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r is null || r.IsPartitionEOF)
                {
                    if (DateTime.UtcNow - idleSince > Settings.EffectiveRequestTimeout)
                        throw KafkaErrors.DeadlineExceeded(Settings, $"reading topic '{topic}'", _lastBrokerError, Settings.EffectiveRequestTimeout, reachedBefore: true);
                    continue;
                }
                idleSince = DateTime.UtcNow;
                var key = (r.Topic, r.Partition.Value);
                records.Add(new KafkaRecordBytes(r.Topic, r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Value,
                    r.Message.Timestamp.UtcDateTime));
                if (r.Offset.Value + 1 >= ends[key]) pending.Remove(key);
            }
            consumer.Close();
            return (IReadOnlyList<KafkaRecordBytes>)records;
        }, cancellationToken);
        // A cancelled caller stops waiting at once; the consumer closes on its own thread (its close can take seconds).
        try
        {
            return await AwaitAsync(read, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ReplicationException and not OperationCanceledException)
        {
            throw KafkaErrors.Map(e, Settings, $"reading topic '{topic}'", _lastBrokerError);
        }
    }

    /// <summary>The partitions of exactly this topic (internal topics included, unlike <see cref="ListPartitionsAsync"/>).</summary>
    public async Task<IReadOnlyList<(string Topic, int Partition)>> ListPartitionsExactAsync(string topic, CancellationToken cancellationToken = default)
    {
        var snapshot = await RunAsync("a metadata request", RefreshMetadataAsync, cancellationToken).ConfigureAwait(false);
        if (!snapshot.Topics.TryGetValue(topic, out var partitions) || partitions.Count == 0)
            throw new ReplicationException(ReplicationErrorKind.NotFound, "KafkaTopicNotFound", $"Kafka cluster {Settings} has no topic '{topic}'.", topic);
        return partitions.Select(p => p.Key).ToList();
    }
}
