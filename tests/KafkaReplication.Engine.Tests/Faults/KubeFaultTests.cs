using System.Diagnostics;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Tests.Kafka;
using KafkaReplication.TestBed.Faults;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Engine.Tests.Faults;

/// <summary>
/// The Kubernetes gateway and waits against an API server that misbehaves (the emulator's fault plan): every call
/// bounded by the per-request limit, transient failures retried with Retry-After honoured, watches mended.
/// </summary>
public sealed class KubeFaultTests : IClassFixture<TestFiles>, IAsyncLifetime
{
    private const string Connectors = "/apis/kafka.strimzi.io/v1beta2/namespaces/repl/kafkaconnectors";
    private readonly TestFiles _f;
    private readonly RecordingLog _log = new();
    private KubernetesEmulator _k8s = null!;
    private KubeGateway _kube = null!;

    public KubeFaultTests(TestFiles files) => _f = files;

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesEmulator.StartAsync();
        _kube = Gateway(TimeSpan.FromSeconds(30));
        _k8s.Upsert(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "repl" } });
        _k8s.Upsert(Connector("c1"));
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _k8s.DisposeAsync();
    }

    private KubeGateway Gateway(TimeSpan limit) =>
        KubeGateway.FromConfiguration(KubeConnection.ResolveConfiguration(_k8s.WriteKubeconfig(_f.Directory, "faults-" + Guid.NewGuid().ToString("N")[..6])),
            _log, new RequestLimits { Request = limit });

    private static JsonObject Connector(string name, string? state = null) => new()
    {
        ["apiVersion"] = FlowManifestBuilder.StrimziApiVersion,
        ["kind"] = "KafkaConnector",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "repl", ["labels"] = new JsonObject { ["app"] = "x" } },
        ["spec"] = new JsonObject { ["class"] = "C", ["state"] = state ?? "running" },
    };

    private Task<IReadOnlyList<JsonObject>> ListConnectors(KubeGateway kube) =>
        kube.ListAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl", "app=x", CancellationToken.None);

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_ends_in_KubernetesTimeout_within_the_limit()
    {
        using var kube = Gateway(TimeSpan.FromSeconds(1));
        _k8s.Faults.Add(Fault.Hang(), count: 10, pathContains: Connectors);
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => ListConnectors(kube));

        FaultTable.Record("Kubernetes: accepts, never answers (limit 1 s)", FaultTable.KubeReads, e.ErrorId, watch.Elapsed);
        Assert.Equal((ReplicationErrorKind.Timeout, "KubernetesTimeout"), (e.Kind, e.ErrorId));
        Assert.Contains(_k8s.BaseUri.Authority, e.Message);
        Assert.Contains($"GET {Connectors}", e.Message);
        Assert.Contains("within 1 s", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(1, _k8s.Requests.Count(r => r.Path == Connectors)); // a timeout is not retried
    }

    [Fact]
    public async Task Cancelling_a_call_to_a_silent_server_stops_it_at_once()
    {
        _k8s.Faults.Add(Fault.Hang(), pathContains: Connectors);
        using var cts = new CancellationTokenSource();
        var call = _kube.ListAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl", "app=x", cts.Token);
        var watch = Stopwatch.StartNew();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        FaultTable.Record("Kubernetes: accepts, never answers (limit 1 s)", FaultTable.KubeReads, "stopped", watch.Elapsed, stop: true);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_servers_Retry_After_and_shown_in_verbose()
    {
        _k8s.Faults.Add(Fault.Status(429, retryAfter: TimeSpan.FromSeconds(1)), pathContains: Connectors);
        var watch = Stopwatch.StartNew();

        var list = await ListConnectors(_kube);

        FaultTable.Record("Kubernetes: 429 with Retry-After 1 s", FaultTable.KubeReads, "retried, succeeds", watch.Elapsed);
        Assert.Single(list);
        Assert.Equal(2, _k8s.Requests.Count(r => r.Path == Connectors));
        Assert.Contains(_log.Messages, m => m.Contains("HTTP 429") && m.Contains("retry 1 of 4 in 1000 ms"));
    }

    [Fact]
    public async Task Unavailable_and_dropped_connections_are_retried_on_idempotent_calls()
    {
        _k8s.Faults.Add(Fault.Status(503), count: 2, pathContains: "/kafkaconnectors/c1", method: "GET")
            .Add(Fault.Drop(), count: 1, pathContains: "/kafkaconnectors/c1", method: "PATCH")
            .Add(Fault.Status(502), count: 1, pathContains: "/kafkaconnectors/c1", method: "DELETE");

        var got = await _kube.GetAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl", "c1", CancellationToken.None);
        var patched = await _kube.MergePatchAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl", "c1",
            new JsonObject { ["spec"] = new JsonObject { ["state"] = "stopped" } }, CancellationToken.None);
        var deleted = await _kube.DeleteAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl", "c1", CancellationToken.None);

        Assert.Equal("c1", (string?)got?["metadata"]?["name"]);
        Assert.Equal("stopped", (string?)patched["spec"]?["state"]);
        Assert.True(deleted);
        Assert.Equal(0, _k8s.Faults.Pending);
        Assert.Equal(4, _log.Messages.Count(m => m.Contains("retry")));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_error_keeps_no_HTTP_exception()
    {
        _k8s.Faults.Add(Fault.Status(503), count: 100, pathContains: Connectors);

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<ReplicationException>(() => ListConnectors(_kube));

        FaultTable.Record("Kubernetes: 503 on every attempt", FaultTable.KubeReads, e.ErrorId, watch.Elapsed);
        Assert.Equal((ReplicationErrorKind.Unreachable, "KubernetesUnavailable"), (e.Kind, e.ErrorId));
        Assert.Contains("HTTP 503", e.Message);
        // Only the scrubbed ClientError (type and status) stands for the client's exception: never the
        // HttpOperationException itself, whose request body can be a Secret.
        var inner = Assert.IsType<KafkaReplication.Engine.Errors.ClientError>(e.InnerException);
        Assert.Equal("k8s.Autorest.HttpOperationException", inner.ClientType);
        Assert.Null(inner.InnerException);
        Assert.Equal(KubeGateway.MaxRetries + 1, _k8s.Requests.Count(r => r.Path == Connectors));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_module_error()
    {
        _k8s.Faults.Add(Fault.Malformed(), pathContains: "/kafkaconnectors/c1");
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() =>
            _kube.GetAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl", "c1", CancellationToken.None));

        FaultTable.Record("Kubernetes: 200 with a body that is not JSON", FaultTable.KubeReads, e.ErrorId, watch.Elapsed);
        Assert.Equal("KubernetesMalformedResponse", e.ErrorId);
    }

    [Fact]
    public async Task Unauthorized_is_an_authentication_error()
    {
        _k8s.Faults.Add(Fault.Status(401), pathContains: Connectors);
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => ListConnectors(_kube));

        FaultTable.Record("Kubernetes: HTTP 401", FaultTable.KubeReads, e.ErrorId, watch.Elapsed);
        Assert.Equal((ReplicationErrorKind.AuthenticationFailed, "KubernetesUnauthorized"), (e.Kind, e.ErrorId));
    }

    private Task<JsonObject?> WaitForStopped(TimeSpan timeout) =>
        KubeWait.UntilAsync(_kube, FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl", "c1",
            o => (string?)o?["spec"]?["state"] == "stopped" ? WaitCheck.Complete("stopped") : WaitCheck.Pending("not stopped"),
            timeout, _log, "waiting", CancellationToken.None);

    private async Task WhenAsync(Func<bool> condition)
    {
        var limit = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(limit.Elapsed < TimeSpan.FromSeconds(20), "the emulator never saw the expected request");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_dropped_watch_is_reopened_and_the_wait_still_sees_the_change()
    {
        _k8s.Faults.Add(Fault.WatchDrop(), pathContains: "watch=true");
        var wait = WaitForStopped(TimeSpan.FromSeconds(30));
        await WhenAsync(() => _k8s.Faults.Pending == 0);

        _k8s.Upsert(Connector("c1", "stopped"));

        var done = await wait;
        FaultTable.Record("Kubernetes: watch connection dropped", FaultTable.Waits, "watch reopened, wait succeeds", null);
        Assert.Equal("stopped", (string?)done?["spec"]?["state"]);
        Assert.Contains(_log.Messages, m => m.Contains("The watch of KafkaConnector repl/c1 ended"));
    }

    [Fact]
    public async Task A_watch_answered_410_Gone_lists_again_and_watches_from_there()
    {
        _k8s.Faults.Add(Fault.WatchGone(), pathContains: "watch=true");
        var wait = WaitForStopped(TimeSpan.FromSeconds(30));
        await WhenAsync(() => _k8s.Faults.Pending == 0);

        _k8s.Upsert(Connector("c1", "stopped"));

        await wait;
        FaultTable.Record("Kubernetes: watch answered 410 Gone", FaultTable.Waits, "re-listed, wait succeeds", null);
        Assert.Contains(_log.Messages, m => m.Contains("HTTP 410 Expired"));
    }

    [Fact]
    public async Task A_change_between_the_read_and_the_watch_is_not_missed()
    {
        // The watch request reaches the server late; the change happens in between. Watching from the read's
        // resourceVersion replays it; a watch from "now" would miss it and wait until the timeout.
        _k8s.Faults.Add(Fault.Slow(TimeSpan.FromSeconds(1)), pathContains: "watch=true");
        var wait = WaitForStopped(TimeSpan.FromSeconds(8));
        await WhenAsync(() => _k8s.Requests.Any(r => r.Query.Contains("watch=true")));

        _k8s.Upsert(Connector("c1", "stopped"));

        var done = await wait;
        Assert.Equal("stopped", (string?)done?["spec"]?["state"]);
    }

    [Fact]
    public async Task A_failed_read_between_watches_does_not_end_the_wait()
    {
        // Every watch is cut; the reads in between fail with 503 more often than one call retries.
        _k8s.Faults.Add(Fault.WatchDrop(), count: 2, pathContains: "watch=true")
            .Add(Fault.Status(503), count: KubeGateway.MaxRetries + 1, pathContains: "/kafkaconnectors/c1", method: "GET", skip: 1);
        var wait = WaitForStopped(TimeSpan.FromSeconds(60));
        await WhenAsync(() => _k8s.Faults.Pending == 0);

        _k8s.Upsert(Connector("c1", "stopped"));

        await wait;
        Assert.Contains(_log.Messages, m => m.Contains("trying again until the wait's timeout"));
    }
}
