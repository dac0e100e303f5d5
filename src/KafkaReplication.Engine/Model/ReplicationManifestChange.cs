namespace KafkaReplication.Engine.Model;

/// <summary>What applying (or removing) a flow did to one Kubernetes object. Lists changed paths, never values.</summary>
public sealed record ReplicationManifestChange
{
    public required string Flow { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public string? Namespace { get; init; }
    public required ManifestAction Action { get; init; }
    /// <summary>True when the change was only planned (-WhatIf, or declined at a prompt).</summary>
    public bool WhatIf { get; init; }
    /// <summary>JSON paths that differ between the desired and the live object (for Update).</summary>
    public IReadOnlyList<string> ChangedPaths { get; init; } = Array.Empty<string>();
    public string? Note { get; init; }

    public string DisplayName => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
