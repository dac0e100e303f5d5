namespace KafkaReplication.Engine.Model;

/// <summary>Where a new MirrorSourceConnector starts partitions that have no stored offset.</summary>
public enum NewPartitionStart { Earliest, Latest }

/// <summary>
/// Everything needed to deploy one replication flow (source → target) on its own Kafka Connect cluster.
/// Immutable; <see cref="FlowDefinitionFactory"/> fills defaults and validates it.
/// </summary>
public sealed record ReplicationFlowDefinition
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required ReplicationClusterReference Source { get; init; }
    public required ReplicationClusterReference Target { get; init; }
    public required IReadOnlyList<string> Topics { get; init; }
    /// <summary>Consumer-group regexes for the checkpoint connector; empty means MirrorMaker's default (all groups).</summary>
    public IReadOnlyList<string> Groups { get; init; } = Array.Empty<string>();
    public required string ConnectClusterName { get; init; }
    public ReplicationPolicy ReplicationPolicy { get; init; } = ReplicationPolicy.Default;
    public bool Heartbeat { get; init; } = true;
    public bool Checkpoint { get; init; } = true;
    public int TasksMax { get; init; } = 3;
    public int ConnectReplicas { get; init; } = 3;
    /// <summary>KafkaConnect spec.version; null leaves the operator's default.</summary>
    public string? KafkaVersion { get; init; }
    /// <summary>Name of the image-pull Secret in the flow namespace (the one created at operator install).</summary>
    public string? RegistrySecretName { get; init; }
    public string? RegistryServer { get; init; }
    public string? RegistryUserName { get; init; }
    public SecretValue? RegistryPassword { get; init; }
    /// <summary>source.consumer.auto.offset.reset: Latest replicates new partitions from their end (breaks at-least-once).</summary>
    public NewPartitionStart NewPartitionStart { get; init; } = NewPartitionStart.Earliest;
    public int? EmitCheckpointsIntervalSeconds { get; init; }
    public int? SyncGroupOffsetsIntervalSeconds { get; init; }

    /// <summary>The names of every object of the flow, derived in one place.</summary>
    public FlowObjectNames Names => new(this);

    /// <summary>Remote (target) topic name for a source topic under this flow's policy.</summary>
    public string TargetTopicFor(string sourceTopic) =>
        ReplicationPolicy == ReplicationPolicy.Identity ? sourceTopic : $"{Source.Alias}.{sourceTopic}";
}

/// <summary>Names of the Kubernetes objects of a flow. The single source of every name the manifests use.</summary>
public sealed class FlowObjectNames
{
    internal FlowObjectNames(ReplicationFlowDefinition f)
    {
        var n = f.Name;
        Namespace = f.Namespace;
        ConnectCluster = f.ConnectClusterName;
        SourceConfigMap = $"{n}-source";
        SourceSecret = $"{n}-source";
        TargetConfigMap = $"{n}-target";
        TargetPasswordSecret = $"{n}-target-password";
        TargetCaSecret = $"{n}-target-ca";
        ReplicationConfigMap = $"{n}-replication";
        Role = $"{n}-connector-configuration";
        RoleBinding = $"{n}-connector-configuration";
        SourceConnector = $"{n}-mirror-source-connector";
        CheckpointConnector = $"{n}-mirror-checkpoint-connector";
        HeartbeatConnector = $"{n}-mirror-heartbeat-connector";
        RegistrySecret = f.RegistrySecretName;
    }

    public string Namespace { get; }
    public string ConnectCluster { get; }
    /// <summary>Strimzi names the Connect ServiceAccount &lt;connect&gt;-connect; it is not configurable.</summary>
    public string ConnectServiceAccount => $"{ConnectCluster}-connect";
    public string SourceConfigMap { get; }
    public string SourceSecret { get; }
    public string TargetConfigMap { get; }
    public string TargetPasswordSecret { get; }
    public string TargetCaSecret { get; }
    public string ReplicationConfigMap { get; }
    public string Role { get; }
    public string RoleBinding { get; }
    public string SourceConnector { get; }
    public string CheckpointConnector { get; }
    public string HeartbeatConnector { get; }
    public string? RegistrySecret { get; }
    /// <summary>Volume (and /mnt folder) that carries the source truststore into the Connect pods.</summary>
    public string SourceTruststoreVolume => "source-truststore";
    public string SourceTruststoreMountPath => $"/mnt/{SourceTruststoreVolume}";
}
