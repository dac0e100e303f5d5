using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// The engine's only door to the Kubernetes API: get, list by label, server-side apply, merge patch and delete of
/// the kinds a flow consists of. Logs each call (method and path) and turns API errors into ReplicationExceptions.
/// </summary>
public sealed class KubeGateway : IDisposable
{
    private readonly IKubernetes _client;
    private readonly IOperationLog _log;

    public KubeGateway(IKubernetes client, IOperationLog? log = null, KubernetesClientConfiguration? configuration = null)
    {
        _client = client;
        _log = log ?? NullOperationLog.Instance;
        Configuration = configuration;
    }

    public IKubernetes Client => _client;

    /// <summary>The resolved configuration, when the gateway was made from one (service proxy needs its credentials).</summary>
    public KubernetesClientConfiguration? Configuration { get; }

    public static KubeGateway FromConfiguration(KubernetesClientConfiguration config, IOperationLog? log = null) =>
        new(new k8s.Kubernetes(config), log, config);

    public async Task<JsonObject?> GetAsync(string apiVersion, string kind, string? ns, string name, CancellationToken ct)
    {
        var api = KindApi.For(apiVersion, kind);
        _log.Verbose($"GET {api.PathOf(ns, name)}");
        try
        {
            return KindApi.ToJson(await api.Get(_client, ns, name, ct).ConfigureAwait(false), apiVersion, kind);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            throw Map(e, $"{kind} {ns}/{name}");
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string apiVersion, string kind, string? ns, string labelSelector, CancellationToken ct)
    {
        var api = KindApi.For(apiVersion, kind);
        _log.Verbose($"GET {api.PathOf(ns, null)}?labelSelector={labelSelector}");
        try
        {
            var list = KindApi.ToJson(await api.List(_client, ns, labelSelector, ct).ConfigureAwait(false), apiVersion, kind + "List");
            var items = list["items"] as JsonArray ?? new JsonArray();
            return items.OfType<JsonObject>().Select(i =>
            {
                var o = (JsonObject)i.DeepClone();
                o["apiVersion"] ??= apiVersion;
                o["kind"] ??= kind;
                return o;
            }).ToList();
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            throw Map(e, $"{kind} list in {ns ?? "all namespaces"}");
        }
    }

    /// <summary>Server-side apply with the module's field manager; dryRun asks the server for the result without storing it.</summary>
    public async Task<JsonObject> ApplyAsync(ManifestObject obj, bool dryRun, CancellationToken ct)
    {
        var api = KindApi.For(obj.ApiVersion, obj.Kind);
        _log.Verbose($"PATCH {api.PathOf(obj.Namespace, obj.Name)}?fieldManager={FlowLabels.FieldManager}&force=true{(dryRun ? "&dryRun=All" : "")} (server-side apply)");
        try
        {
            var patch = new V1Patch(obj.Body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
            var result = await api.Apply(_client, patch, obj.Namespace, obj.Name, dryRun ? "All" : null, ct).ConfigureAwait(false);
            return KindApi.ToJson(result, obj.ApiVersion, obj.Kind);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            // A refused Secret write must not echo the Secret's data (the API's message may quote the object).
            throw Errors.ClientErrorScrubber.Without(Map(e, obj.DisplayName), Errors.ClientErrorScrubber.SecretValuesOf(obj));
        }
    }

    public async Task<JsonObject> MergePatchAsync(string apiVersion, string kind, string? ns, string name, JsonObject patch, CancellationToken ct)
    {
        var api = KindApi.For(apiVersion, kind);
        _log.Verbose($"PATCH {api.PathOf(ns, name)} (merge patch)");
        try
        {
            var result = await api.MergePatch(_client, new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ns, name, ct).ConfigureAwait(false);
            return KindApi.ToJson(result, apiVersion, kind);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            throw Map(e, $"{kind} {ns}/{name}");
        }
    }

    /// <summary>Deletes an object; returns false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string apiVersion, string kind, string? ns, string name, CancellationToken ct)
    {
        var api = KindApi.For(apiVersion, kind);
        _log.Verbose($"DELETE {api.PathOf(ns, name)}");
        try
        {
            await api.Delete(_client, ns, name, ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            throw Map(e, $"{kind} {ns}/{name}");
        }
    }

    /// <summary>
    /// The versions the API server serves of an API group (discovery, GET /apis: readable by every authenticated
    /// user through the system:discovery role); empty when the group is not served, null when discovery is refused.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ServedVersionsAsync(string group, CancellationToken ct)
    {
        _log.Verbose("GET /apis");
        try
        {
            var list = await _client.Apis.GetAPIVersionsAsync(ct).ConfigureAwait(false);
            return list.Groups?.Where(g => g.Name == group).SelectMany(g => g.Versions ?? new List<V1GroupVersionForDiscovery>()).Select(v => v.Version).ToList()
                ?? new List<string>();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            return null;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            throw Map(e, "/apis");
        }
    }

    internal static ReplicationException Map(Exception e, string target)
    {
        if (e is HttpRequestException)
            return new ReplicationException(ReplicationErrorKind.Unreachable, "KubernetesUnreachable", $"Cannot reach the Kubernetes API server ({e.Message}).", target, e);
        var h = (HttpOperationException)e;
        var message = StatusMessage(h.Response.Content) ?? h.Message;
        var (kind, id) = h.Response.StatusCode switch
        {
            HttpStatusCode.NotFound => (ReplicationErrorKind.NotFound, "KubernetesNotFound"),
            HttpStatusCode.Conflict => (ReplicationErrorKind.Conflict, "KubernetesConflict"),
            HttpStatusCode.Forbidden => (ReplicationErrorKind.PermissionDenied, "KubernetesForbidden"),
            HttpStatusCode.Unauthorized => (ReplicationErrorKind.PermissionDenied, "KubernetesUnauthorized"),
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => (ReplicationErrorKind.InvalidArgument, "KubernetesInvalid"),
            HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout => (ReplicationErrorKind.Timeout, "KubernetesTimeout"),
            _ => (ReplicationErrorKind.OperationFailed, "KubernetesError"),
        };
        return new ReplicationException(kind, id, $"{target}: {message} (HTTP {(int)h.Response.StatusCode})", target, e);
    }

    private static string? StatusMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return null;
        try { return (string?)JsonNode.Parse(content)?["message"]; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public void Dispose() => _client.Dispose();
}
