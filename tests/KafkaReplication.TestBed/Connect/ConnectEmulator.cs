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

namespace KafkaReplication.TestBed.Connect;

/// <summary>
/// An in-process Kafka Connect worker (one-worker cluster) on 127.0.0.1 (plain http) with Apache Kafka 3.8's REST rules:
/// connectors, status, tasks, pause/resume/stop/restart and offsets GET/PATCH/DELETE (offsets change only when the
/// connector is STOPPED; MirrorMaker 2 connectors validate them). State changes take effect at once. Faults on demand
/// stand for rebalances, timeouts, dead workers and slow answers. Thread-safe.
/// </summary>
public sealed class ConnectEmulator : IAsyncDisposable
{
    private readonly ConnectorStore store;
    private readonly FaultPlan faults = new();
    private readonly Lock requestsGate = new();
    private readonly Lock workerConfigGate = new();
    private readonly List<ConnectRequest> requests = [];
    private JsonObject workerConfig = new();
    private WebApplication? app;
    private int disposed;

    private ConnectEmulator(string workerId)
    {
        store = new ConnectorStore(workerId, RaiseChanged);
    }

    /// <summary>Raised after any config, state or offset change, with the connector's name; outside any lock.</summary>
    public event Action<string>? Changed;

    public Uri BaseUri { get; private set; } = null!;

    public IPEndPoint EndPoint { get; private set; } = null!;

    public string WorkerId => store.WorkerId;

    /// <summary>
    /// The worker configuration this worker runs with (e.g. a KafkaConnect's spec.config, set by the Strimzi emulator
    /// once the pods run it). Informational: the REST rules do not depend on it.
    /// </summary>
    public JsonObject WorkerConfig
    {
        get
        {
            lock (workerConfigGate)
            {
                return (JsonObject)workerConfig.DeepClone();
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (workerConfigGate)
            {
                workerConfig = (JsonObject)value.DeepClone();
            }
        }
    }

    /// <summary>The requests received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<ConnectRequest> Requests
    {
        get
        {
            lock (requestsGate)
            {
                return requests.ToArray();
            }
        }
    }

    /// <summary>Connector names, sorted.</summary>
    public IReadOnlyList<string> ConnectorNames => store.Names();

    /// <summary>Exporter lines a test adds (e.g. MirrorMaker's per-partition metrics), after the generated task states.</summary>
    public string ExtraMetrics { get; set; } = "";

    /// <summary>
    /// What the exporter of one pod serves: every task runs on the emulator's single worker (the first pod), so that
    /// pod exports the task states (as the jmx rules for connector-task-metrics status render them) and the extra
    /// lines; the other pods export nothing. The pod is told by the Host header (the port-forward client sends its name).
    /// </summary>
    public string MetricsText(string host)
    {
        var worker = store.WorkerId.Split('.', ':')[0];
        if (!string.Equals(host.Split('.')[0], worker, StringComparison.OrdinalIgnoreCase)) return "";
        var text = new System.Text.StringBuilder("# TYPE kafka_connect_connector_status gauge\n");
        foreach (var name in store.Names())
            if (store.Snapshot(name) is { } c)
                foreach (var t in c.Tasks)
                    text.Append($"kafka_connect_connector_status{{connector=\"{name}\",task=\"{t.Id}\",status=\"{t.State.ToLowerInvariant()}\",}} 1.0\n");
        return text.Append(ExtraMetrics).ToString();
    }

    public static async Task<ConnectEmulator> StartAsync(string workerId = "10.0.0.1:8083", CancellationToken ct = default)
    {
        var emulator = new ConnectEmulator(workerId);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var api = new ConnectRestApi(emulator.store, emulator.faults);
        app.Run(async context =>
        {
            // The JMX Prometheus exporter's endpoint (port 9404 in a real pod; the Strimzi emulator forwards it here
            // only when the KafkaConnect has spec.metricsConfig). Connect's REST API has no /metrics path.
            if (context.Request.Path == "/metrics" && context.Request.Method == "GET")
            {
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await context.Response.WriteAsync(emulator.MetricsText(context.Request.Host.Host));
                return;
            }
            var body = await ReadBodyAsync(context.Request);
            emulator.Record(context.Request, body);
            await api.HandleAsync(context, body);
        });
        await app.StartAsync(ct);
        emulator.app = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        emulator.EndPoint = new IPEndPoint(IPAddress.Loopback, address.Port);
        emulator.BaseUri = new Uri($"http://127.0.0.1:{address.Port}/");
        return emulator;
    }

    public void ClearRequests()
    {
        lock (requestsGate)
        {
            requests.Clear();
        }
    }

    /// <summary>A copy of the connector, or null.</summary>
    public ConnectorSnapshot? Get(string name) => store.Snapshot(name);

    /// <summary>
    /// Creates or reconfigures a connector as an operator writing to the config topic would (no HTTP, no faults):
    /// <c>name</c> is set in the config, and the connector takes <paramref name="targetState"/> (STARTED, PAUSED, STOPPED).
    /// </summary>
    /// <exception cref="ArgumentException">The config is invalid (no connector.class, bad tasks.max) or the state unknown.</exception>
    public void PutConnector(string name, JsonObject config, string targetState = "STARTED")
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireTargetState(targetState);
        Direct(() => store.Put(name, config, allowReplace: true, targetState));
    }

    /// <summary>Sets the target state (STARTED, PAUSED, STOPPED), as PUT .../resume, .../pause, .../stop do.</summary>
    public void SetTargetState(string name, string targetState)
    {
        RequireTargetState(targetState);
        Direct(() => store.SetTargetState(name, targetState, $"Connector {name} not found"));
    }

    /// <summary>Deletes the connector (its offsets stay, as in the offsets topic); false when absent.</summary>
    public bool DeleteConnector(string name) => store.Delete(name);

    /// <summary>The connector's offsets as GET .../offsets lists them; empty when there are none.</summary>
    public IReadOnlyList<(JsonObject Partition, JsonObject? Offset)> GetOffsets(string connector) => store.OffsetsOf(connector);

    /// <summary>Offsets as a running task commits them (any state, no validation); a null offset removes the entry.</summary>
    public void CommitOffsets(string connector, IEnumerable<(JsonObject Partition, JsonObject? Offset)> offsets) =>
        store.CommitOffsets(connector, offsets);

    /// <summary>The connector instance fails: state FAILED with this trace, until restarted.</summary>
    public void FailConnector(string name, string trace) => Direct(() => store.Fail(name, trace));

    /// <summary>One task fails: state FAILED with this trace, until restarted.</summary>
    public void FailTask(string name, int task, string trace) => Direct(() => store.FailTask(name, task, trace));

    /// <summary>
    /// The next <paramref name="requests"/> requests whose path (plus query) contains <paramref name="pathContains"/>
    /// get 409 "Cannot complete request momentarily due to stale configuration ...", as during a rebalance.
    /// </summary>
    public void RebalanceFor(int requests, string? pathContains = null) =>
        faults.Add(Fault.Rebalance(), requests, pathContains);

    /// <summary>The next matching requests fail with <paramref name="statusCode"/> (500: "Request timed out").</summary>
    public void FailNext(int requests, int statusCode = 500, string? pathContains = null, string? method = null) =>
        faults.Add(Fault.Status(statusCode), requests, pathContains, method);

    /// <summary>The next matching requests are answered only after <paramref name="delay"/>.</summary>
    public void DelayNext(int requests, TimeSpan delay, string? pathContains = null, string? method = null) =>
        faults.Add(Fault.Slow(delay), requests, pathContains, method);

    /// <summary>The next matching requests lose their TCP connection without an answer.</summary>
    public void DropConnections(int requests, string? pathContains = null) =>
        faults.Add(Fault.Drop(), requests, pathContains);

    /// <summary>While set, the target state can become STOPPED but the status keeps reporting the previous state and tasks.</summary>
    public void NeverReachStopped(string connector, bool value = true) =>
        Direct(() => store.SetNeverReachStopped(connector, value));

    /// <summary>
    /// The fault plan (method + path pattern → fault, count): besides the helpers above, slow answers
    /// (<see cref="Fault.Slow"/>), silent ones (<see cref="Fault.Hang"/>), bodies that are not JSON
    /// (<see cref="Fault.Malformed"/>), and any status with Retry-After (<see cref="Fault.Status"/>, e.g. 401, 403, 429).
    /// </summary>
    public FaultPlan Faults => faults;

    public void ClearFaults() => faults.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0 || app is null)
        {
            return;
        }

        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    internal ConnectorStore Store => store;

    private static void RequireTargetState(string targetState)
    {
        if (!ConnectorRecord.IsTargetState(targetState))
        {
            throw new ArgumentException($"Unknown target state {targetState}; expected STARTED, PAUSED or STOPPED", nameof(targetState));
        }
    }

    private static void Direct(Action action) => Direct(() =>
    {
        action();
        return 0;
    });

    private static T Direct<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ConnectRestError e) when (e.Code == 404)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        catch (ConnectRestError e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        return body.Length == 0 ? null : body;
    }

    private void Record(HttpRequest request, string? body)
    {
        var recorded = new ConnectRequest(request.Method, request.Path.Value ?? "/", request.QueryString.HasValue ? request.QueryString.Value![1..] : "", body);
        lock (requestsGate)
        {
            requests.Add(recorded);
        }
    }

    private void RaiseChanged(string connector)
    {
        if (Changed is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<string>>())
        {
            try
            {
                handler(connector);
            }
            catch (Exception e)
            {
                // A failing handler must not fail the change that triggered it, nor starve the other handlers.
                System.Diagnostics.Trace.TraceError($"ConnectEmulator.Changed handler failed: {e}");
            }
        }
    }
}
