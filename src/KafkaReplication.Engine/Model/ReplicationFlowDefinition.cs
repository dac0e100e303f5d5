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
    /// <summary>
    /// The Strimzi release the objects are rendered for (API version, KafkaConnect fields, where the connectors read the
    /// target's security settings). Null: the cluster's, detected when deploying; 0.43 (the guide's) when rendering to files.
    /// </summary>
    public Strimzi.StrimziVersion? StrimziVersion { get; init; }
    /// <summary>Name of the image-pull Secret in the flow namespace (the one created at operator install).</summary>
    public string? RegistrySecretName { get; init; }
    public string? RegistryServer { get; init; }
    public string? RegistryUserName { get; init; }
    public SecretValue? RegistryPassword { get; init; }
    /// <summary>source.consumer.auto.offset.reset: Latest replicates new partitions from their end (breaks at-least-once).</summary>
    public NewPartitionStart NewPartitionStart { get; init; } = NewPartitionStart.Earliest;
    public int? EmitCheckpointsIntervalSeconds { get; init; }
    public int? SyncGroupOffsetsIntervalSeconds { get; init; }
    /// <summary>New flows with exactly-once: worker exactly.once.source.support=enabled, source.consumer.isolation.level=read_committed.</summary>
    public bool ExactlyOnce { get; init; }
    /// <summary>Single Message Transforms of the source connector (of a flow without <see cref="SourceConnectors"/>).</summary>
    public IReadOnlyList<ReplicationTransform> Transforms { get; init; } = Array.Empty<ReplicationTransform>();
    /// <summary>Several MirrorSourceConnectors, each with its own topics and settings; empty: one connector for <see cref="Topics"/>.</summary>
    public IReadOnlyList<SourceConnectorDefinition> SourceConnectors { get; init; } = Array.Empty<SourceConnectorDefinition>();
    /// <summary>Requests and limits of the Connect pods; null leaves the operator's defaults.</summary>
    public ConnectResources? ConnectResources { get; init; }
    /// <summary>False sets emit.offset-syncs.enabled: false on the source connectors (KIP-1031; the guide's bidirectional setup).</summary>
    public bool EmitOffsetSyncs { get; init; } = true;

    /// <summary>
    /// The guide's "Replication monitoring": the Connect pods export JMX metrics to Prometheus (Strimzi's
    /// jmxPrometheusExporter, port 9404), with rules that yield the kafka_connect_mirror_* names the guide lists.
    /// </summary>
    public bool Metrics { get; init; }

    /// <summary>True when the flow has several source connectors (a common ConfigMap plus one ConfigMap per connector).</summary>
    public bool HasSourceConnectorList => SourceConnectors.Count > 0;

    /// <summary>Every topic pattern the flow replicates, over all its source connectors.</summary>
    public IReadOnlyList<string> AllTopics => HasSourceConnectorList
        ? SourceConnectors.SelectMany(c => c.Topics).Distinct(StringComparer.Ordinal).ToArray()
        : Topics;

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
        _flow = n;
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
    private readonly string _flow;

    /// <summary>KafkaConnector of one of several source connectors (guide: first-mirror-source-connector).</summary>
    public string SourceConnectorOf(string connector) => $"{_flow}-{connector}-mirror-source-connector";
    /// <summary>ConfigMap with the topics of one of several source connectors (guide: [***FIRST REPLICATION CONFIGMAP***]).</summary>
    public string TopicsConfigMapOf(string connector) => $"{_flow}-{connector}-replication";
    /// <summary>Volume (and /mnt folder) that carries the source truststore into the Connect pods.</summary>
    public string SourceTruststoreVolume => "source-truststore";
    public string SourceTruststoreMountPath => $"/mnt/{SourceTruststoreVolume}";
    /// <summary>ConfigMap with the JMX Prometheus exporter rules (read by the operator, not by the connectors).</summary>
    public string MetricsConfigMap => $"{_flow}-connect-metrics";

    /// <summary>What a list shows for the names (not the type name); each name is a property.</summary>
    public override string ToString() => $"{Namespace}/{ConnectCluster}, {_flow}-*";
}
