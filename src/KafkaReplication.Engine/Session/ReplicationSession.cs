using KafkaReplication.Engine.Clusters;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Offsets;

namespace KafkaReplication.Engine.Session;

/// <summary>
/// The connections of one cmdlet invocation: Kubernetes, each flow's Kafka Connect REST API and the flows' source
/// and target Kafka clusters, opened on first use and closed together, once. <see cref="Release"/> (an invocation
/// that ended well) hands sound Kubernetes and Kafka clients to <see cref="ClientPool"/> for the next invocation;
/// <see cref="Dispose"/> (an error, a stop) closes everything. Safe for use from the engine's worker threads; open
/// one per invocation, never share it between invocations.
/// </summary>
public sealed class ReplicationSession : IDisposable
{
    private static int _openResources;

    private readonly object _gate = new();
    private readonly IOperationLog _log;
    private readonly List<IDisposable> _owned = new();
    private readonly List<ClientPool.Entry> _leases = new();
    private readonly Dictionary<(string Ns, string Name), FlowHandle> _flows = new();
    private readonly Dictionary<(string Ns, string Name), ConnectRestClient> _connect = new();
    private readonly Dictionary<(string Ns, string Name), SourceKafka> _sources = new();
    private readonly Dictionary<(string Ns, string Name), IKafkaGateway> _targets = new();
    private readonly KubeTarget? _kubeTarget;
    private KubeGateway? _kube;
    private string? _kubeNamespace;
    private bool? _strimziOffsets;
    private bool _disposed;

    /// <param name="log">Where the session and the gateways it opens report.</param>
    /// <param name="limits">Per-request limits handed to every gateway.</param>
    /// <param name="kube">Where Kubernetes is (a resolved kubeconfig path and a context); null when the invocation needs no cluster.</param>
    public ReplicationSession(IOperationLog log, RequestLimits? limits = null, KubeTarget? kube = null)
    {
        _log = log;
        Limits = limits ?? RequestLimits.Default;
        _kubeTarget = kube;
    }

    /// <summary>Clients and port-forward routes that sessions have opened and not yet disposed, process-wide (tests count them).</summary>
    public static int OpenResources => Volatile.Read(ref _openResources);

    public RequestLimits Limits { get; }

    /// <summary>Where clients are kept between invocations (process-wide).</summary>
    public ClientPool Pool { get; init; } = ClientPool.Shared;

    /// <summary>Retry bounds of the Connect clients of new sessions, process-wide (a test bed shortens the backoff).</summary>
    public static ConnectRetryOptions DefaultConnectRetry { get; set; } = ConnectRetryOptions.Default;

    /// <summary>Retry bounds of this session's Connect clients.</summary>
    public ConnectRetryOptions ConnectRetry { get; init; } = DefaultConnectRetry;

    /// <summary>The Kubernetes gateway, resolved like kubectl on first use.</summary>
    public KubeGateway Kube
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_kube is not null) return _kube;
                var target = _kubeTarget ?? new KubeTarget(null, null);
                var key = KubeKey(target);
                if (key is not null && Pool.Take(key) is { } pooled)
                {
                    var reused = (KubeGateway)Lease(pooled).Client;
                    _kubeNamespace = reused.Configuration?.Namespace;
                    _log.Verbose($"Kubernetes API server {reused.Configuration?.Host}{(target.Context is null ? "" : $" (context '{target.Context}')")}, client reused");
                    return _kube = reused;
                }
                var config = KubeConnection.ResolveConfiguration(target.KubeconfigPath, target.Context);
                _kubeNamespace = config.Namespace;
                _log.Verbose($"Kubernetes API server {config.Host}{(target.Context is null ? "" : $" (context '{target.Context}')")}");
                if (key is null) return _kube = Own(KubeGateway.FromConfiguration(config, _log, Limits));
                var log = new SwitchableLog(_log);
                var gateway = KubeGateway.FromConfiguration(config, log, Limits);
                return _kube = (KubeGateway)Lease(new ClientPool.Entry(key, gateway, log, () => true)).Client;
            }
        }
    }

    /// <summary>
    /// The pool key of the Kubernetes client: the kubeconfig files kubectl would read (their contents: a changed file
    /// or current-context is another key), the context and the limits; in-cluster, the service account token. Null
    /// (no reuse) when there is nothing to read, so that resolving reports why.
    /// </summary>
    private string? KubeKey(KubeTarget target)
    {
        try
        {
            var parts = new List<string> { target.Context ?? "", Limits.Request.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var files = KubeConnection.KubeconfigFiles(target.KubeconfigPath);
            if (files.Count == 0)
            {
                const string token = "/var/run/secrets/kubernetes.io/serviceaccount/token";
                if (!File.Exists(token)) return null;
                parts.Add("in-cluster");
                parts.Add(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") ?? "");
                parts.Add(File.ReadAllText(token));
            }
            foreach (var f in files)
            {
                parts.Add(Path.GetFullPath(f));
                parts.Add(File.ReadAllText(f));
            }
            return ClientPool.Key("kube", parts);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>The namespace of the kubeconfig context, else "default" (as kubectl).</summary>
    public string DefaultNamespace
    {
        get
        {
            _ = Kube;
            return string.IsNullOrEmpty(_kubeNamespace) ? "default" : _kubeNamespace!;
        }
    }

    /// <summary>A deployed flow, read once per invocation.</summary>
    public async Task<FlowHandle> FlowAsync(string ns, string name, CancellationToken ct)
    {
        lock (_gate)
            if (_flows.TryGetValue((ns, name), out var known)) return known;
        var flow = await FlowHandle.ResolveAsync(Kube, ns, name, ct).ConfigureAwait(false);
        lock (_gate) _flows[(ns, name)] = flow;
        return flow;
    }

    /// <summary>The flow's Connect REST client (one route per flow per invocation).</summary>
    public async Task<ConnectRestClient> ConnectAsync(FlowHandle flow, ConnectEndpoint endpoint, CancellationToken ct)
    {
        lock (_gate)
            if (_connect.TryGetValue((flow.Namespace, flow.Name), out var known)) return known;
        var transport = await ConnectTransportFactory.CreateAsync(Kube, flow.Namespace, flow.ConnectCluster, endpoint.EffectiveAccess, endpoint.Direct, _log, ct)
            .ConfigureAwait(false);
        var client = new ConnectRestClient(transport, _log, ConnectRetry, Limits);
        lock (_gate)
        {
            if (_disposed) { client.Dispose(); ObjectDisposedException.ThrowIf(true, this); }
            _connect[(flow.Namespace, flow.Name)] = Own(client);
        }
        return client;
    }

    /// <summary>
    /// How the flow's connector offsets are read and changed and its connector states observed: Strimzi annotations
    /// (0.44+) or the Connect REST API, chosen once per invocation and said in verbose output.
    /// </summary>
    public async Task<(IConnectorOffsets Offsets, IConnectorStates States)> ConnectorAccessAsync(FlowHandle flow, ConnectEndpoint endpoint,
        OffsetApi api, TimeSpan annotationTimeout, CancellationToken ct)
    {
        var kube = Kube;
        _strimziOffsets ??= api switch
        {
            OffsetApi.StrimziAnnotations => true,
            OffsetApi.ConnectRest => false,
            _ => endpoint.Uri is null && await StrimziConnectorAccess.IsSupportedAsync(kube, ct).ConfigureAwait(false),
        };
        if (_strimziOffsets == true)
        {
            var access = new StrimziConnectorAccess(kube, flow.Namespace, flow.Name, _log, annotationTimeout);
            _log.Verbose($"Offsets through {access.Description}.");
            return (access, access);
        }
        var rest = new RestConnectorAccess(await ConnectAsync(flow, endpoint, ct).ConfigureAwait(false));
        _log.Verbose($"Offsets through {rest.Description}.");
        return (rest, rest);
    }

    /// <summary>The flow's source cluster: the given reference, else rebuilt from the flow's source ConfigMap and Secret.</summary>
    public async Task<SourceKafka> SourceKafkaAsync(FlowHandle flow, KafkaEndpoint endpoint, CancellationToken ct)
    {
        lock (_gate)
            if (_sources.TryGetValue((flow.Namespace, flow.Name), out var known)) return known;
        var cluster = endpoint.Cluster ?? await SourceClusterResolver.ResolveAsync(Kube, flow, ct).ConfigureAwait(false);
        var kafka = new SourceKafka(Kafka(cluster, endpoint with { BootstrapServersParameter = endpoint.BootstrapServersParameter ?? "-SourceBootstrapServers" }));
        _log.Verbose($"Source Kafka: {kafka.Gateway.Settings}");
        lock (_gate) _sources[(flow.Namespace, flow.Name)] = kafka;
        return kafka;
    }

    /// <summary>The flow's target cluster: the given reference, else the KafkaConnect's bootstrapServers without security.</summary>
    public async Task<IKafkaGateway> TargetKafkaAsync(FlowHandle flow, KafkaEndpoint endpoint, CancellationToken ct)
    {
        lock (_gate)
            if (_targets.TryGetValue((flow.Namespace, flow.Name), out var known)) return known;
        var cluster = endpoint.Cluster ?? await TargetClusterResolver.ResolveAsync(Kube, flow, endpoint.ExtraConfig is { Count: > 0 }, ct).ConfigureAwait(false);
        var kafka = Kafka(cluster, endpoint with { BootstrapServersParameter = endpoint.BootstrapServersParameter ?? "-TargetBootstrapServers" });
        _log.Verbose($"Target Kafka: {kafka.Settings}");
        lock (_gate) _targets[(flow.Namespace, flow.Name)] = kafka;
        return kafka;
    }

    /// <summary>A Kafka gateway to one cluster, held by the session: an idle one from the pool when one was built from the same settings.</summary>
    public IKafkaGateway Kafka(ReplicationClusterReference cluster, KafkaEndpoint endpoint)
    {
        var settings = new KafkaClientSettings(cluster)
        {
            BootstrapServersOverride = endpoint.BootstrapServers,
            ExtraConfig = endpoint.ExtraConfig ?? new Dictionary<string, string>(),
            BootstrapServersParameter = endpoint.BootstrapServersParameter,
        }.WithLimits(Limits);
        var key = KafkaKey(settings);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (key is not null && Pool.Take(key) is { } pooled)
            {
                _log.Verbose($"Kafka: reusing the admin client of {settings}.");
                return (IKafkaGateway)Lease(pooled).Client;
            }
            if (key is null) return Own(KafkaClients.Shared.Create(settings, _log));
            var log = new SwitchableLog(_log);
            var gateway = KafkaClients.Shared.Create(settings, log);
            return (IKafkaGateway)Lease(new ClientPool.Entry(key, gateway, log, () => gateway.IsReusable)).Client;
        }
    }

    /// <summary>Everything the client is built from (password and CA included, hashed); null when the settings are
    /// refused, so that the gateway reports that at first use as before.</summary>
    private static string? KafkaKey(KafkaClientSettings settings)
    {
        try
        {
            var parts = settings.Build().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}").ToList();
            parts.Add(settings.BootstrapServersParameter ?? "");
            parts.Add(settings.Cluster.Alias);
            parts.Add(settings.RequestTimeout.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            parts.Add(settings.UnreachableAfter.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return ClientPool.Key("kafka", parts);
        }
        catch (ReplicationException) { return null; }
    }

    /// <summary>A pooled client, now reporting to this invocation.</summary>
    private ClientPool.Entry Lease(ClientPool.Entry entry)
    {
        entry.Log.Target = _log;
        _leases.Add(entry);
        Interlocked.Increment(ref _openResources);
        return entry;
    }

    private T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        Interlocked.Increment(ref _openResources);
        return resource;
    }

    /// <summary>
    /// Closes every client the session opened, once. A Kafka client stuck in a native call blocks its Dispose
    /// until that call returns: callers that must not block (a stopped pipeline) call this on a background thread.
    /// </summary>
    public void Dispose() => Close(keep: false);

    /// <summary>The invocation ended well: sound pooled clients go back to the pool, the rest is closed.</summary>
    public void Release() => Close(keep: true);

    private void Close(bool keep)
    {
        List<IDisposable> owned;
        List<ClientPool.Entry> leases;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            owned = new List<IDisposable>(_owned);
            leases = new List<ClientPool.Entry>(_leases);
            _owned.Clear();
            _leases.Clear();
            _flows.Clear();
            _connect.Clear();
            _sources.Clear();
            _targets.Clear();
        }
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            try { owned[i].Dispose(); }
            catch (Exception e) { _log.Verbose($"Closing a connection failed: {e.Message}"); }
            finally { Interlocked.Decrement(ref _openResources); }
        }
        foreach (var lease in leases)
        {
            try
            {
                if (keep) Pool.Return(lease);
                else
                {
                    lease.Log.Target = NullOperationLog.Instance;
                    lease.Client.Dispose();
                }
            }
            catch (Exception e) { _log.Verbose($"Closing a connection failed: {e.Message}"); }
            finally { Interlocked.Decrement(ref _openResources); }
        }
    }
}

/// <summary>A kubeconfig file (already resolved to a file-system path; null: kubectl's lookup) and a context.</summary>
public sealed record KubeTarget(string? KubeconfigPath, string? Context);
