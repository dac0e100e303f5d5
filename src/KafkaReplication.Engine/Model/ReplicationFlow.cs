namespace KafkaReplication.Engine.Model;

/// <summary>A deployed flow as found in the cluster by its labels, with the readiness its resources report.</summary>
public sealed record ReplicationFlow
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public string? ConnectCluster { get; init; }
    public string? SourceAlias { get; init; }
    public string? TargetAlias { get; init; }
    public ReplicationPolicy? ReplicationPolicy { get; init; }
    public int? ConnectReplicas { get; init; }
    /// <summary>The Strimzi release the flow was rendered for (its KafkaConnect's annotation); null for flows deployed before it was recorded.</summary>
    public string? StrimziVersion { get; init; }
    /// <summary>Ready condition of the KafkaConnect (null when it reports none yet).</summary>
    public bool? ConnectReady { get; init; }
    public string? ConnectReason { get; init; }
    public IReadOnlyList<ReplicationConnectorSummary> Connectors { get; init; } = Array.Empty<ReplicationConnectorSummary>();

    /// <summary>Ready when the Connect cluster and every connector report Ready.</summary>
    public bool Ready => ConnectReady == true && Connectors.Count > 0 && Connectors.All(c => c.Ready == true);
    public string ConnectorStates => string.Join(",", Connectors.Select(c => $"{c.Role}:{c.State ?? "?"}"));
}

/// <summary>One KafkaConnector of a flow with the state Connect reports through the resource's status.</summary>
public sealed record ReplicationConnectorSummary
{
    public required string Name { get; init; }
    public required string Role { get; init; }
    public string? ConnectorClass { get; init; }
    /// <summary>spec.state of the KafkaConnector (running, paused, stopped); running when not set.</summary>
    public string DesiredState { get; init; } = "running";
    /// <summary>status.connectorStatus.connector.state (RUNNING, PAUSED, STOPPED, FAILED, ...).</summary>
    public string? State { get; init; }
    public bool? Ready { get; init; }
    public string? Reason { get; init; }
    public int? TasksMax { get; init; }
}
