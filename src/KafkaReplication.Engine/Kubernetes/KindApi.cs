using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// The calls of the real KubernetesClient for one kind: typed core/RBAC APIs, or CustomObjects for Strimzi kinds.
/// Everything comes back as plain JSON so the engine never exposes k8s.Models types.
/// </summary>
internal sealed class KindApi
{
    public required string ApiVersion { get; init; }
    public required string Kind { get; init; }
    public required string Plural { get; init; }
    public bool Namespaced { get; init; } = true;
    public required Func<IKubernetes, string?, string, CancellationToken, Task<object>> Get { get; init; }
    public required Func<IKubernetes, string?, string?, CancellationToken, Task<object>> List { get; init; }
    public required Func<IKubernetes, V1Patch, string?, string, string?, CancellationToken, Task<object>> Apply { get; init; }
    public required Func<IKubernetes, V1Patch, string?, string, CancellationToken, Task<object>> MergePatch { get; init; }
    /// <summary>DELETE with an optional body (DeleteOptions, e.g. a uid precondition).</summary>
    public required Func<IKubernetes, string?, string, V1DeleteOptions?, CancellationToken, Task> Delete { get; init; }

    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";
    public string Version => ApiVersion.Contains('/') ? ApiVersion[(ApiVersion.IndexOf('/') + 1)..] : ApiVersion;

    /// <summary>The REST path of an object or collection, for verbose output.</summary>
    public string PathOf(string? ns, string? name)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        var scope = Namespaced && ns is not null ? $"/namespaces/{ns}" : "";
        return $"{root}{scope}/{Plural}{(name is null ? "" : "/" + name)}";
    }

    public static JsonObject ToJson(object result, string apiVersion, string kind)
    {
        var json = result is JsonElement e ? JsonNode.Parse(e.GetRawText())!.AsObject() : JsonNode.Parse(KubernetesJson.Serialize(result))!.AsObject();
        json["apiVersion"] ??= apiVersion;
        json["kind"] ??= kind;
        return json;
    }

    private const string Manager = Manifests.FlowLabels.FieldManager;

    public static readonly IReadOnlyList<KindApi> All = new KindApi[]
    {
        new()
        {
            ApiVersion = "v1", Kind = "Namespace", Plural = "namespaces", Namespaced = false,
            Get = async (k, _, n, ct) => await k.CoreV1.ReadNamespaceAsync(n, cancellationToken: ct),
            List = async (k, _, sel, ct) => await k.CoreV1.ListNamespaceAsync(labelSelector: sel, cancellationToken: ct),
            Apply = async (k, p, _, n, dry, ct) => await k.CoreV1.PatchNamespaceAsync(p, n, dryRun: dry, fieldManager: Manager, force: true, cancellationToken: ct),
            MergePatch = async (k, p, _, n, ct) => await k.CoreV1.PatchNamespaceAsync(p, n, cancellationToken: ct),
            Delete = (k, _, n, b, ct) => k.CoreV1.DeleteNamespaceAsync(n, body: b, cancellationToken: ct),
        },
        new()
        {
            ApiVersion = "v1", Kind = "ConfigMap", Plural = "configmaps",
            Get = async (k, ns, n, ct) => await k.CoreV1.ReadNamespacedConfigMapAsync(n, ns, cancellationToken: ct),
            List = async (k, ns, sel, ct) => ns is null
                ? await k.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct)
                : await k.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: sel, cancellationToken: ct),
            Apply = async (k, p, ns, n, dry, ct) => await k.CoreV1.PatchNamespacedConfigMapAsync(p, n, ns, dryRun: dry, fieldManager: Manager, force: true, cancellationToken: ct),
            MergePatch = async (k, p, ns, n, ct) => await k.CoreV1.PatchNamespacedConfigMapAsync(p, n, ns, cancellationToken: ct),
            Delete = (k, ns, n, b, ct) => k.CoreV1.DeleteNamespacedConfigMapAsync(n, ns, body: b, cancellationToken: ct),
        },
        new()
        {
            ApiVersion = "v1", Kind = "Secret", Plural = "secrets",
            Get = async (k, ns, n, ct) => await k.CoreV1.ReadNamespacedSecretAsync(n, ns, cancellationToken: ct),
            List = async (k, ns, sel, ct) => ns is null
                ? await k.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct)
                : await k.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: sel, cancellationToken: ct),
            Apply = async (k, p, ns, n, dry, ct) => await k.CoreV1.PatchNamespacedSecretAsync(p, n, ns, dryRun: dry, fieldManager: Manager, force: true, cancellationToken: ct),
            MergePatch = async (k, p, ns, n, ct) => await k.CoreV1.PatchNamespacedSecretAsync(p, n, ns, cancellationToken: ct),
            Delete = (k, ns, n, b, ct) => k.CoreV1.DeleteNamespacedSecretAsync(n, ns, body: b, cancellationToken: ct),
        },
        new()
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "Role", Plural = "roles",
            Get = async (k, ns, n, ct) => await k.RbacAuthorizationV1.ReadNamespacedRoleAsync(n, ns, cancellationToken: ct),
            List = async (k, ns, sel, ct) => ns is null
                ? await k.RbacAuthorizationV1.ListRoleForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct)
                : await k.RbacAuthorizationV1.ListNamespacedRoleAsync(ns, labelSelector: sel, cancellationToken: ct),
            Apply = async (k, p, ns, n, dry, ct) => await k.RbacAuthorizationV1.PatchNamespacedRoleAsync(p, n, ns, dryRun: dry, fieldManager: Manager, force: true, cancellationToken: ct),
            MergePatch = async (k, p, ns, n, ct) => await k.RbacAuthorizationV1.PatchNamespacedRoleAsync(p, n, ns, cancellationToken: ct),
            Delete = (k, ns, n, b, ct) => k.RbacAuthorizationV1.DeleteNamespacedRoleAsync(n, ns, body: b, cancellationToken: ct),
        },
        new()
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "RoleBinding", Plural = "rolebindings",
            Get = async (k, ns, n, ct) => await k.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(n, ns, cancellationToken: ct),
            List = async (k, ns, sel, ct) => ns is null
                ? await k.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct)
                : await k.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns, labelSelector: sel, cancellationToken: ct),
            Apply = async (k, p, ns, n, dry, ct) => await k.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(p, n, ns, dryRun: dry, fieldManager: Manager, force: true, cancellationToken: ct),
            MergePatch = async (k, p, ns, n, ct) => await k.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(p, n, ns, cancellationToken: ct),
            Delete = (k, ns, n, b, ct) => k.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(n, ns, body: b, cancellationToken: ct),
        },
        new()
        {
            ApiVersion = "v1", Kind = "Pod", Plural = "pods",
            Get = async (k, ns, n, ct) => await k.CoreV1.ReadNamespacedPodAsync(n, ns, cancellationToken: ct),
            List = async (k, ns, sel, ct) => ns is null
                ? await k.CoreV1.ListPodForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct)
                : await k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: sel, cancellationToken: ct),
            Apply = async (k, p, ns, n, dry, ct) => await k.CoreV1.PatchNamespacedPodAsync(p, n, ns, dryRun: dry, fieldManager: Manager, force: true, cancellationToken: ct),
            MergePatch = async (k, p, ns, n, ct) => await k.CoreV1.PatchNamespacedPodAsync(p, n, ns, cancellationToken: ct),
            Delete = (k, ns, n, b, ct) => k.CoreV1.DeleteNamespacedPodAsync(n, ns, body: b, cancellationToken: ct),
        },
        new()
        {
            // Read only: to detect what the installed Strimzi supports (the KafkaConnector schema).
            ApiVersion = "apiextensions.k8s.io/v1", Kind = "CustomResourceDefinition", Plural = "customresourcedefinitions", Namespaced = false,
            Get = async (k, _, n, ct) => await k.ApiextensionsV1.ReadCustomResourceDefinitionAsync(n, cancellationToken: ct),
            List = async (k, _, sel, ct) => await k.ApiextensionsV1.ListCustomResourceDefinitionAsync(labelSelector: sel, cancellationToken: ct),
            Apply = (_, _, _, _, _, _) => throw new NotSupportedException("The module does not change CRDs."),
            MergePatch = (_, _, _, _, _) => throw new NotSupportedException("The module does not change CRDs."),
            Delete = (_, _, _, _, _) => throw new NotSupportedException("The module does not change CRDs."),
        },
        new()
        {
            // Read only: the strimzi-cluster-operator Deployment tells the operator's release (Strimzi.StrimziDetector).
            ApiVersion = "apps/v1", Kind = "Deployment", Plural = "deployments",
            Get = async (k, ns, n, ct) => await k.AppsV1.ReadNamespacedDeploymentAsync(n, ns, cancellationToken: ct),
            List = async (k, ns, sel, ct) => ns is null
                ? await k.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: sel, cancellationToken: ct)
                : await k.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: sel, cancellationToken: ct),
            Apply = (_, _, _, _, _, _) => throw new NotSupportedException("The module does not change Deployments."),
            MergePatch = (_, _, _, _, _) => throw new NotSupportedException("The module does not change Deployments."),
            Delete = (_, _, _, _, _) => throw new NotSupportedException("The module does not change Deployments."),
        },
        // Both API versions Strimzi has served the module's kinds in; KubeGateway picks the one the cluster serves.
        Custom(Strimzi.StrimziApi.V1Beta2, "KafkaConnect", "kafkaconnects"),
        Custom(Strimzi.StrimziApi.V1Beta2, "KafkaConnector", "kafkaconnectors"),
        Custom(Strimzi.StrimziApi.V1, "KafkaConnect", "kafkaconnects"),
        Custom(Strimzi.StrimziApi.V1, "KafkaConnector", "kafkaconnectors"),
    };

    private static KindApi Custom(string apiVersion, string kind, string plural)
    {
        var group = Strimzi.StrimziApi.Group;
        var version = Strimzi.StrimziApi.VersionOf(apiVersion);
        return new KindApi
        {
            ApiVersion = apiVersion, Kind = kind, Plural = plural,
            Get = (k, ns, n, ct) => k.CustomObjects.GetNamespacedCustomObjectAsync(group, version, ns!, plural, n, ct),
            List = (k, ns, sel, ct) => ns is null
                ? k.CustomObjects.ListClusterCustomObjectAsync(group, version, plural, labelSelector: sel, cancellationToken: ct)
                : k.CustomObjects.ListNamespacedCustomObjectAsync(group, version, ns, plural, labelSelector: sel, cancellationToken: ct),
            Apply = (k, p, ns, n, dry, ct) => k.CustomObjects.PatchNamespacedCustomObjectAsync(p, group, version, ns!, plural, n, dryRun: dry, fieldManager: Manager, force: true, cancellationToken: ct),
            MergePatch = (k, p, ns, n, ct) => k.CustomObjects.PatchNamespacedCustomObjectAsync(p, group, version, ns!, plural, n, cancellationToken: ct),
            Delete = (k, ns, n, b, ct) => k.CustomObjects.DeleteNamespacedCustomObjectAsync(group, version, ns!, plural, n, body: b, cancellationToken: ct),
        };
    }

    public static KindApi For(string apiVersion, string kind) =>
        All.FirstOrDefault(a => a.Kind == kind && a.ApiVersion == apiVersion)
        ?? throw new Model.ReplicationException(Model.ReplicationErrorKind.InvalidArgument, "UnsupportedKind", $"The module does not manage objects of kind {apiVersion}/{kind}.", kind);
}
