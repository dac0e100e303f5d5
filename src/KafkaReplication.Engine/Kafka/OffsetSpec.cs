namespace KafkaReplication.Engine.Kafka;

public enum OffsetSpecKind { Earliest, Latest, Timestamp }

/// <summary>Which offset of each partition to ask for: the first, the end (next to be written) or the first at a time.</summary>
public sealed class OffsetSpec
{
    private OffsetSpec(OffsetSpecKind kind, DateTimeOffset? timestamp)
    {
        Kind = kind;
        Timestamp = timestamp;
    }

    /// <summary>The log start offset (first offset still stored).</summary>
    public static OffsetSpec Earliest { get; } = new(OffsetSpecKind.Earliest, null);

    /// <summary>The end offset (high watermark): the offset the next record will get.</summary>
    public static OffsetSpec Latest { get; } = new(OffsetSpecKind.Latest, null);

    /// <summary>
    /// The first offset whose record timestamp is at or after <paramref name="timestamp"/>. Partitions with no such
    /// record answer their end offset, as <c>kafka-consumer-groups --reset-offsets --to-datetime</c> does.
    /// </summary>
    public static OffsetSpec AtTimestamp(DateTimeOffset timestamp) => new(OffsetSpecKind.Timestamp, timestamp);

    public OffsetSpecKind Kind { get; }
    public DateTimeOffset? Timestamp { get; }

    public override string ToString() => Kind == OffsetSpecKind.Timestamp ? $"Timestamp {Timestamp:O}" : Kind.ToString();
}
