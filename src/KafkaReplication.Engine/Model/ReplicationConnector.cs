namespace KafkaReplication.Engine.Model;

/// <summary>A connector of a flow as Kafka Connect and the KafkaConnector resource report it.</summary>
public sealed record ReplicationConnector
{
    public required string Flow { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>The connector's name again, so piped connectors bind to -Connector of the other cmdlets.</summary>
    public string Connector => Name;
    public required string Role { get; init; }
    /// <summary>spec.state of the KafkaConnector: running, paused or stopped.</summary>
    public required string DesiredState { get; init; }
    /// <summary>Connect's connector state (RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING).</summary>
    public string? State { get; init; }
    public string? WorkerId { get; init; }
    public string? Trace { get; init; }
    public IReadOnlyList<ReplicationConnectorTask> Tasks { get; init; } = Array.Empty<ReplicationConnectorTask>();
    /// <summary>The KafkaConnector's conditions, as "Type=Status (Reason)".</summary>
    public IReadOnlyList<string> Conditions { get; init; } = Array.Empty<string>();
    public int FailedTasks => Tasks.Count(t => t.State == "FAILED");
    public bool Failed => State == "FAILED" || FailedTasks > 0;
}

public sealed record ReplicationConnectorTask(int Id, string State, string? WorkerId, string? Trace);
