namespace KafkaReplication.Engine.Monitoring;

/// <summary>One exported metric of a flow's Connect pod, with what it is about pulled out of its labels.</summary>
public sealed record ReplicationMetric
{
    public required string Flow { get; init; }
    public required string Pod { get; init; }
    public required string Name { get; init; }
    public required double Value { get; init; }
    public string? Topic { get; init; }
    public int? Partition { get; init; }
    public string? Group { get; init; }
    public string? Connector { get; init; }
    public string? Task { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
}
