namespace KafkaReplication.Engine.Model;

/// <summary>What applying (or removing) a flow did to one Kubernetes object. Lists changed paths, never values.</summary>
public sealed record ReplicationManifestChange
{
    public required string Flow { get; init; }
    public required string Kind { get; init; }
    /// <summary>Name of the Kubernetes object (the flow's name is <see cref="Flow"/>).</summary>
    public required string ObjectName { get; init; }
    public string? Namespace { get; init; }
    public required ManifestAction Action { get; init; }
    /// <summary>JSON paths that differ between the desired and the live object (for Update).</summary>
    public IReadOnlyList<string> ChangedPaths { get; init; } = Array.Empty<string>();
    public string? Note { get; init; }

    public string DisplayName => Namespace is null ? $"{Kind} {ObjectName}" : $"{Kind} {Namespace}/{ObjectName}";
}
