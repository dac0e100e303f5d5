using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using Polly;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// The engine's only door to the Kubernetes API: get, list by label, server-side apply, merge patch and delete of
/// the kinds a flow consists of. Logs each call (method and path) and turns API errors into ReplicationExceptions.
/// </summary>
public sealed class KubeGateway : IDisposable
{
    /// <summary>Retries of one idempotent call on 429, 502-504 (500 with Retry-After) and dropped connections.</summary>
    public const int MaxRetries = 4;

    private readonly IKubernetes _client;
    private readonly IOperationLog _log;
    private readonly ResiliencePipeline _retry;

    public KubeGateway(IKubernetes client, IOperationLog? log = null, KubernetesClientConfiguration? configuration = null, RequestLimits? limits = null)
    {
        _client = client;
        _log = log ?? NullOperationLog.Instance;
        Configuration = configuration;
        Limits = limits ?? RequestLimits.Default;
        _retry = KubeRetry.Pipeline(Limits, _log);
    }

    public IKubernetes Client => _client;

    /// <summary>The resolved configuration, when the gateway was made from one (service proxy needs its credentials).</summary>
    public KubernetesClientConfiguration? Configuration { get; }

    private string? _strimziApiVersion;

    /// <summary>
    /// The kafka.strimzi.io apiVersion this cluster serves (v1 before v1beta2), found by discovery once per gateway.
    /// Every read, patch and delete of a Strimzi kind goes to it, whatever version the caller names, so no caller needs
    /// to know which Strimzi runs; v1beta2 where discovery is refused.
    /// </summary>
    public async Task<string> StrimziApiVersionAsync(CancellationToken ct)
    {
        if (_strimziApiVersion is { } known) return known;
        var served = await ServedVersionsAsync(Strimzi.StrimziApi.Group, ct).ConfigureAwait(false);
        return _strimziApiVersion = (served is null ? null : Strimzi.StrimziApi.Preferred(served)) ?? Strimzi.StrimziApi.V1Beta2;
    }

    private async ValueTask<string> ResolveAsync(string apiVersion, CancellationToken ct) =>
        Strimzi.StrimziApi.IsStrimzi(apiVersion) ? await StrimziApiVersionAsync(ct).ConfigureAwait(false) : apiVersion;


    /// <summary>How long one request may take (each attempt of a retried call has the full limit).</summary>
    public RequestLimits Limits { get; }

    /// <summary>The API server's address, for messages.</summary>
    public string Server => Configuration?.Host ?? _client.BaseUri?.ToString() ?? "the Kubernetes API server";

    public static KubeGateway FromConfiguration(KubernetesClientConfiguration config, IOperationLog? log = null, RequestLimits? limits = null)
    {
        limits ??= RequestLimits.Default;
        // KubernetesClient's own HttpClient timeout (100 s unless set; it does not apply to watches) only backs up
        // the per-call limit below, which ends first and says which server and call did not answer.
        config.HttpClientTimeout = limits.Request + TimeSpan.FromSeconds(5);
        return new(new k8s.Kubernetes(config), log, config, limits);
    }

    /// <summary>
    /// One idempotent call (GET, LIST, server-side apply, merge patch of fixed values, DELETE of a named object)
    /// under the per-request limit, retried on transient failures. A call that outlives the limit ends in
    /// KubernetesTimeout (not retried: a server that does not answer would only be waited on again).
    /// </summary>
    private async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(operation, ct);
        try
        {
            return await _retry.ExecuteAsync(async ctx =>
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken);
                attempt.CancelAfter(Limits.Request);
                try
                {
                    return await call(attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ctx.CancellationToken.IsCancellationRequested)
                {
                    throw Timeout(operation);
                }
            }, context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ReplicationException Timeout(string operation) =>
        new(ReplicationErrorKind.Timeout, "KubernetesTimeout",
            $"The Kubernetes API server {Server} did not answer {operation} within {Limits.Request.TotalSeconds:0.#} s.", operation)
        {
            RecommendedAction = "Check that the API server (or the proxy in front of it) is up, or allow more time with -RequestTimeout.",
        };

    public async Task<JsonObject?> GetAsync(string apiVersion, string kind, string? ns, string name, CancellationToken ct)
    {
        apiVersion = await ResolveAsync(apiVersion, ct).ConfigureAwait(false);
        var api = KindApi.For(apiVersion, kind);
        var operation = $"GET {api.PathOf(ns, name)}";
        _log.Verbose(operation);
        try
        {
            return KindApi.ToJson(await CallAsync(operation, t => api.Get(_client, ns, name, t), ct).ConfigureAwait(false), apiVersion, kind);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            throw Map(e, $"{kind} {ns}/{name}");
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string apiVersion, string kind, string? ns, string labelSelector, CancellationToken ct)
    {
        apiVersion = await ResolveAsync(apiVersion, ct).ConfigureAwait(false);
        var api = KindApi.For(apiVersion, kind);
        var operation = $"GET {api.PathOf(ns, null)}?labelSelector={labelSelector}";
        _log.Verbose(operation);
        try
        {
            var list = KindApi.ToJson(await CallAsync(operation, t => api.List(_client, ns, labelSelector, t), ct).ConfigureAwait(false), apiVersion, kind + "List");
            var items = list["items"] as JsonArray ?? new JsonArray();
            return items.OfType<JsonObject>().Select(i =>
            {
                var o = (JsonObject)i.DeepClone();
                o["apiVersion"] ??= apiVersion;
                o["kind"] ??= kind;
                return o;
            }).ToList();
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            throw Map(e, $"{kind} list in {ns ?? "all namespaces"}");
        }
    }

    /// <summary>Server-side apply with the module's field manager; dryRun asks the server for the result without storing it. Idempotent, so retried.</summary>
    public async Task<JsonObject> ApplyAsync(ManifestObject obj, bool dryRun, CancellationToken ct)
    {
        var api = KindApi.For(obj.ApiVersion, obj.Kind);
        var operation = $"PATCH {api.PathOf(obj.Namespace, obj.Name)}?fieldManager={FlowLabels.FieldManager}&force=true{(dryRun ? "&dryRun=All" : "")} (server-side apply)";
        _log.Verbose(operation);
        try
        {
            var patch = new V1Patch(obj.Body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
            var result = await CallAsync(operation, t => api.Apply(_client, patch, obj.Namespace, obj.Name, dryRun ? "All" : null, t), ct).ConfigureAwait(false);
            return KindApi.ToJson(result, obj.ApiVersion, obj.Kind);
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            // A refused Secret write must not echo the Secret's data (the API's message may quote the object).
            throw Errors.ClientErrorScrubber.Without(Map(e, obj.DisplayName), Errors.ClientErrorScrubber.SecretValuesOf(obj));
        }
    }

    /// <summary>A JSON merge patch (RFC 7386): applying the same patch twice gives the same object, so it is retried.</summary>
    public async Task<JsonObject> MergePatchAsync(string apiVersion, string kind, string? ns, string name, JsonObject patch, CancellationToken ct)
    {
        apiVersion = await ResolveAsync(apiVersion, ct).ConfigureAwait(false);
        var api = KindApi.For(apiVersion, kind);
        var operation = $"PATCH {api.PathOf(ns, name)} (merge patch)";
        _log.Verbose(operation);
        try
        {
            var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
            var result = await CallAsync(operation, t => api.MergePatch(_client, body, ns, name, t), ct).ConfigureAwait(false);
            return KindApi.ToJson(result, apiVersion, kind);
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            throw Map(e, $"{kind} {ns}/{name}");
        }
    }

    /// <summary>
    /// Deletes an object; returns false when it was already gone. A retry that finds it gone counts as deleted. With
    /// <paramref name="uid"/>, only the object of that uid (the one the caller read and checked): one re-created under
    /// the name meanwhile is kept, and the server answers 409 Conflict (KubernetesConflict).
    /// </summary>
    public async Task<bool> DeleteAsync(string apiVersion, string kind, string? ns, string name, CancellationToken ct, string? uid = null)
    {
        var body = uid is null ? null : new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } };
        apiVersion = await ResolveAsync(apiVersion, ct).ConfigureAwait(false);
        var api = KindApi.For(apiVersion, kind);
        var operation = $"DELETE {api.PathOf(ns, name)}";
        _log.Verbose(operation);
        var attempts = 0;
        try
        {
            await CallAsync(operation, async t =>
            {
                attempts++;
                await api.Delete(_client, ns, name, body, t).ConfigureAwait(false);
                return true;
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // After a lost answer the object may be gone because the first attempt deleted it.
            return attempts > 1;
        }
        catch (Exception e) when (IsClientFailure(e))
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
            var list = await CallAsync("GET /apis", t => _client.Apis.GetAPIVersionsAsync(t), ct).ConfigureAwait(false);
            return list.Groups?.Where(g => g.Name == group).SelectMany(g => g.Versions ?? new List<V1GroupVersionForDiscovery>()).Select(v => v.Version).ToList()
                ?? new List<string>();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            return null;
        }
        catch (Exception e) when (IsClientFailure(e))
        {
            throw Map(e, "/apis");
        }
    }

    /// <summary>What the client throws for a failed call: an error status, a failed or dropped connection, a body that is not JSON.</summary>
    internal static bool IsClientFailure(Exception e) =>
        e is HttpOperationException or HttpRequestException or IOException or System.Text.Json.JsonException;

    /// <summary>
    /// The module error for a failed call. The HttpOperationException is not kept as the inner exception: its request
    /// can hold a Secret's data; the status code and the server's message are copied instead.
    /// </summary>
    internal static ReplicationException Map(Exception e, string target)
    {
        switch (e)
        {
            case ReplicationException r:
                return r;
            case System.Text.Json.JsonException j:
                return new ReplicationException(ReplicationErrorKind.OperationFailed, "KubernetesMalformedResponse",
                    $"{target}: the Kubernetes API server answered with a body that is not valid JSON ({j.Message}).", target, j);
            case HttpRequestException or IOException:
                return new ReplicationException(ReplicationErrorKind.Unreachable, "KubernetesUnreachable",
                    $"Cannot reach the Kubernetes API server ({e.Message}).", target, e);
        }
        var h = (HttpOperationException)e;
        var message = StatusMessage(h.Response.Content) ?? h.Message;
        var (kind, id) = (int)h.Response.StatusCode switch
        {
            404 => (ReplicationErrorKind.NotFound, "KubernetesNotFound"),
            409 => (ReplicationErrorKind.Conflict, "KubernetesConflict"),
            403 => (ReplicationErrorKind.PermissionDenied, "KubernetesForbidden"),
            401 => (ReplicationErrorKind.AuthenticationFailed, "KubernetesUnauthorized"),
            422 or 400 => (ReplicationErrorKind.InvalidArgument, "KubernetesInvalid"),
            504 or 408 => (ReplicationErrorKind.Timeout, "KubernetesTimeout"),
            429 => (ReplicationErrorKind.Busy, "KubernetesTooManyRequests"),
            502 or 503 => (ReplicationErrorKind.Unreachable, "KubernetesUnavailable"),
            _ => (ReplicationErrorKind.OperationFailed, "KubernetesError"),
        };
        // The client's exception is kept only as its type and status (the constructor scrubs it: its request body can be a Secret).
        return new ReplicationException(kind, id, $"{target}: {message} (HTTP {(int)h.Response.StatusCode})", target, h);
    }

    private static string? StatusMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return null;
        try { return (string?)JsonNode.Parse(content)?["message"]; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public void Dispose() => _client.Dispose();
}
