using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using KafkaReplication.TestBed.Faults;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1 (plain http) that the real KubernetesClient talks to: a generic
/// object store for any group/version/kind with resourceVersions, selectors, server-side apply, patches, watches, the
/// status subresource, Status error bodies, and pod port-forwarding bridged to local TCP endpoints.
/// Like a fresh cluster it starts with the namespaces default, kube-system, kube-public and kube-node-lease.
/// </summary>
public sealed class KubernetesEmulator : IAsyncDisposable
{
    private static readonly string[] InitialNamespaces = ["default", "kube-node-lease", "kube-public", "kube-system"];

    private readonly ObjectStore store;
    private readonly WriteFaults faults = new();
    private readonly FaultPlan plan = new();
    private readonly PortForwarder portForwarder = new();
    private readonly ServiceProxy serviceProxy = new();
    private readonly CancellationTokenSource shutdown = new();
    private readonly Lock requestsGate = new();
    private readonly List<RecordedRequest> requests = [];
    private WebApplication? app;
    private int disposed;

    private KubernetesEmulator()
    {
        store = new ObjectStore(RaiseChanged);
        foreach (var name in InitialNamespaces)
        {
            store.Upsert(ResourceTypes.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        }
    }

    /// <summary>Raised after every stored change, in store order; each handler gets its own copy of the object.</summary>
    public event Action<WatchEventRecord>? Changed;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Where port-forward connections to (namespace, pod, port) go; null (or returning null) refuses them.</summary>
    public Func<string, string, int, IPEndPoint?>? PortForwardTarget
    {
        get => portForwarder.Target;
        set => portForwarder.Target = value;
    }

    /// <summary>Where service-proxy requests to (namespace, service, port) go; null (or returning null) answers 503.</summary>
    public Func<string, string, int, IPEndPoint?>? ServiceProxyTarget
    {
        get => serviceProxy.Target;
        set => serviceProxy.Target = value;
    }

    /// <summary>The requests received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requestsGate)
            {
                return requests.ToArray();
            }
        }
    }

    public static async Task<KubernetesEmulator> StartAsync(CancellationToken ct = default)
    {
        var emulator = new KubernetesEmulator();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var api = new ApiServer(emulator.store, emulator.faults, emulator.plan, emulator.portForwarder, emulator.serviceProxy, emulator.shutdown.Token);
        app.Run(context =>
        {
            emulator.Record(context.Request);
            return api.HandleAsync(context);
        });
        await app.StartAsync(ct);
        emulator.app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return emulator;
    }

    /// <summary>Writes a kubeconfig whose current context points at this emulator; returns its path.</summary>
    public string WriteKubeconfig(string directory, string contextName = "emulator", string? defaultNamespace = null) =>
        Kubeconfig.Write(BaseUri, directory, contextName, defaultNamespace);

    /// <summary>Serves the API group no more, as a cluster without its CRDs (e.g. "kafka.strimzi.io" without Strimzi).</summary>
    public void UninstallApiGroup(string group) => store.Types.Uninstall(group);

    /// <summary>Serves the API group in exactly these versions, preferred first (CRDs with several served versions).</summary>
    public void ServeApiVersions(string group, params string[] versions) => store.Types.ServeVersions(group, versions);

    /// <summary>
    /// A rule of the CRD schema at one version: a write at that apiVersion that breaks it is refused with 422 Invalid
    /// ("&lt;field&gt;: Required value"), as the API server does for a missing required property.
    /// </summary>
    public void AddSchemaCheck(string apiVersion, string kind, Func<JsonObject, (string Field, string Detail)?> check)
    {
        var (group, version) = ResourceTypes.SplitApiVersion(apiVersion);
        store.Types.AddSchemaCheck(group, version, kind, check);
    }

    public void ClearRequests()
    {
        lock (requestsGate)
        {
            requests.Clear();
        }
    }

    /// <summary>
    /// After <paramref name="successfulWrites"/> more write requests (POST, PUT, PATCH, DELETE) are let through, every
    /// further write is answered 500 InternalError until <see cref="ClearFaults"/>. Direct store calls are not affected.
    /// </summary>
    public void FailWritesAfter(int successfulWrites) => faults.FailAfter(successfulWrites);

    /// <summary>
    /// The fault plan (method + path pattern → fault, count), matched against path plus query: error statuses with
    /// Retry-After (429, 503, ...), dropped connections, a server that accepts and never answers, bodies that are not
    /// JSON, and for watches 410 Gone and dropped streams.
    /// </summary>
    public FaultPlan Faults => plan;

    public void ClearFaults()
    {
        faults.Clear();
        plan.Clear();
    }

    /// <summary>A copy of the object, or null.</summary>
    public JsonObject? Get(string apiVersion, string kind, string? ns, string name)
    {
        var type = store.Types.ResolveKind(apiVersion, kind, ns is not null, register: false);
        return store.Get(type, ns ?? "", name);
    }

    /// <summary>Copies of the objects of a kind, in one namespace or (null) all.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null)
    {
        var type = store.Types.ResolveKind(apiVersion, kind, ns is not null, register: false);
        return store.List(type, type.Namespaced ? ns : null).Items;
    }

    /// <summary>
    /// Creates or replaces an object as a controller would: server metadata is stamped, a change bumps the
    /// resourceVersion and raises Changed, an identical object changes nothing. A given .status is stored; an object
    /// without one keeps the stored status. Returns the stored copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">The API server would refuse it (invalid name, missing namespace, ...).</exception>
    public JsonObject Upsert(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = obj["apiVersion"]?.ToString() ?? throw new ArgumentException("apiVersion is required", nameof(obj));
        var kind = obj["kind"]?.ToString() ?? throw new ArgumentException("kind is required", nameof(obj));
        var type = store.Types.ResolveKind(apiVersion, kind, obj["metadata"]?["namespace"] is not null, register: true);
        return Direct(() => store.Upsert(type, (JsonObject)obj.DeepClone()));
    }

    /// <summary>Replaces .status (as a controller's status update), bumping resourceVersion when it changes. Use "" or null namespace for cluster-scoped kinds.</summary>
    /// <exception cref="InvalidOperationException">The object does not exist.</exception>
    public JsonObject PatchStatus(string apiVersion, string kind, string ns, string name, JsonObject status)
    {
        var type = store.Types.ResolveKind(apiVersion, kind, !string.IsNullOrEmpty(ns), register: false);
        return Direct(() => store.SetStatus(type, ns ?? "", name, status));
    }

    /// <summary>Deletes like a DELETE request (finalizers honoured, dependents collected); false when absent.</summary>
    public bool Delete(string apiVersion, string kind, string? ns, string name)
    {
        var type = store.Types.ResolveKind(apiVersion, kind, ns is not null, register: false);
        try
        {
            store.Delete(type, ns ?? "", name, new DeleteOptions(), dryRun: false);
            return true;
        }
        catch (ApiError e) when (e.Code == 404)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Open watches and port-forwards end first, so that stopping Kestrel does not wait for them.
        await shutdown.CancelAsync();
        store.CloseAllWatches();
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        shutdown.Dispose();
    }

    private static JsonObject Direct(Func<JsonObject> write)
    {
        try
        {
            return write();
        }
        catch (ApiError e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    private void Record(HttpRequest request)
    {
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.HasValue ? request.QueryString.Value![1..] : "", request.ContentType);
        lock (requestsGate)
        {
            requests.Add(recorded);
        }
    }

    private void RaiseChanged(WatchEventRecord change)
    {
        if (Changed is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<WatchEventRecord>>())
        {
            try
            {
                handler(change with { Object = (JsonObject)change.Object.DeepClone() });
            }
            catch (Exception e)
            {
                // A failing handler must not fail the write that triggered it, nor starve the other handlers.
                System.Diagnostics.Trace.TraceError($"KubernetesEmulator.Changed handler failed: {e}");
            }
        }
    }
}
