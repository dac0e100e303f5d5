using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kafka;

/// <summary>The workflows' view of the source cluster, over <see cref="IKafkaGateway"/>.</summary>
public sealed class SourceKafka(IKafkaGateway gateway) : ISourceKafka
{
    public IKafkaGateway Gateway => gateway;

    public static SourceKafka Create(ReplicationClusterReference cluster, string? bootstrapOverride, IReadOnlyDictionary<string, string>? extraConfig, IOperationLog log) =>
        new(KafkaClients.Shared.Create(new KafkaClientSettings(cluster)
        {
            BootstrapServersOverride = bootstrapOverride,
            BootstrapServersParameter = "-SourceBootstrapServers",
            ExtraConfig = extraConfig ?? new Dictionary<string, string>(),
        }, log));

    public async Task<IReadOnlyList<(string Topic, int Partition)>> ListPartitionsAsync(IReadOnlyList<string> topicRegexes, CancellationToken ct) =>
        (await gateway.ListPartitionsAsync(topicRegexes, ct).ConfigureAwait(false)).Select(p => p.Key).ToList();

    public Task<IReadOnlyDictionary<(string Topic, int Partition), long>> GetOffsetsAsync(IReadOnlyCollection<(string Topic, int Partition)> partitions, OffsetSpec query, CancellationToken ct) =>
        gateway.GetOffsetsAsync(partitions, query, ct);

    public Task<IReadOnlySet<(string Topic, int Partition)>> PartitionsWithRecordsAsync(
        IReadOnlyDictionary<(string Topic, int Partition), (long From, long To)> ranges, CancellationToken ct) =>
        gateway.PartitionsWithRecordsAsync(ranges, ct);

    public void Dispose() => gateway.Dispose();
}
