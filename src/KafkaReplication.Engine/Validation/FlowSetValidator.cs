using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Validation;

/// <summary>
/// Checks several flows together — a flow spread over several Connect clusters, the two directions of a bidirectional
/// flow, or a new flow against the flows already deployed: no topic replicated twice between the same clusters, no
/// prefixless loop, one alias per cluster, one group.id per Connect cluster. Each flow's own findings come from
/// <see cref="FlowValidator"/>; this reports only what involves two flows.
/// </summary>
public static class FlowSetValidator
{
    public static IReadOnlyList<ValidationFinding> Validate(IReadOnlyList<ReplicationFlowDefinition> flows, IReadOnlyList<string>? knownTopics = null)
    {
        var findings = new List<ValidationFinding>();
        foreach (var dup in flows.GroupBy(f => (f.Namespace, f.Name)).Where(g => g.Count() > 1))
            findings.Add(new(FindingSeverity.Error, "DuplicateFlow", $"Flow '{dup.Key.Name}' in namespace '{dup.Key.Namespace}' is given {dup.Count()} times.", dup.Key.Name));
        // Flows with errors of their own are reported by FlowValidator; their manifests would only add noise.
        var valid = flows.Where(f => FlowValidator.Validate(f).All(x => x.Severity != FindingSeverity.Error)).DistinctBy(f => (f.Namespace, f.Name)).ToList();
        var objects = valid.SelectMany(FlowManifestBuilder.Build).ToList();
        findings.AddRange(Across(objects, (a, b) => a != b, knownTopics));
        return findings;
    }

    /// <summary>A new flow's objects against objects read from the cluster (other flows): only findings that involve both.</summary>
    public static IReadOnlyList<ValidationFinding> AgainstDeployed(IReadOnlyList<ManifestObject> flow, IReadOnlyList<ManifestObject> deployed)
    {
        var mine = flow.Select(ConnectorView.FlowIdOf).ToHashSet();
        var others = deployed.Where(o => !mine.Contains(ConnectorView.FlowIdOf(o))).ToList();
        return Across(flow.Concat(others).ToList(), (a, b) => mine.Contains(a) != mine.Contains(b), null);
    }

    private static List<ValidationFinding> Across(IReadOnlyList<ManifestObject> objects, Func<string, string, bool> flowPairs, IReadOnlyList<string>? knownTopics)
    {
        var findings = new List<ValidationFinding>();
        TopologyChecks.Check(ConnectorView.Of(objects), objects, knownTopics ?? Array.Empty<string>(), flowPairs,
            (s, code, msg, target) => findings.Add(new(s, code, msg, target)));
        return findings;
    }
}
