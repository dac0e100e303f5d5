using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KafkaReplication.TestBed.Kubernetes;
using static KafkaReplication.TestBed.Strimzi.StrimziNames;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>
/// What a connector's config turns into inside a Connect pod: Kafka's ConfigTransformer replaces
/// <c>${provider:path:key}</c> once (a value that is itself a placeholder stays as it is), and a variable it cannot
/// resolve is left in place. The Strimzi providers (cfmap, secret) read through the API as the Connect ServiceAccount
/// <c>&lt;cluster&gt;-connect</c>, so the flow's Role must grant <c>get</c> on each named object; <c>file</c> reads
/// the worker file. A connection setting that still holds a variable after this is what makes a real connector fail.
/// </summary>
internal static partial class ConnectorConfigResolver
{
    [GeneratedRegex(@"\$\{(?<provider>[a-z]+):(?<path>[^:}]+):(?<key>[^}]+)\}")]
    private static partial Regex Variable();

    /// <summary>Null when every connection setting resolves; otherwise the trace the connector fails with.</summary>
    public static string? Problem(KubernetesEmulator k8s, string ns, string connect, JsonObject config, IReadOnlyDictionary<string, string> workerFile)
    {
        foreach (var (key, value) in config)
        {
            var text = value?.ToString() ?? "";
            string? denied = null;
            var resolved = Variable().Replace(text, m =>
            {
                var path = m.Groups["path"].Value;
                var k = m.Groups["key"].Value;
                switch (m.Groups["provider"].Value)
                {
                    case "file" when path == WorkerFile.Path:
                        return workerFile.TryGetValue(k, out var w) ? w : m.Value;
                    case "cfmap" or "secret":
                        var kind = m.Groups["provider"].Value == "cfmap" ? "ConfigMap" : "Secret";
                        var parts = path.Split('/', 2);
                        if (!Granted(k8s, parts[0], Component(connect), parts[0] == ns ? kind : "", parts[^1]))
                        {
                            denied = $"{kind.ToLowerInvariant()}s \"{parts[^1]}\" is forbidden: User \"system:serviceaccount:{ns}:{Component(connect)}\" cannot get resource \"{kind.ToLowerInvariant()}s\" in namespace \"{parts[0]}\"";
                            return m.Value;
                        }

                        var found = kind == "ConfigMap"
                            ? k8s.Get("v1", "ConfigMap", parts[0], parts[^1])?["data"]?[k]?.ToString()
                            : WorkerFile.SecretValue(k8s, parts[0], parts[^1], k);
                        return found ?? m.Value;
                    default:
                        return m.Value;
                }
            });
            if (denied is not null)
            {
                return $"org.apache.kafka.common.config.ConfigException: Could not read '{key}': {denied}";
            }

            if (IsConnectionSetting(key) && Variable().IsMatch(resolved))
            {
                return $"org.apache.kafka.common.KafkaException: Failed to construct kafka client: '{key}' holds the unresolved variable '{Variable().Match(resolved).Value}'";
            }
        }

        return null;
    }

    private static bool IsConnectionSetting(string key) =>
        (key.StartsWith("source.cluster.", StringComparison.Ordinal) || key.StartsWith("target.cluster.", StringComparison.Ordinal)
            || key.StartsWith("producer.override.", StringComparison.Ordinal))
        && (key.Contains("bootstrap.servers", StringComparison.Ordinal) || key.Contains("security.", StringComparison.Ordinal)
            || key.Contains("sasl.", StringComparison.Ordinal) || key.Contains("ssl.", StringComparison.Ordinal));

    // RBAC as the authorizer evaluates it for one request: a RoleBinding in the namespace binds the ServiceAccount to
    // a Role with a rule for get on the resource (resourceNames empty or naming the object).
    private static bool Granted(KubernetesEmulator k8s, string ns, string serviceAccount, string kind, string name)
    {
        if (kind.Length == 0) return false;
        var resource = kind == "ConfigMap" ? "configmaps" : "secrets";
        var roles = k8s.List("rbac.authorization.k8s.io/v1", "RoleBinding", ns)
            .Where(b => (b["subjects"] as JsonArray ?? []).Any(s => Str(s, "kind") == "ServiceAccount" && Str(s, "name") == serviceAccount
                && (Str(s, "namespace") ?? ns) == ns))
            .Where(b => Str(b, "roleRef", "kind") == "Role")
            .Select(b => k8s.Get("rbac.authorization.k8s.io/v1", "Role", ns, Str(b, "roleRef", "name")!))
            .OfType<JsonObject>();
        return roles.SelectMany(r => (r["rules"] as JsonArray ?? []).OfType<JsonObject>()).Any(rule =>
            Has(rule["apiGroups"], "") && Has(rule["resources"], resource) && (Has(rule["verbs"], "get") || Has(rule["verbs"], "*"))
            && (rule["resourceNames"] is not JsonArray { Count: > 0 } names || names.Any(n => n?.ToString() == name)));

        static bool Has(JsonNode? list, string value) => (list as JsonArray ?? []).Any(x => x?.ToString() == value);
    }
}
