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
/// and target Kafka clusters, opened on first use and disposed together, once, by <see cref="Dispose"/>.
/// Safe for use from the engine's worker threads; open one per invocation, never share it between invocations.
/// </summary>
public sealed class ReplicationSession : IDisposable
{
    private static int _openResources;

    private readonly object _gate = new();
    private readonly IOperationLog _log;
    private readonly List<IDisposable> _owned = new();
    private readonly Dictionary<(string Ns, string Name), FlowHandle> _flows = new();
    private readonly Dictionary<(string Ns, string Name), ConnectRestClient> _connect = new();
    private readonly Dictionary<(string Ns, string Name), SourceKafka> _sources = new();
    private readonly Dictionary<(string Ns, string Name), KafkaGateway> _targets = new();
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
                var config = KubeConnection.ResolveConfiguration(target.KubeconfigPath, target.Context);
                _kubeNamespace = config.Namespace;
                _log.Verbose($"Kubernetes API server {config.Host}{(target.Context is null ? "" : $" (context '{target.Context}')")}");
                return _kube = Own(KubeGateway.FromConfiguration(config, _log, Limits));
            }
        }
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
    public async Task<KafkaGateway> TargetKafkaAsync(FlowHandle flow, KafkaEndpoint endpoint, CancellationToken ct)
    {
        lock (_gate)
            if (_targets.TryGetValue((flow.Namespace, flow.Name), out var known)) return known;
        var cluster = endpoint.Cluster ?? await TargetClusterResolver.ResolveAsync(Kube, flow, endpoint.ExtraConfig is { Count: > 0 }, ct).ConfigureAwait(false);
        var kafka = Kafka(cluster, endpoint with { BootstrapServersParameter = endpoint.BootstrapServersParameter ?? "-TargetBootstrapServers" });
        _log.Verbose($"Target Kafka: {kafka.Settings}");
        lock (_gate) _targets[(flow.Namespace, flow.Name)] = kafka;
        return kafka;
    }

    /// <summary>A Kafka gateway to one cluster, owned (and disposed) by the session.</summary>
    public KafkaGateway Kafka(ReplicationClusterReference cluster, KafkaEndpoint endpoint)
    {
        var gateway = new KafkaGateway(new KafkaClientSettings(cluster)
        {
            BootstrapServersOverride = endpoint.BootstrapServers,
            ExtraConfig = endpoint.ExtraConfig ?? new Dictionary<string, string>(),
            BootstrapServersParameter = endpoint.BootstrapServersParameter,
        }, _log, Limits);
        lock (_gate)
        {
            if (_disposed) { gateway.Dispose(); ObjectDisposedException.ThrowIf(true, this); }
            return Own(gateway);
        }
    }

    private T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        Interlocked.Increment(ref _openResources);
        return resource;
    }

    /// <summary>
    /// Disposes every client the session opened, once. A Kafka client stuck in a native call blocks its Dispose
    /// until that call returns: callers that must not block (a stopped pipeline) call this on a background thread.
    /// </summary>
    public void Dispose()
    {
        List<IDisposable> owned;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            owned = new List<IDisposable>(_owned);
            _owned.Clear();
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
    }
}

/// <summary>A kubeconfig file (already resolved to a file-system path; null: kubectl's lookup) and a context.</summary>
public sealed record KubeTarget(string? KubeconfigPath, string? Context);
