using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Kubernetes;
using static KafkaReplication.TestBed.Strimzi.StrimziNames;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>
/// The Strimzi cluster operator's Connect side, against a <see cref="KubernetesEmulator"/>: each KafkaConnect gets its
/// ServiceAccount, REST Service, pods, status and a <see cref="ConnectEmulator"/> that port-forwards to its pods reach;
/// KafkaConnectors are registered in it and their spec.state, restart annotations and (0.45) offsets annotations
/// honoured; connectors changed only through REST are reverted and connectors without a KafkaConnector deleted.
/// A reconciliation pass runs on every change to a Strimzi kind, on every Connect change, and every 200 ms.
/// </summary>
public sealed partial class StrimziOperatorEmulator : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);

    private readonly KubernetesEmulator k8s;
    private readonly StrimziVersion version;
    private readonly ConcurrentDictionary<(string Ns, string Name), ConnectCluster> clusters = new();
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly Lock waitersGate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Func<string, string, int, IPEndPoint?>? previousTarget;
    private readonly Func<string, string, int, IPEndPoint?> target;
    private readonly KafkaConnectReconciler connects;
    private readonly KafkaConnectorReconciler connectors;
    private List<TaskCompletionSource> waiters = [];
    private Task loop = Task.CompletedTask;
    private long stepDelayTicks = TimeSpan.FromMilliseconds(50).Ticks;
    private int disposed;

    private StrimziOperatorEmulator(KubernetesEmulator k8s, StrimziVersion version)
    {
        this.k8s = k8s;
        this.version = version;
        connects = new KafkaConnectReconciler(k8s, version, () => RollingRestartStepDelay, Signal);
        connectors = new KafkaConnectorReconciler(k8s, version, () => IgnoredOffsetsAction);
        previousTarget = k8s.PortForwardTarget;
        target = PortForwardTarget;
    }

    public StrimziVersion Version => version;

    /// <summary>While set (list, alter or reset), the operator leaves that strimzi.io/connector-offsets request alone, as a busy or stuck operator would.</summary>
    public string? IgnoredOffsetsAction { get; set; }

    /// <summary>The pause between two pods of a rolling restart (default 50 ms).</summary>
    public TimeSpan RollingRestartStepDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref stepDelayTicks));
        set => Interlocked.Exchange(ref stepDelayTicks, value.Ticks);
    }

    public static async Task<StrimziOperatorEmulator> StartAsync(KubernetesEmulator k8s, StrimziVersion version = StrimziVersion.V0_43, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(k8s);
        StrimziReleases.Install(k8s, version);
        var operatorEmulator = new StrimziOperatorEmulator(k8s, version);
        k8s.PortForwardTarget = operatorEmulator.target;
        k8s.ServiceProxyTarget = operatorEmulator.ServiceProxyTarget;
        k8s.Changed += operatorEmulator.OnKubernetesChanged;
        operatorEmulator.loop = Task.Run(() => operatorEmulator.RunAsync(operatorEmulator.stop.Token), CancellationToken.None);
        await operatorEmulator.ReconcileNowAsync().WaitAsync(ct);
        return operatorEmulator;
    }

    /// <summary>
    /// Creates the operator's own Deployment (and its namespace), from which the module reads the release and the
    /// supported Kafka versions. Without it the cluster tells only its served API versions.
    /// </summary>
    public void InstallOperatorDeployment(string ns = "strimzi")
    {
        if (k8s.Get("v1", "Namespace", null, ns) is null)
        {
            k8s.Upsert(new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns } });
        }

        k8s.Upsert(StrimziReleases.OperatorDeployment(version, ns));
    }

    /// <summary>The worker file a Connect pod of this KafkaConnect sees (/tmp/strimzi-connect.properties); null when there is no such KafkaConnect.</summary>
    public IReadOnlyDictionary<string, string>? WorkerFileOf(string ns, string kafkaConnectName) =>
        k8s.Get(ApiVersion, KafkaConnect, ns, kafkaConnectName) is { } kc ? WorkerFile.For(k8s, kc, version) : null;

    /// <summary>The Connect emulator behind a KafkaConnect, once the operator has reconciled it; null otherwise.</summary>
    public ConnectEmulator? ConnectFor(string ns, string kafkaConnectName) =>
        clusters.TryGetValue((ns, kafkaConnectName), out var cluster) ? cluster.Connect : null;

    /// <summary>Runs a full reconciliation pass that starts after this call; completes when it is done.</summary>
    /// <exception cref="ObjectDisposedException">The operator has been disposed.</exception>
    public Task ReconcileNowAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (waitersGate)
        {
            waiters.Add(done);
        }

        Signal();
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        k8s.Changed -= OnKubernetesChanged;
        if (k8s.PortForwardTarget == target)
        {
            k8s.PortForwardTarget = previousTarget;
        }

        await stop.CancelAsync();
        await loop.ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var cluster in clusters.Values)
        {
            await (cluster.Roll ?? Task.CompletedTask).ContinueWith(_ => { }, TaskScheduler.Default);
            cluster.Connect.Changed -= OnConnectChanged;
            await cluster.Connect.DisposeAsync();
        }

        clusters.Clear();
        lock (waitersGate)
        {
            waiters.ForEach(w => w.TrySetException(new ObjectDisposedException(nameof(StrimziOperatorEmulator))));
            waiters.Clear();
        }

        stop.Dispose();
    }

    private void Signal()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnKubernetesChanged(WatchEventRecord change)
    {
        var kind = change.Object["kind"]?.ToString();
        if (kind is KafkaConnect or KafkaConnector || (kind == "Pod" && Label(change.Object, KindLabel) == KafkaConnect))
        {
            Signal();
        }
    }

    private void OnConnectChanged(string connector) => Signal();

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(Period, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            List<TaskCompletionSource> batch;
            lock (waitersGate)
            {
                batch = waiters;
                waiters = [];
            }

            Exception? failure = null;
            try
            {
                await PassAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                batch.ForEach(w => w.TrySetCanceled(ct));
                return;
            }
            catch (Exception e)
            {
                failure = e;
                System.Diagnostics.Trace.TraceError($"Strimzi emulator: reconciliation pass failed: {e}");
            }

            batch.ForEach(w => _ = failure is null ? w.TrySetResult() : w.TrySetException(failure));
        }
    }

    // One pass: KafkaConnects (and their Connect emulators) first, then KafkaConnectors, then orphaned connectors.
    private async Task PassAsync(CancellationToken ct)
    {
        var live = new HashSet<(string, string)>();
        foreach (var kafkaConnect in k8s.List(ApiVersion, KafkaConnect))
        {
            if (IsDeleting(kafkaConnect))
            {
                continue;
            }

            var key = (Str(kafkaConnect, "metadata", "namespace")!, Str(kafkaConnect, "metadata", "name")!);
            live.Add(key);
            if (!clusters.TryGetValue(key, out var cluster))
            {
                // Not cancellable: a half-started server would leak; the dispose path stops whatever is in the map.
                var connect = await ConnectEmulator.StartAsync($"{Pod(key.Item2, 0)}.{Component(key.Item2)}.{key.Item1}.svc:{RestPort}", CancellationToken.None);
                connect.Changed += OnConnectChanged;
                clusters[key] = cluster = new ConnectCluster(key.Item1, key.Item2, connect);
            }

            Isolated($"KafkaConnect {key}", () => connects.Reconcile(kafkaConnect, cluster, ct));
        }

        foreach (var gone in clusters.Keys.Where(k => !live.Contains(k)).ToList())
        {
            if (clusters.TryRemove(gone, out var cluster))
            {
                cluster.Connect.Changed -= OnConnectChanged;
                await cluster.Connect.DisposeAsync();
            }
        }

        var desired = k8s.List(ApiVersion, KafkaConnector).Where(c => !IsDeleting(c)).ToList();
        foreach (var connector in desired)
        {
            Isolated($"KafkaConnector {Str(connector, "metadata", "name")}", () => connectors.Reconcile(connector, ClusterOf));
        }

        // reconcileConnectors: Strimzi owns the connectors of a cluster that uses KafkaConnector resources.
        foreach (var cluster in clusters.Values.Where(c => !c.Rolling))
        {
            var kafkaConnect = k8s.Get(ApiVersion, KafkaConnect, cluster.Namespace, cluster.Name);
            if (kafkaConnect is null || Annotation(kafkaConnect, UseConnectorResources) != "true")
            {
                continue;
            }

            var wanted = desired
                .Where(c => Str(c, "metadata", "namespace") == cluster.Namespace && Label(c, ClusterLabel) == cluster.Name)
                .Select(c => Str(c, "metadata", "name"))
                .ToHashSet();
            foreach (var orphan in cluster.Connect.ConnectorNames.Where(n => !wanted.Contains(n)))
            {
                cluster.Connect.DeleteConnector(orphan);
            }
        }
    }

    private ConnectCluster? ClusterOf(string ns, string name) => clusters.TryGetValue((ns, name), out var cluster) ? cluster : null;

    // One resource failing (deleted mid-pass, malformed) must not stop the others, as in the real operator.
    private static void Isolated(string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            System.Diagnostics.Trace.TraceWarning($"Strimzi emulator: reconciling {what} failed: {e}");
        }
    }

    // Port 8083 of a pod of a reconciled KafkaConnect reaches that cluster's Connect emulator; anything else goes to
    // whatever target was set before the operator started.
    private IPEndPoint? PortForwardTarget(string ns, string pod, int port)
    {
        if (port is RestPort or MetricsPort && PodName().Match(pod) is { Success: true } match
            && clusters.TryGetValue((ns, match.Groups["cluster"].Value), out var cluster)
            && k8s.Get("v1", "Pod", ns, pod) is { } found && Label(found, ClusterLabel) == cluster.Name && Label(found, KindLabel) == KafkaConnect
            // Strimzi runs the JMX Prometheus exporter (tcp-prometheus, 9404) only with spec.metricsConfig.
            && (port == RestPort || k8s.Get(ApiVersion, KafkaConnect, ns, cluster.Name)?["spec"]?["metricsConfig"] is not null))
        {
            return cluster.Connect.EndPoint;
        }

        return previousTarget?.Invoke(ns, pod, port);
    }

    [GeneratedRegex("^(?<cluster>.+)-connect-[0-9]+$")]
    private static partial Regex PodName();

    /// <summary>The &lt;name&gt;-connect-api service on 8083 reaches the cluster's Connect emulator. Real clusters put a
    /// NetworkPolicy in front of it that usually blocks the proxy; the emulator has none.</summary>
    private IPEndPoint? ServiceProxyTarget(string ns, string service, int port) =>
        port == RestPort && service.EndsWith("-connect-api", StringComparison.Ordinal)
            && clusters.TryGetValue((ns, service[..^"-connect-api".Length]), out var cluster)
            ? cluster.Connect.EndPoint
            : null;
}
