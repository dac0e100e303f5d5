namespace KafkaReplication.Engine.Manifests;

/// <summary>Labels on every object of a flow, so that all of them can be found again by selector.</summary>
public static class FlowLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Flow = "kafkareplication.io/flow";
    /// <summary>On a runbook's progress record; not the flow label, so that deploying the flow again does not prune it.</summary>
    public const string RunbookOf = "kafkareplication.io/runbook-of";
    /// <summary>Which part of the flow a connector plays (source, checkpoint, heartbeat).</summary>
    public const string ConnectorRole = "kafkareplication.io/connector-role";
    public const string SourceAliasAnnotation = "kafkareplication.io/source-alias";
    public const string TargetAliasAnnotation = "kafkareplication.io/target-alias";
    public const string PolicyAnnotation = "kafkareplication.io/replication-policy";
    /// <summary>On the KafkaConnect: the Strimzi release the flow was rendered for (Get-ReplicationFlow, Test-ReplicationFlow -Name).</summary>
    public const string StrimziVersionAnnotation = "kafkareplication.io/strimzi-version";
    public const string ManagerName = "KafkaReplication";
    public const string PartOfValue = "kafka-replication";
    /// <summary>The field manager name for server-side apply.</summary>
    public const string FieldManager = "KafkaReplication";

    /// <summary>
    /// Prefix of the per-flow label on a Namespace a flow created: namespace-owner.kafkareplication.io/&lt;flow&gt;=true.
    /// One key per flow, set by a merge patch after the apply (not in the applied body: with one field manager for all
    /// flows, the second flow's apply would prune the first one's key), so both flows of a pair that share a namespace
    /// keep theirs. The Namespace's kafkareplication.io/flow label names only the last flow that applied it.
    /// </summary>
    public const string NamespaceOwnerPrefix = "namespace-owner.kafkareplication.io/";

    public static string NamespaceOwner(string flow) => NamespaceOwnerPrefix + flow;

    public static string ManagedSelector => $"{ManagedBy}={ManagerName}";
    public static string FlowSelector(string flow) => $"{ManagedSelector},{Flow}={flow}";
}
