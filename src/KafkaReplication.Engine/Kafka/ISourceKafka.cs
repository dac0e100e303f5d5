using KafkaReplication.Engine.Kafka;

namespace KafkaReplication.Engine.Kafka;

/// <summary>What the workflows need from the source Kafka cluster (implemented over Confluent.Kafka).</summary>
public interface ISourceKafka : IDisposable
{
    /// <summary>Partitions of the topics whose whole name matches one of the regexes (MirrorMaker's topic filter).</summary>
    Task<IReadOnlyList<(string Topic, int Partition)>> ListPartitionsAsync(IReadOnlyList<string> topicRegexes, CancellationToken ct);

    Task<IReadOnlyDictionary<(string Topic, int Partition), long>> GetOffsetsAsync(IReadOnlyCollection<(string Topic, int Partition)> partitions, OffsetSpec query, CancellationToken ct);

    /// <summary>
    /// The partitions holding at least one committed record in [From, To): offsets taken only by transaction markers
    /// (or aborted records) are not records, and MirrorMaker never replicates them.
    /// </summary>
    Task<IReadOnlySet<(string Topic, int Partition)>> PartitionsWithRecordsAsync(
        IReadOnlyDictionary<(string Topic, int Partition), (long From, long To)> ranges, CancellationToken ct);
}
