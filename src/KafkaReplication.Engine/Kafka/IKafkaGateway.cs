namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// The engine's access to one Kafka cluster: topic partitions, offsets, records and consumer-group offsets. Made by
/// <see cref="KafkaClients.Create"/>; implemented over Confluent.Kafka in KafkaReplication.Kafka, which lives in a
/// collectible context of its own, so only engine types cross this interface. Every operation is bounded by
/// <see cref="KafkaClientSettings.EffectiveRequestTimeout"/> and cancellable; errors come out as
/// <see cref="Model.ReplicationException"/>. Safe for concurrent use.
/// </summary>
public interface IKafkaGateway : IDisposable
{
    KafkaClientSettings Settings { get; }

    /// <summary>What this client asked the cluster for, by kind (benchmarks and tests read it).</summary>
    KafkaRequestCounters Requests { get; }

    /// <summary>
    /// Whether a later invocation may use this gateway: not disposed, nothing in flight, and no call failed, timed out
    /// or was cancelled.
    /// </summary>
    bool IsReusable { get; }

    /// <summary>
    /// Partitions of the topics whose whole name matches one of the regexes (MirrorMaker's topic filter); internal
    /// topics are left out.
    /// </summary>
    Task<IReadOnlyList<KafkaPartitionInfo>> ListPartitionsAsync(IEnumerable<string> topicRegexes, CancellationToken cancellationToken = default);

    /// <summary>The partitions of exactly this topic (internal topics included).</summary>
    Task<IReadOnlyList<(string Topic, int Partition)>> ListPartitionsExactAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>The offset of each partition for <paramref name="spec"/>. Unknown topics or partitions fail with NotFound.</summary>
    Task<IReadOnlyDictionary<(string Topic, int Partition), long>> GetOffsetsAsync(
        IEnumerable<(string Topic, int Partition)> partitions, OffsetSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Every committed record of a topic from its start to the end offsets taken when the call starts.</summary>
    Task<IReadOnlyList<KafkaRecordBytes>> ReadTopicAsync(string topic, CancellationToken cancellationToken = default);

    /// <summary>
    /// The partitions that hold at least one committed record in [From, To): offsets taken only by transaction markers
    /// (or aborted records) are not records, and MirrorMaker never replicates them.
    /// </summary>
    Task<IReadOnlySet<(string Topic, int Partition)>> PartitionsWithRecordsAsync(
        IReadOnlyDictionary<(string Topic, int Partition), (long From, long To)> ranges, CancellationToken cancellationToken = default);

    /// <summary>A consumer group's committed offset of each given partition; null where the group has none.</summary>
    Task<IReadOnlyDictionary<(string Topic, int Partition), long?>> GetCommittedOffsetsAsync(
        string group, IEnumerable<(string Topic, int Partition)> partitions, CancellationToken cancellationToken = default);

    /// <summary>
    /// The state and members of explicit consumer groups, one entry per group; what the broker does not report comes
    /// back not reported, with the reason.
    /// </summary>
    Task<IReadOnlyDictionary<string, ConsumerGroupStatus>> DescribeGroupsAsync(IReadOnlyCollection<string> groups,
        CancellationToken cancellationToken = default);

    /// <summary>Sets a consumer group's committed offsets (accepted only while the group has no active members).</summary>
    Task AlterCommittedOffsetsAsync(string group, IReadOnlyDictionary<(string Topic, int Partition), long> offsets,
        CancellationToken cancellationToken = default);
}

/// <summary>
/// Implemented by KafkaReplication.Kafka's factory, which <see cref="KafkaClients"/> finds by name and makes with the
/// context's <see cref="ClosingClients"/>.
/// </summary>
public interface IKafkaGatewayFactory
{
    IKafkaGateway Create(KafkaClientSettings settings, IOperationLog? log, RequestLimits? limits);
}
