using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Flows;

/// <summary>Picks a flow's connectors by role (Source, Checkpoint, Heartbeat) or name, as -Connector names them.</summary>
public static class ConnectorSelection
{
    /// <summary>The connectors picked by role or name, each once; all when none given.</summary>
    public static IReadOnlyList<FlowConnector> SelectConnectors(this FlowHandle flow, IReadOnlyCollection<string>? selection)
    {
        if (selection is null || selection.Count == 0) return flow.Connectors;
        var picked = new List<FlowConnector>();
        foreach (var s in selection)
        {
            var matches = flow.Connectors.Where(c => string.Equals(c.Role, s, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Name, s, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
                throw new ReplicationException(ReplicationErrorKind.NotFound, ErrorIds.ConnectorNotInFlow,
                    $"Flow '{flow.Name}' has no connector '{s}' (roles: {string.Join(", ", flow.Connectors.Select(c => c.Role).Distinct())}; names: {string.Join(", ", flow.Connectors.Select(c => c.Name))}).", s);
            picked.AddRange(matches.Where(m => !picked.Contains(m)));
        }
        return picked;
    }
}
