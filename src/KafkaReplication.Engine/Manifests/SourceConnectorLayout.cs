using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Manifests;

/// <summary>
/// One MirrorSourceConnector of a flow with the names it gets. A flow without a source connector list has one, named
/// and configured exactly as the guide's single-connector flow (topics in the replication ConfigMap); a flow with a
/// list has one per entry, each with its own topics ConfigMap, as in "...multiple MirrorSourceConnector instances".
/// </summary>
public sealed record SourceConnectorLayout(
    string ConnectorName,
    string TopicsConfigMap,
    IReadOnlyList<string> Topics,
    int TasksMax,
    IReadOnlyList<ReplicationTransform> Transforms,
    SourceConnectorDefinition? Definition)
{
    public static IReadOnlyList<SourceConnectorLayout> Of(ReplicationFlowDefinition f)
    {
        var n = f.Names;
        if (!f.HasSourceConnectorList)
            return new[] { new SourceConnectorLayout(n.SourceConnector, n.ReplicationConfigMap, f.Topics, f.TasksMax, f.Transforms, null) };
        return f.SourceConnectors.Select(c => new SourceConnectorLayout(
            n.SourceConnectorOf(c.Name), n.TopicsConfigMapOf(c.Name), c.Topics, c.TasksMax ?? f.TasksMax, c.Transforms, c)).ToList();
    }
}
