using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;

namespace KafkaReplication.Engine.Validation;

/// <summary>A transform of a connector as its config says, with config-provider references resolved where possible.</summary>
internal sealed record TransformView(string Name, string? Type, string? PredicateName, bool Negate, IReadOnlyDictionary<string, string> Settings);

/// <summary>A predicate of a connector as its config says.</summary>
internal sealed record PredicateView(string Name, string? Type, IReadOnlyDictionary<string, string> Settings);

/// <summary>
/// A KafkaConnector read for the checks that look at several connectors together: its aliases, clusters, policy and
/// topic filters, with <c>${cfmap:...}</c> references resolved against the ConfigMaps in the same set of objects.
/// </summary>
internal sealed partial class ConnectorView
{
    [GeneratedRegex(@"\$\{cfmap:([^/}]+)/([^:}]+):([^}]+)\}")]
    private static partial Regex ConfigMapRef();

    private ConnectorView(ManifestObject o, IReadOnlyList<ManifestObject> objects)
    {
        Object = o;
        Config = o.Body["spec"]?["config"] as JsonObject ?? new JsonObject();
        Class = (string?)o.Body["spec"]?["class"];
        Namespace = o.Namespace ?? "";
        Cluster = (string?)o.Body["metadata"]?["labels"]?["strimzi.io/cluster"];
        Flow = (string?)o.Body["metadata"]?["labels"]?[FlowLabels.Flow];
        Connect = objects.FirstOrDefault(k => k.Kind == Kinds.KafkaConnect && k.Name == Cluster && k.Namespace == o.Namespace);
        string? Setting(string key) => Config[key] is { } v ? Resolve(v.ToString(), objects) : null;
        var isHeartbeat = Class == FlowManifestBuilder.HeartbeatConnectorClass;
        SourceAlias = Setting("source.cluster.alias");
        TargetAlias = Setting("target.cluster.alias");
        // The heartbeat connector writes into the source cluster, which it calls its target.
        SourceBootstrap = isHeartbeat ? Setting("target.cluster.bootstrap.servers") : Setting("source.cluster.bootstrap.servers");
        TargetBootstrap = (string?)Connect?.Body["spec"]?["bootstrapServers"];
        Policy = Setting("replication.policy.class") ?? FlowManifestBuilder.DefaultPolicyClass;
        var topics = Setting("topics");
        Topics = topics?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var transforms = (Config["transforms"]?.ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Transforms = transforms.Select(t => new TransformView(t, Config[$"transforms.{t}.type"]?.ToString(), Config[$"transforms.{t}.predicate"]?.ToString(),
            string.Equals(Config[$"transforms.{t}.negate"]?.ToString(), "true", StringComparison.OrdinalIgnoreCase), Prefixed($"transforms.{t}.", objects))).ToList();
        var predicates = (Config["predicates"]?.ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Predicates = predicates.Select(p => new PredicateView(p, Config[$"predicates.{p}.type"]?.ToString(), Prefixed($"predicates.{p}.", objects))).ToList();
    }

    public ManifestObject Object { get; }
    public JsonObject Config { get; }
    public string? Class { get; }
    public string Namespace { get; }
    public string? Cluster { get; }
    public string? Flow { get; }
    public ManifestObject? Connect { get; }
    public string? SourceAlias { get; }
    public string? TargetAlias { get; }
    public string? SourceBootstrap { get; }
    public string? TargetBootstrap { get; }
    public string Policy { get; }
    /// <summary>The topic patterns, or null when the topics cannot be resolved from this set of objects.</summary>
    public IReadOnlyList<string>? Topics { get; }
    public IReadOnlyList<TransformView> Transforms { get; }
    public IReadOnlyList<PredicateView> Predicates { get; }

    public string DisplayName => Object.DisplayName;
    public bool IsSource => Class == FlowManifestBuilder.SourceConnectorClass;
    public bool IsIdentity => Policy == FlowManifestBuilder.IdentityPolicyClass;
    /// <summary>Which flow the connector belongs to: its flow label, else its Connect cluster (hand-written manifests).</summary>
    public string FlowId => FlowIdOf(Object);

    public static string FlowIdOf(ManifestObject o) =>
        $"{o.Namespace}/{(string?)o.Body["metadata"]?["labels"]?[FlowLabels.Flow] ?? (o.Kind == Kinds.KafkaConnect ? o.Name : (string?)o.Body["metadata"]?["labels"]?["strimzi.io/cluster"] ?? o.Name)}";

    /// <summary>Connectors of one Connect cluster belong to one flow.</summary>
    public (string, string?) ClusterKey => (Namespace, Cluster);
    /// <summary>Which source → target pair the connector serves: by alias, else by bootstrap servers.</summary>
    public (string, string) PairKey => (SourceAlias ?? Norm(SourceBootstrap), TargetAlias ?? Norm(TargetBootstrap));

    public PredicateView? PredicateOf(TransformView t) => t.PredicateName is null ? null : Predicates.FirstOrDefault(p => p.Name == t.PredicateName);

    /// <summary>Has the guide's loop filter: a Filter on HasHeaderKey replicated-from-&lt;target&gt;, and InsertHeader replicated-from-&lt;source&gt;.</summary>
    public bool HasLoopFilter =>
        TargetAlias is not null && SourceAlias is not null
        && Transforms.Any(t => t.Type == Model.FilterTransform.Class && !t.Negate && PredicateOf(t) is { Type: Model.HasHeaderKeyPredicate.Class } p
            && p.Settings.GetValueOrDefault("name") == LoopHeader(TargetAlias))
        && Transforms.Any(t => t.Type == Model.InsertHeaderTransform.Class && t.PredicateName is null && t.Settings.GetValueOrDefault("header") == LoopHeader(SourceAlias));

    public static string LoopHeader(string alias) => $"replicated-from-{alias}";

    public static IReadOnlyList<ConnectorView> Of(IReadOnlyList<ManifestObject> objects) =>
        objects.Where(o => o.Kind == Kinds.KafkaConnector).Select(o => new ConnectorView(o, objects)).ToList();

    private Dictionary<string, string> Prefixed(string prefix, IReadOnlyList<ManifestObject> objects) =>
        Config.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => Resolve(kv.Value?.ToString() ?? "", objects) ?? kv.Value?.ToString() ?? "");

    /// <summary>The value with every ConfigMap reference replaced by the key's value; null when one cannot be resolved.</summary>
    public static string? Resolve(string value, IReadOnlyList<ManifestObject> objects)
    {
        var unresolved = false;
        var result = ConfigMapRef().Replace(value, m =>
        {
            var cm = objects.FirstOrDefault(o => o.Kind == Kinds.ConfigMap && o.Namespace == m.Groups[1].Value && o.Name == m.Groups[2].Value);
            var v = cm?.Body["data"]?[m.Groups[3].Value]?.ToString();
            if (v is null) unresolved = true;
            return v ?? "";
        });
        return unresolved ? null : result;
    }

    private static string Norm(string? servers) =>
        string.Join(",", (servers ?? "?").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).OrderBy(x => x, StringComparer.OrdinalIgnoreCase)).ToLowerInvariant();
}
