namespace KafkaReplication.Engine.Model;

/// <summary>
/// A MirrorSourceConnector's stored offset for one source partition. Connect stores the LAST replicated source
/// offset (MirrorSourceTask commits the record's offset and seeks to offset+1 on start), so replication resumes at
/// <see cref="NextOffset"/> = stored + 1.
/// </summary>
public sealed record SourceOffset
{
    public required string Flow { get; init; }
    public required string Namespace { get; init; }
    public required string Connector { get; init; }
    /// <summary>The "cluster" field of the partition key: the source alias.</summary>
    public required string SourceAlias { get; init; }
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    /// <summary>The raw stored value ("offset" of the offset object): the last replicated offset.</summary>
    public long? StoredOffset { get; init; }
    /// <summary>Where replication of this partition resumes.</summary>
    public long? NextOffset => StoredOffset + 1;
    /// <summary>The partition key and offset value as the Connect REST API returned them.</summary>
    public required string Raw { get; init; }
}

/// <summary>Replication progress of one source partition.</summary>
public enum PartitionReplicationState { CaughtUp, Lagging, NotStarted }

/// <summary>One source partition of a flow: where replication stands against the source's offsets.</summary>
public sealed record ReplicationPartitionState
{
    public required string Flow { get; init; }
    public required string Namespace { get; init; }
    public required string Connector { get; init; }
    public required string SourceAlias { get; init; }
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    /// <summary>The remote topic on the target, per the flow's replication policy.</summary>
    public required string TargetTopic { get; init; }
    public long? LastReplicatedOffset { get; init; }
    /// <summary>Next source offset to replicate: last replicated + 1, or the start offset when nothing was replicated yet.</summary>
    public long NextOffset { get; init; }
    public long StartOffset { get; init; }
    public long EndOffset { get; init; }
    /// <summary>Records in the source not yet replicated: end − next (never below zero); 0 when the offsets from next to
    /// the end hold only transaction markers.</summary>
    public long Lag { get; init; }
    public PartitionReplicationState State { get; init; }
}

/// <summary>Per-topic (or per-flow) totals of <see cref="ReplicationPartitionState"/> rows.</summary>
public sealed record ReplicationStateSummary
{
    public required string Flow { get; init; }
    public required string Namespace { get; init; }
    /// <summary>The topic, or null for the flow's total.</summary>
    public string? Topic { get; init; }
    public int Partitions { get; init; }
    public int CaughtUp { get; init; }
    public int Lagging { get; init; }
    public int NotStarted { get; init; }
    public long Lag { get; init; }
}
