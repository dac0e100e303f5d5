using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Validation;

/// <summary>
/// Checks that look at several connectors (of one flow, of several flows, or of flows deployed on several Connect
/// clusters): a topic must be replicated by one MirrorSourceConnector only; two prefixless flows in opposite directions
/// loop unless both carry the loop filter; a cluster must have one alias everywhere; two Connect clusters on the same
/// target must not share a group.id.
/// </summary>
internal static class TopologyChecks
{
    /// <param name="flowPairs">Which pairs of flows (by <see cref="ConnectorView.FlowId"/>) to compare: all, only different flows, or new against deployed.</param>
    public static void Check(IReadOnlyList<ConnectorView> connectors, IReadOnlyList<ManifestObject> objects, IReadOnlyList<string> knownTopics,
        Func<string, string, bool> flowPairs, Action<FindingSeverity, string, string, string> add)
    {
        var sources = connectors.Where(c => c.IsSource && c.Topics is not null).ToList();
        for (var i = 0; i < sources.Count; i++)
            for (var j = i + 1; j < sources.Count; j++)
            {
                var (a, b) = (sources[i], sources[j]);
                if (!flowPairs(a.FlowId, b.FlowId)) continue;
                if (a.PairKey == b.PairKey)
                {
                    var collisions = Collisions(a, b, knownTopics);
                    if (collisions.Count > 0)
                        add(FindingSeverity.Error, "TopicOverlap",
                            $"{a.DisplayName} and {b.DisplayName} both replicate from '{a.PairKey.Item1}' to '{a.PairKey.Item2}' and their topic filters collide: " +
                            string.Join("; ", collisions.Select(x => $"'{x.A}' and '{x.B}' both match '{x.Witness}'")) +
                            ". A topic must be replicated by one MirrorSourceConnector only.", b.DisplayName);
                }
                else if (a.IsIdentity && b.IsIdentity && a.SourceAlias is not null && a.SourceAlias == b.TargetAlias && a.TargetAlias == b.SourceAlias
                    && !(a.HasLoopFilter && b.HasLoopFilter))
                {
                    var collisions = Collisions(a, b, knownTopics);
                    if (collisions.Count > 0)
                        add(FindingSeverity.Error, "ReplicationLoop",
                            $"{a.DisplayName} ({a.SourceAlias} -> {a.TargetAlias}) and {b.DisplayName} ({b.SourceAlias} -> {b.TargetAlias}) replicate prefixless in opposite directions over the same topics (e.g. '{collisions[0].Witness}'), " +
                            "and the IdentityReplicationPolicy cannot detect loops: records would be replicated forever. Give both the loop filter (New-ReplicationFlow -Bidirectional).", b.DisplayName);
                }
            }

        CheckAliases(connectors, flowPairs, add);
        CheckConnectGroups(objects, flowPairs, add);
    }

    private static List<(string A, string B, string Witness)> Collisions(ConnectorView a, ConnectorView b, IReadOnlyList<string> knownTopics)
    {
        var result = new List<(string, string, string)>();
        foreach (var pa in a.Topics!)
            foreach (var pb in b.Topics!)
                if (TopicOverlap.Witness(pa, pb, knownTopics) is { } w) result.Add((pa, pb, w));
        return result;
    }

    /// <summary>Aliases name clusters in remote topic names and loop headers: one cluster, one alias.</summary>
    private static void CheckAliases(IReadOnlyList<ConnectorView> connectors, Func<string, string, bool> flowPairs, Action<FindingSeverity, string, string, string> add)
    {
        var seen = connectors.SelectMany(c => new[] { (Servers: Norm(c.SourceBootstrap), Alias: c.SourceAlias, C: c), (Servers: Norm(c.TargetBootstrap), Alias: c.TargetAlias, C: c) })
            .Where(x => x.Servers is not null && x.Alias is not null).ToList();
        var reported = new HashSet<string>();
        foreach (var x in seen)
            foreach (var y in seen)
            {
                if (ReferenceEquals(x.C, y.C) || !flowPairs(x.C.FlowId, y.C.FlowId)) continue;
                var sameServers = x.Servers == y.Servers;
                if (sameServers == (x.Alias == y.Alias)) continue;
                var key = string.Join("|", new[] { x.C.DisplayName, y.C.DisplayName }.Order());
                if (!reported.Add(key)) continue;
                add(FindingSeverity.Error, "AliasMismatch", sameServers
                    ? $"The cluster at {x.Servers} is '{x.Alias}' for {x.C.DisplayName} but '{y.Alias}' for {y.C.DisplayName}: give a cluster the same alias in every flow, or remote topic names and loop headers will not match."
                    : $"Alias '{x.Alias}' names the cluster at {x.Servers} for {x.C.DisplayName} but the cluster at {y.Servers} for {y.C.DisplayName}: one alias must name one cluster.", y.C.DisplayName);
            }
    }

    /// <summary>Connect workers with the same group.id on the same Kafka cluster form one Connect cluster.</summary>
    private static void CheckConnectGroups(IReadOnlyList<ManifestObject> objects, Func<string, string, bool> flowPairs, Action<FindingSeverity, string, string, string> add)
    {
        var connects = objects.Where(o => o.Kind == Kinds.KafkaConnect).ToList();
        for (var i = 0; i < connects.Count; i++)
            for (var j = i + 1; j < connects.Count; j++)
            {
                var (a, b) = (connects[i], connects[j]);
                if (!flowPairs(ConnectorView.FlowIdOf(a), ConnectorView.FlowIdOf(b))) continue;
                if (Norm((string?)a.Body["spec"]?["bootstrapServers"]) != Norm((string?)b.Body["spec"]?["bootstrapServers"])) continue;
                var ga = GroupId(a);
                if (ga is not null && ga == GroupId(b))
                    add(FindingSeverity.Error, "ConnectGroupShared",
                        $"{a.DisplayName} and {b.DisplayName} use group.id '{ga}' on the same Kafka cluster: their workers would join one Connect cluster and share its internal topics. Give each Connect cluster its own name (-ConnectClusterName).", b.DisplayName);
            }
    }

    /// <summary>spec.groupId (Strimzi v1) or spec.config group.id (v1beta2).</summary>
    private static string? GroupId(ManifestObject connect) =>
        connect.Body["spec"]?["groupId"]?.ToString() ?? connect.Body["spec"]?["config"]?["group.id"]?.ToString();

    private static string? Norm(string? servers) => servers is null ? null
        : string.Join(",", servers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).OrderBy(x => x, StringComparer.OrdinalIgnoreCase)).ToLowerInvariant();
}
