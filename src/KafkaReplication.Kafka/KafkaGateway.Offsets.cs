using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using ConfluentOffsetSpec = Confluent.Kafka.Admin.OffsetSpec;
using OffsetSpec = KafkaReplication.Engine.Kafka.OffsetSpec;

namespace KafkaReplication.Kafka;

public sealed partial class KafkaGateway
{
    /// <summary>
    /// The offset of each partition for <paramref name="spec"/>. Partitions are split by leader into calls of at most
    /// <see cref="MaxPartitionsPerRequest"/>, run at most <see cref="MaxConcurrentRequests"/> at a time: one metadata
    /// request (skipped while recent leaders are known) plus about brokers × ⌈partitions per broker / batch⌉ ListOffsets
    /// requests, whatever the number of partitions. Unknown topics or partitions fail with NotFound.
    /// </summary>
    public async Task<IReadOnlyDictionary<(string Topic, int Partition), long>> GetOffsetsAsync(
        IEnumerable<(string Topic, int Partition)> partitions, OffsetSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(spec);
        var wanted = partitions.Distinct().ToList();
        if (wanted.Count == 0) return new Dictionary<(string, int), long>();

        return await RunAsync($"ListOffsets ({spec})", async (admin, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            var callsBefore = Requests.ListOffsetsCalls;
            var metadata = await MetadataForAsync(admin, wanted, token).ConfigureAwait(false);
            var withLeaders = WithLeaders(wanted, metadata);

            var offsets = await ListOffsetsAsync(admin, withLeaders, ToConfluent(spec), token).ConfigureAwait(false);
            if (spec.Kind == OffsetSpecKind.Timestamp)
            {
                // No record at or after the time: the partition's end offset, as the Kafka tools reset to.
                var noRecord = withLeaders.Where(p => offsets[(p.Topic, p.Partition)] < 0).ToList();
                if (noRecord.Count > 0)
                    foreach (var (key, end) in await ListOffsetsAsync(admin, noRecord, ConfluentOffsetSpec.Latest(), token).ConfigureAwait(false))
                        offsets[key] = end;
            }

            _log.Verbose($"Kafka: {spec} offsets of {wanted.Count} partitions in {Requests.ListOffsetsCalls - callsBefore} ListOffsets calls, " +
                         $"{Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms.");
            return (IReadOnlyDictionary<(string Topic, int Partition), long>)offsets;
        }, cancellationToken).ConfigureAwait(false);
    }

    private List<(string Topic, int Partition, int Leader)> WithLeaders(List<(string Topic, int Partition)> wanted, MetadataSnapshot metadata)
    {
        var missingTopics = wanted.Select(p => p.Topic).Distinct().Where(t => !metadata.Topics.ContainsKey(t)).ToList();
        if (missingTopics.Count > 0)
            throw new ReplicationException(ReplicationErrorKind.NotFound, "KafkaTopicNotFound",
                $"Kafka cluster {Settings} has no topic {Names(missingTopics)}.", missingTopics[0]);

        var result = new List<(string, int, int)>(wanted.Count);
        var missing = new List<string>();
        foreach (var (topic, partition) in wanted)
        {
            if (metadata.Find(topic, partition) is { } info) result.Add((topic, partition, info.LeaderId));
            else missing.Add($"{topic}[{partition}]");
        }
        if (missing.Count > 0)
            throw new ReplicationException(ReplicationErrorKind.NotFound, "KafkaPartitionNotFound",
                $"Kafka cluster {Settings} has no partition {Names(missing)}.", missing[0]);
        return result;
    }

    private static string Names(List<string> names) =>
        string.Join(", ", names.Take(5).Select(n => $"'{n}'")) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");

    private async Task<Dictionary<(string Topic, int Partition), long>> ListOffsetsAsync(IAdminClient admin,
        List<(string Topic, int Partition, int Leader)> partitions, ConfluentOffsetSpec spec, CancellationToken token)
    {
        var batches = ListOffsetsPlan.Split(partitions, MaxPartitionsPerRequest);
        using var slots = new SemaphoreSlim(MaxConcurrentRequests);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(token); // the first failure stops the calls not yet made
        token = failed.Token;
        var options = new ListOffsetsOptions { RequestTimeout = Settings.EffectiveRequestTimeout };

        async Task<ListOffsetsResult> OneCall(List<(string Topic, int Partition)> batch)
        {
            await slots.WaitAsync(token).ConfigureAwait(false);
            Requests.ListOffsetsStarted();
            try
            {
                var request = batch.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(p.Topic, p.Partition), OffsetSpec = spec });
                return await AwaitAsync(admin.ListOffsetsAsync(request, options), token).ConfigureAwait(false);
            }
            catch (ListOffsetsException e)
            {
                failed.Cancel();
                var partition = e.Result.ResultInfos.Select(r => r.TopicPartitionOffsetError).FirstOrDefault(r => r.Error.IsError);
                if (partition is null) throw;
                throw KafkaErrors.FromError(partition.Error.Code, partition.Error.Reason, Settings, "ListOffsets",
                    $"{partition.Topic}[{partition.Partition.Value}]", _lastBrokerError, e);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed.Cancel();
                throw;
            }
            finally
            {
                Requests.ListOffsetsEnded();
                slots.Release();
            }
        }

        var results = await Task.WhenAll(batches.Select(OneCall)).ConfigureAwait(false);
        var offsets = new Dictionary<(string, int), long>(partitions.Count);
        foreach (var info in results.SelectMany(r => r.ResultInfos))
        {
            var tpo = info.TopicPartitionOffsetError;
            if (tpo.Error.IsError)
                throw KafkaErrors.FromError(tpo.Error.Code, tpo.Error.Reason, Settings, "ListOffsets", $"{tpo.Topic}[{tpo.Partition.Value}]", _lastBrokerError);
            offsets[(tpo.Topic, tpo.Partition.Value)] = tpo.Offset.Value;
        }
        if (offsets.Count != partitions.Count && partitions.FirstOrDefault(p => !offsets.ContainsKey((p.Topic, p.Partition))) is { Topic: not null } lost)
            throw new ReplicationException(ReplicationErrorKind.OperationFailed, "KafkaOperationFailed",
                $"ListOffsets on Kafka cluster {Settings} gave no answer for {lost.Topic}[{lost.Partition}].", lost.Topic);
        return offsets;
    }

    private static ConfluentOffsetSpec ToConfluent(OffsetSpec spec) => spec.Kind switch
    {
        OffsetSpecKind.Earliest => ConfluentOffsetSpec.Earliest(),
        OffsetSpecKind.Latest => ConfluentOffsetSpec.Latest(),
        OffsetSpecKind.Timestamp => ConfluentOffsetSpec.ForTimestamp(spec.Timestamp!.Value.ToUnixTimeMilliseconds()),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };
}
