using System.Text.Json.Nodes;
using System.Collections.Concurrent;

namespace KafkaReplication.TestBed.Kubernetes;

internal enum NameRule
{
    /// <summary>RFC 1123 subdomain: what most kinds require (ValidateObjectMeta with NameIsDNSSubdomain).</summary>
    Dns1123Subdomain,

    /// <summary>RFC 1123 label: Namespaces.</summary>
    Dns1123Label,

    /// <summary>RFC 1035 label: Services (the name becomes a DNS label that must start with a letter).</summary>
    Dns1035Label,

    /// <summary>Path segment: RBAC objects only forbid "/", "%", "." and "..".</summary>
    PathSegment,
}

/// <summary>One REST resource: a group/version/plural and the Kind stored under it.</summary>
internal sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"configmaps" or "kafkatopics.kafka.strimzi.io", as error messages name a resource.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public bool IsBuiltIn => Group.Length == 0 || Group.EndsWith(".k8s.io", StringComparison.Ordinal)
        || Group is "apps" or "batch" or "policy" or "autoscaling";

    // Custom resources (apiextensions registry ReturnDeletedObject=true), pods and namespaces (graceful deletion)
    // answer DELETE with the object; other built-ins answer with a Status of Success.
    public bool ReturnsObjectOnDelete => !IsBuiltIn || Plural is "pods" or "namespaces";

    public NameRule NameRule => Plural switch
    {
        "namespaces" => NameRule.Dns1123Label,
        "services" => NameRule.Dns1035Label,
        _ when Group == "rbac.authorization.k8s.io" => NameRule.PathSegment,
        _ => NameRule.Dns1123Subdomain,
    };
}

/// <summary>
/// The kinds the emulator knows up front, plus any group/version/plural a client uses: an unknown plural is
/// registered with the kind of the first object written to it, so the store serves ANY custom resource.
/// </summary>
internal sealed class ResourceTypes
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", false);

    private static readonly ResourceType[] Known =
    [
        Namespaces,
        new("", "v1", "configmaps", "ConfigMap", true),
        new("", "v1", "secrets", "Secret", true),
        new("", "v1", "serviceaccounts", "ServiceAccount", true),
        new("", "v1", "pods", "Pod", true),
        new("", "v1", "services", "Service", true),
        new("", "v1", "endpoints", "Endpoints", true),
        new("", "v1", "events", "Event", true),
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true),
        new("", "v1", "nodes", "Node", false),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
        new("apps", "v1", "deployments", "Deployment", true),
        new("apps", "v1", "statefulsets", "StatefulSet", true),
        new("apps", "v1", "replicasets", "ReplicaSet", true),
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false),
        new("kafka.strimzi.io", "v1beta2", "kafkas", "Kafka", true),
        new("kafka.strimzi.io", "v1beta2", "kafkanodepools", "KafkaNodePool", true),
        new("kafka.strimzi.io", "v1beta2", "kafkaconnects", "KafkaConnect", true),
        new("kafka.strimzi.io", "v1beta2", "kafkaconnectors", "KafkaConnector", true),
        new("kafka.strimzi.io", "v1beta2", "kafkamirrormaker2s", "KafkaMirrorMaker2", true),
        new("kafka.strimzi.io", "v1beta2", "kafkatopics", "KafkaTopic", true),
        new("kafka.strimzi.io", "v1beta2", "kafkausers", "KafkaUser", true),
        new("kafka.strimzi.io", "v1beta2", "kafkarebalances", "KafkaRebalance", true),
        new("kafka.strimzi.io", "v1beta2", "kafkabridges", "KafkaBridge", true),
        new("core.strimzi.io", "v1beta2", "strimzipodsets", "StrimziPodSet", true),
    ];

    private readonly ConcurrentDictionary<(string Group, string Plural), ResourceType> byPlural = new();
    private readonly ConcurrentDictionary<(string Group, string Kind), ResourceType> byKind = new();

    public ResourceTypes()
    {
        foreach (var type in Known)
        {
            Register(type);
        }
    }

    public static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    /// <summary>The resource behind a URL; null when neither known nor seen yet.</summary>
    public ResourceType? FindByPlural(string group, string plural) =>
        byPlural.TryGetValue((group, plural), out var type) ? type : null;

    /// <summary>The resource behind a URL, registering <paramref name="kindFromBody"/> for an unseen plural.</summary>
    public ResourceType Resolve(string group, string version, string plural, bool namespaced, string? kindFromBody)
    {
        if (FindByPlural(group, plural) is { } known)
        {
            return known with { Version = version };
        }

        var type = new ResourceType(group, version, plural, kindFromBody ?? GuessKind(plural), namespaced);
        return kindFromBody is null ? type : Register(type);
    }

    /// <summary>
    /// The resource for an apiVersion/kind pair (direct store access); an unseen kind gets a guessed plural and is
    /// registered only when <paramref name="register"/> (a write), so a read cannot fix its scope for later requests.
    /// </summary>
    public ResourceType ResolveKind(string apiVersion, string kind, bool namespaced, bool register)
    {
        var (group, version) = SplitApiVersion(apiVersion);
        if (byKind.TryGetValue((group, kind), out var known))
        {
            return known with { Version = version };
        }

        var type = new ResourceType(group, version, GuessPlural(kind), kind, namespaced);
        return register ? Register(type) : type;
    }

    private readonly ConcurrentDictionary<string, byte> absentGroups = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes an API group unserved, as on a cluster where its CRDs are not installed: discovery omits it and every
    /// URL under it is 404 "the server could not find the requested resource".
    /// </summary>
    public void Uninstall(string group)
    {
        absentGroups[group] = 0;
        foreach (var key in byPlural.Keys.Where(k => k.Group == group).ToList()) byPlural.TryRemove(key, out _);
        foreach (var key in byKind.Keys.Where(k => k.Group == group).ToList()) byKind.TryRemove(key, out _);
    }

    public bool IsServed(string group) => !absentGroups.ContainsKey(group);

    private readonly ConcurrentDictionary<string, string[]> servedVersions = new(StringComparer.Ordinal);

    /// <summary>
    /// Serves the group's kinds in exactly these versions (preferred first), as CRDs with several spec.versions and
    /// conversion strategy None: one stored object, readable and writable at each served version; other versions 404.
    /// </summary>
    public void ServeVersions(string group, string[] versions)
    {
        absentGroups.TryRemove(group, out _);
        servedVersions[group] = versions;
    }

    public bool IsServed(string group, string version) =>
        IsServed(group) && (!servedVersions.TryGetValue(group, out var versions) || versions.Contains(version, StringComparer.Ordinal));

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        servedVersions.TryGetValue(group, out var versions)
            ? versions.Contains(version, StringComparer.Ordinal)
                ? byPlural.Values.Where(t => t.Group == group).Select(t => t with { Version = version }).OrderBy(t => t.Plural, StringComparer.Ordinal)
                : []
            : byPlural.Values.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal);

    public IEnumerable<(string Group, string Version)> GroupVersions() =>
        servedVersions.Where(g => IsServed(g.Key)).SelectMany(g => g.Value.Select(v => (g.Key, v)))
            .Concat(byPlural.Values.Where(t => !servedVersions.ContainsKey(t.Group)).Select(t => (t.Group, t.Version))).Distinct();

    private readonly ConcurrentDictionary<(string Group, string Version, string Kind), Func<JsonObject, (string Field, string Detail)?>> schemaChecks = new();

    /// <summary>A structural-schema rule of a CRD version (a required field, say), checked on every write at that version.</summary>
    public void AddSchemaCheck(string group, string version, string kind, Func<JsonObject, (string Field, string Detail)?> check) =>
        schemaChecks[(group, version, kind)] = check;

    public (string Field, string Detail)? CheckSchema(ResourceType type, JsonObject obj) =>
        schemaChecks.TryGetValue((type.Group, type.Version, type.Kind), out var check) ? check(obj) : null;

    private ResourceType Register(ResourceType type)
    {
        var stored = byPlural.GetOrAdd((type.Group, type.Plural), type);
        byKind.TryAdd((stored.Group, stored.Kind), stored);
        return stored;
    }

    // The usual English pluralisation the API machinery applies to kinds (meta.UnsafeGuessKindToResource).
    private static string GuessPlural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        if (lower.EndsWith('s'))
        {
            return lower + "es";
        }

        if (lower.EndsWith('y') && lower.Length > 1 && !"aeiou".Contains(lower[^2]))
        {
            return lower[..^1] + "ies";
        }

        return lower + "s";
    }

    private static string GuessKind(string plural)
    {
        var singular = plural.EndsWith("ies", StringComparison.Ordinal) ? plural[..^3] + "y"
            : plural.EndsWith("ses", StringComparison.Ordinal) ? plural[..^2]
            : plural.EndsWith('s') ? plural[..^1] : plural;
        return singular.Length == 0 ? plural : char.ToUpperInvariant(singular[0]) + singular[1..];
    }
}
