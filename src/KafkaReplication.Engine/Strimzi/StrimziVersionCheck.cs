using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Strimzi;

/// <summary>
/// A deployed flow against the cluster's Strimzi (Test-ReplicationFlow -Name): the release it was rendered for (the
/// KafkaConnect's kafkareplication.io/strimzi-version; flows from before it was recorded were rendered for 0.43) and
/// what breaks when the cluster runs another one.
/// </summary>
public static class StrimziVersionCheck
{
    public static IReadOnlyList<ValidationFinding> AgainstCluster(IReadOnlyList<ManifestObject> objects, DetectedStrimzi cluster)
    {
        var findings = new List<ValidationFinding>();
        foreach (var kc in objects.Where(o => o.Kind == "KafkaConnect"))
        {
            var recorded = (string?)kc.Body["metadata"]?["annotations"]?[FlowLabels.StrimziVersionAnnotation];
            var rendered = StrimziVersion.TryParse(recorded) ?? StrimziVersion.Default;
            var what = recorded is null ? "was rendered before the module recorded the Strimzi release (so for 0.43)" : $"was rendered for Strimzi {rendered}";
            var connectors = objects.Where(o => o.Kind == "KafkaConnector" && o.Namespace == kc.Namespace
                && (string?)o.Body["metadata"]?["labels"]?["strimzi.io/cluster"] == kc.Name).ToList();
            var fix = "Deploy the flow again with New-ReplicationFlow (without -StrimziVersion) to render it for the cluster's Strimzi.";

            if (cluster.ServedApiVersions is { Count: > 0 } served && !served.Contains(StrimziApi.VersionOf(rendered.ApiVersion)))
            {
                findings.Add(new(FindingSeverity.Error, "RenderedForOtherStrimzi",
                    $"{kc.DisplayName} {what} ({rendered.ApiVersion}), but the cluster serves {StrimziApi.Group} only in {string.Join(", ", served)}. {fix}", kc.DisplayName));
                continue;
            }
            // Connectors that read the target's TLS or SASL settings from the worker file get placeholders from 0.46.
            var workerSecurityRefs = connectors.Any(c => (c.Body["spec"]?["config"] as JsonObject ?? new JsonObject())
                .Any(p => p.Value?.ToString() is { } v && v.Contains(ConfigRef.WorkerPropertiesFile, StringComparison.Ordinal)
                          && (v.Contains(":sasl.", StringComparison.Ordinal) || v.Contains(":ssl.", StringComparison.Ordinal))));
            var clusterVersion = cluster.VersionIsExact ? cluster.OperatorVersion! : null;
            if (workerSecurityRefs && clusterVersion is not null && !clusterVersion.WorkerFileHoldsSecurityValues)
                findings.Add(new(FindingSeverity.Error, "RenderedForOtherStrimzi",
                    $"{kc.DisplayName} {what}: its connectors read the target's TLS/SASL settings from {ConfigRef.WorkerPropertiesFile}, which Strimzi {clusterVersion} fills with config-provider placeholders, so they cannot connect to the target. {fix}", kc.DisplayName));
            else if (workerSecurityRefs && clusterVersion is null)
                findings.Add(new(FindingSeverity.Warning, "RenderedForOtherStrimzi",
                    $"{kc.DisplayName} {what}: its connectors read the target's TLS/SASL settings from {ConfigRef.WorkerPropertiesFile}, which holds the values only up to Strimzi 0.45, and the operator's release cannot be read here. {fix}", kc.DisplayName));
            else if (clusterVersion is not null && clusterVersion != rendered)
                findings.Add(new(FindingSeverity.Warning, "RenderedForOtherStrimzi",
                    $"{kc.DisplayName} {what}, the cluster runs Strimzi {clusterVersion}. {fix}", kc.DisplayName));
        }
        return findings;
    }
}
