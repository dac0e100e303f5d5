namespace KafkaReplication.Engine.Model;

/// <summary>Kafka's compression.type values for the records a connector writes to the target.</summary>
public enum CompressionType { None, Gzip, Snappy, Lz4, Zstd }

/// <summary>
/// One of several MirrorSourceConnectors of a flow (the guide's "...multiple MirrorSourceConnector instances"): its own
/// topics (in its own ConfigMap) and its own replication settings. Connection settings, the replication policy and the
/// Connect cluster are the flow's.
/// </summary>
public sealed record SourceConnectorDefinition
{
    /// <summary>Short name: the KafkaConnector is &lt;flow&gt;-&lt;name&gt;-mirror-source-connector, its ConfigMap &lt;flow&gt;-&lt;name&gt;-replication.</summary>
    public required string Name { get; init; }
    public required IReadOnlyList<string> Topics { get; init; }
    /// <summary>tasksMax; null takes the flow's.</summary>
    public int? TasksMax { get; init; }
    /// <summary>producer.override.compression.type: how the records written to the target are compressed.</summary>
    public CompressionType? CompressionType { get; init; }
    /// <summary>replication.factor of the remote topics the connector creates (-1: the target's default).</summary>
    public int? ReplicationFactor { get; init; }
    /// <summary>offset.lag.max: how far a remote partition may fall behind before an offset sync is emitted (the offset-sync frequency).</summary>
    public int? OffsetLagMax { get; init; }
    public IReadOnlyList<ReplicationTransform> Transforms { get; init; } = Array.Empty<ReplicationTransform>();

    public override string ToString() => $"{Name} ({string.Join(",", Topics)})";
}
