namespace KafkaReplication.Engine.Kafka;

/// <summary>A record's key and value as bytes, with where it was read.</summary>
public sealed record KafkaRecordBytes(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, DateTimeOffset Timestamp);
