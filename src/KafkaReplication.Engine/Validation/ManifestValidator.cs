using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Validation;

/// <summary>
/// Checks a set of flow objects (rendered by this module, read from a YAML file written by hand, or read from a
/// cluster) for the mistakes the guide warns about: a Role that does not cover a referenced ConfigMap or Secret,
/// a RoleBinding to the wrong ServiceAccount, a missing key, different replication policies across connectors,
/// a checkpoint connector without group sync, a Connect cluster that does not depend on the target; transforms
/// (<see cref="TransformChecks"/>), and across connectors and flows: overlapping topic filters, prefixless loops,
/// aliases and shared Connect groups (<see cref="TopologyChecks"/>).
/// </summary>
public static partial class ManifestValidator
{
    [GeneratedRegex(@"\$\{(cfmap|secret):([^/}]+)/([^:}]+):([^}]+)\}")]
    private static partial Regex ProviderRef();

    [GeneratedRegex(@"\$\{file:([^:}]+):([^}]+)\}")]
    private static partial Regex FileRef();

    private const string DefaultPolicy = "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";

    /// <param name="knownTopics">Topic names that exist, tried as witnesses when topic filters are compared.</param>
    public static IReadOnlyList<ValidationFinding> Validate(IReadOnlyList<ManifestObject> objects, string? targetBootstrapServers = null, IReadOnlyList<string>? knownTopics = null)
    {
        var findings = new List<ValidationFinding>();
        void Add(FindingSeverity s, string code, string msg, string target) => findings.Add(new(s, code, msg, target));

        var connects = objects.Where(o => o.Kind == Kinds.KafkaConnect).ToList();
        var connectors = objects.Where(o => o.Kind == Kinds.KafkaConnector).ToList();
        var roles = objects.Where(o => o.Kind == Kinds.Role).ToList();
        var bindings = objects.Where(o => o.Kind == Kinds.RoleBinding).ToList();
        var views = ConnectorView.Of(objects);

        foreach (var kc in connects)
        {
            var annotation = (string?)kc.Body["metadata"]?["annotations"]?["strimzi.io/use-connector-resources"];
            if (annotation != "true")
                Add(FindingSeverity.Error, "ConnectorResourcesDisabled", $"{kc.DisplayName} lacks the annotation strimzi.io/use-connector-resources: \"true\"; the operator ignores its KafkaConnector resources.", kc.DisplayName);
            var bootstrap = (string?)kc.Body["spec"]?["bootstrapServers"];
            if (targetBootstrapServers is not null && !SameServers(bootstrap, targetBootstrapServers))
                Add(FindingSeverity.Error, "ConnectNotOnTarget", $"{kc.DisplayName} uses bootstrapServers '{bootstrap}', but a replication Connect cluster must depend on the target cluster ({targetBootstrapServers}).", kc.DisplayName);
            // The source cluster as the flow's own connectors read it (other flows may share the namespace).
            foreach (var v in views.Where(v => v.Connect == kc && v.SourceBootstrap is not null).DistinctBy(v => v.SourceBootstrap))
                if (SameServers(bootstrap, v.SourceBootstrap))
                    Add(FindingSeverity.Error, "ConnectNotOnTarget", $"{kc.DisplayName} is bootstrapped on the source cluster ({v.SourceBootstrap}, read by {v.DisplayName}); it must depend on the target cluster.", kc.DisplayName);
        }

        var policies = new Dictionary<(string, string?), ConnectorView>();
        foreach (var view in views)
        {
            var c = view.Object;
            var ns = c.Namespace ?? "";
            var clusterLabel = (string?)c.Body["metadata"]?["labels"]?["strimzi.io/cluster"];
            var connect = connects.FirstOrDefault(k => k.Name == clusterLabel && k.Namespace == c.Namespace);
            if (clusterLabel is null)
                Add(FindingSeverity.Error, "ConnectClusterLabelMissing", $"{c.DisplayName} has no strimzi.io/cluster label, so no Connect cluster runs it.", c.DisplayName);
            else if (connect is null && connects.Count > 0)
                Add(FindingSeverity.Error, "UnknownConnectCluster", $"{c.DisplayName} names Connect cluster '{clusterLabel}', which is not part of this flow.", c.DisplayName);

            var config = c.Body["spec"]?["config"] as JsonObject ?? new JsonObject();
            var providers = ConfigProviders(connect);
            foreach (var (key, value) in config)
            {
                var text = value?.ToString() ?? "";
                foreach (Match m in ProviderRef().Matches(text))
                    CheckProviderRef(c, key, m, connect, providers, objects, roles, bindings, Add);
                foreach (Match m in FileRef().Matches(text))
                {
                    if (connect is not null && !providers.Contains("file"))
                        Add(FindingSeverity.Error, "ConfigProviderMissing", $"{c.DisplayName} '{key}' uses the 'file' config provider, which {connect.DisplayName} does not enable.", c.DisplayName);
                    if (connect is not null && m.Groups[1].Value == ConfigRef.WorkerPropertiesFile && !WorkerFileHasKey(connect, m.Groups[2].Value))
                        Add(FindingSeverity.Error, "WorkerKeyMissing", $"{c.DisplayName} '{key}' reads '{m.Groups[2].Value}' from the worker properties, which Strimzi writes only when {connect.DisplayName} configures the matching TLS or authentication.", c.DisplayName);
                }
            }

            var cls = (string?)c.Body["spec"]?["class"];
            var connectorPolicy = Resolve((string?)config["replication.policy.class"]?.ToString(), objects) ?? DefaultPolicy;
            // One policy per flow, that is per Connect cluster; other flows in the same set may use another.
            if (!policies.TryGetValue(view.ClusterKey, out var first)) policies[view.ClusterKey] = view;
            else if (first.Policy != view.Policy)
                Add(FindingSeverity.Error, "PolicyMismatch", $"{c.DisplayName} uses replication policy {connectorPolicy}, but {first.DisplayName} uses {first.Policy}: every connector of a flow must use the same policy.", c.DisplayName);

            var clusterConnectors = views.Where(v => v.ClusterKey == view.ClusterKey).ToList();
            if (view.IsSource)
                TransformChecks.Check(view, clusterConnectors.Any(v => v.Class == FlowManifestBuilder.HeartbeatConnectorClass), Add);
            else if (view.Transforms.Count > 0)
                TransformChecks.Check(view, heartbeatsFlow: false, Add);
            if (cls == FlowManifestBuilder.CheckpointConnectorClass && view.Topics is { } covered)
            {
                var missing = clusterConnectors.Where(v => v.IsSource).SelectMany(v => v.Topics ?? Array.Empty<string>()).Except(covered, StringComparer.Ordinal).Distinct().ToList();
                if (missing.Count > 0)
                    Add(FindingSeverity.Warning, "CheckpointTopicsIncomplete", $"{c.DisplayName} does not cover the topics {string.Join(", ", missing.Select(m => $"'{m}'"))} of the flow's source connectors: their consumer groups get no checkpoints. List every source connector's topics ConfigMap in its 'topics'.", c.DisplayName);
            }

            if (cls == FlowManifestBuilder.CheckpointConnectorClass)
            {
                var sync = config["sync.group.offsets.enabled"]?.ToString();
                if (!string.Equals(sync, "true", StringComparison.OrdinalIgnoreCase))
                    Add(FindingSeverity.Error, "CheckpointWithoutGroupSync", $"{c.DisplayName} does not set sync.group.offsets.enabled: true; group offset synchronisation is required in every flow that has a checkpoint connector.", c.DisplayName);
            }
        }

        TopologyChecks.Check(views, objects, knownTopics ?? Array.Empty<string>(), (_, _) => true, Add);
        StrimziSchemaChecks.Check(objects, Add);

        foreach (var b in bindings)
        {
            var subject = b.Body["subjects"]?.AsArray().FirstOrDefault();
            var sa = (string?)subject?["name"];
            var expected = connects.Where(k => k.Namespace == b.Namespace).Select(k => $"{k.Name}-connect").ToList();
            if (expected.Count > 0 && !expected.Contains(sa ?? ""))
                Add(FindingSeverity.Error, "ServiceAccountMismatch", $"{b.DisplayName} binds ServiceAccount '{sa}', but Strimzi names the Connect ServiceAccount '{expected[0]}' (the Connect cluster name with '-connect').", b.DisplayName);
            var roleRef = (string?)b.Body["roleRef"]?["name"];
            if (roles.Count > 0 && roles.All(r => r.Name != roleRef || r.Namespace != b.Namespace))
                Add(FindingSeverity.Error, "UnknownRole", $"{b.DisplayName} refers to Role '{roleRef}', which is not part of this flow.", b.DisplayName);
        }
        return findings;
    }

    private static void CheckProviderRef(ManifestObject connector, string key, Match m, ManifestObject? connect, HashSet<string> providers,
        IReadOnlyList<ManifestObject> objects, List<ManifestObject> roles, List<ManifestObject> bindings, Action<FindingSeverity, string, string, string> add)
    {
        var provider = m.Groups[1].Value;
        var (ns, name, dataKey) = (m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
        var kind = provider == "cfmap" ? Kinds.ConfigMap : Kinds.Secret;
        var resource = provider == "cfmap" ? "configmaps" : "secrets";
        var where = $"{connector.DisplayName} '{key}'";
        if (connect is not null && !providers.Contains(provider))
            add(FindingSeverity.Error, "ConfigProviderMissing", $"{where} uses the '{provider}' config provider, which {connect.DisplayName} does not enable.", connector.DisplayName);

        var target = objects.FirstOrDefault(o => o.Kind == kind && o.Name == name && o.Namespace == ns);
        if (target is null)
            add(FindingSeverity.Error, "ReferencedObjectMissing", $"{where} reads {kind} {ns}/{name}, which is not part of the flow.", connector.DisplayName);
        else if (target.Body["data"]?[dataKey] is null && target.Body["stringData"]?[dataKey] is null)
            add(FindingSeverity.Error, "ReferencedKeyMissing", $"{where} reads key '{dataKey}' of {kind} {ns}/{name}, which has no such key.", connector.DisplayName);

        if (connect is null || roles.Count == 0) return;
        var sa = $"{connect.Name}-connect";
        var covering = roles.Where(r => r.Namespace == ns && RoleGrants(r, resource, name)).ToList();
        var bound = covering.Any(r => bindings.Any(b => b.Namespace == ns && (string?)b.Body["roleRef"]?["name"] == r.Name
            && b.Body["subjects"]!.AsArray().Any(s => (string?)s?["kind"] == Kinds.ServiceAccount && (string?)s?["name"] == sa)));
        if (!bound)
            add(FindingSeverity.Error, "RoleMissingReference", $"{where} reads {kind} {ns}/{name}, but no Role bound to ServiceAccount '{sa}' grants 'get' on it.", connector.DisplayName);
    }

    private static bool RoleGrants(ManifestObject role, string resource, string name) =>
        role.Body["rules"]?.AsArray().Any(rule =>
            Contains(rule?["resources"], resource) && Contains(rule?["verbs"], "get")
            && (rule?["resourceNames"] is null || Contains(rule["resourceNames"], name))) == true;

    private static bool Contains(JsonNode? array, string value) =>
        array is JsonArray a && a.Any(x => (string?)x == value || (string?)x == "*");

    private static HashSet<string> ConfigProviders(ManifestObject? connect)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var config = connect?.Body["spec"]?["config"];
        var list = config?["config.providers"]?.ToString();
        if (list is null) return result;
        foreach (var p in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (config?[$"config.providers.{p}.class"] is not null) result.Add(p);
        return result;
    }

    /// <summary>Keys Strimzi writes into /tmp/strimzi-connect.properties for the KafkaConnect's TLS and authentication.</summary>
    private static bool WorkerFileHasKey(ManifestObject connect, string key)
    {
        var spec = connect.Body["spec"];
        var tls = spec?["tls"] is not null;
        var auth = (string?)spec?["authentication"]?["type"];
        var sasl = auth is "plain" or "scram-sha-256" or "scram-sha-512" or "oauth";
        return key switch
        {
            "bootstrap.servers" or "security.protocol" => true,
            "ssl.truststore.location" or "ssl.truststore.password" or "ssl.truststore.type" => tls,
            "sasl.mechanism" or "sasl.jaas.config" => sasl,
            _ => true,
        };
    }

    private static string? Resolve(string? value, IReadOnlyList<ManifestObject> objects)
    {
        if (value is null) return null;
        var m = ProviderRef().Match(value);
        if (!m.Success || m.Groups[1].Value != "cfmap") return value;
        var cm = objects.FirstOrDefault(o => o.Kind == Kinds.ConfigMap && o.Namespace == m.Groups[2].Value && o.Name == m.Groups[3].Value);
        return cm?.Body["data"]?[m.Groups[4].Value]?.ToString() ?? DefaultPolicy;
    }

    private static bool SameServers(string? a, string? b)
    {
        static string Norm(string? s) => string.Join(",", (s ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).OrderBy(x => x, StringComparer.OrdinalIgnoreCase)).ToLowerInvariant();
        return Norm(a) == Norm(b);
    }
}
