using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Kubernetes;
using KafkaReplication.TestBed.Mirror;
using KafkaReplication.TestBed.Strimzi;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// A deployed flow to operate: the Kubernetes emulator with the Strimzi operator emulator (which runs a Connect REST
/// emulator per KafkaConnect, reached by port-forward), a librdkafka mock cluster as the source with records, and
/// the flow applied through the module. Source topics: orders (3 partitions × 100 records), audit (1 × 10). The target
/// is a second mock cluster with the Default policy's remote topics src.orders (3) and src.audit (1), empty, and
/// src.checkpoints.internal (1); the flow's KafkaConnect points at it, so target reads need no parameters.
/// </summary>
public sealed class OperatedFlow : IAsyncDisposable
{
    public const string Ns = "repl";
    public const string FlowName = "src-to-tgt";
    public const string Connect = "repl-src-tgt";
    public const string SourceConnector = "src-to-tgt-mirror-source-connector";

    public KubernetesEmulator K8s { get; private set; } = null!;
    public StrimziOperatorEmulator Strimzi { get; private set; } = null!;
    public MockKafkaCluster Kafka { get; private set; } = null!;
    public MockKafkaCluster Target { get; private set; } = null!;
    public TestFolder Folder { get; } = new();
    public ModuleSession Ps { get; private set; } = null!;
    /// <summary>MirrorMaker 2's data plane for this flow (call StepAsync, or run it in a loop while a cmdlet waits).</summary>
    public MirrorMakerSimulator Mirror(bool exactlyOnce = false) =>
        new(ConnectApi, Kafka, Target, new MirrorSettings("src", "tgt", new[] { "orders", "audit" }, new[] { "billing" }, ExactlyOnce: exactlyOnce));

    public ConnectEmulator ConnectApi => Strimzi.ConnectFor(Ns, Connect) ?? throw new InvalidOperationException("Connect not reconciled");

    public static async Task<OperatedFlow> StartAsync(StrimziVersion version = StrimziVersion.V0_43)
    {
        var f = new OperatedFlow();
        f.K8s = await KubernetesEmulator.StartAsync();
        f.Strimzi = await StrimziOperatorEmulator.StartAsync(f.K8s, version);
        if (version != StrimziVersion.V0_43)
        {
            // What the module reads to detect Strimzi 0.44+: the KafkaConnector CRD's schema has spec.alterOffsets.
            f.K8s.Upsert(JsonNode.Parse("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"kafkaconnectors.kafka.strimzi.io"},
                 "spec":{"group":"kafka.strimzi.io","names":{"kind":"KafkaConnector","plural":"kafkaconnectors"},"scope":"Namespaced",
                   "versions":[{"name":"v1beta2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"properties":{"spec":{"properties":
                     {"alterOffsets":{"type":"object"},"listOffsets":{"type":"object"},"state":{"type":"string"}}}}}}}]}}
                """)!.AsObject());
        }
        f.Kafka = new MockKafkaCluster(3);
        f.Kafka.CreateTopic("orders", 3);
        f.Kafka.CreateTopic("audit", 1);
        for (var p = 0; p < 3; p++) f.Kafka.Produce("orders", p, 100);
        f.Kafka.Produce("audit", 0, 10);
        f.Kafka.CreateTopic("mm2-offset-syncs.tgt.internal", 1);
        f.Target = new MockKafkaCluster(1);
        f.Target.CreateTopic("src.orders", 3);
        f.Target.CreateTopic("src.audit", 1);
        f.Target.CreateTopic("src.checkpoints.internal", 1);
        var env = f.Folder.Environment(f.K8s.WriteKubeconfig(f.Folder.Path, defaultNamespace: Ns));
        f.Ps = new ModuleSession(f.Folder.Path, env);
        // Short Connect retry backoff for the emulators (process-wide, like the module's assemblies).
        f.Ps.Invoke("(Get-EngineType KafkaReplication.Engine.Session.ReplicationSession)::DefaultConnectRetry = (Get-EngineType KafkaReplication.Engine.Connect.ConnectRetryOptions)::new(5, [timespan]::FromMilliseconds(20))");
        var deploy = f.Ps.Invoke($"""
            $source = New-ReplicationClusterReference -Alias src -BootstrapServers '{f.Kafka.BootstrapServers}'
            $target = New-ReplicationClusterReference -Alias tgt -BootstrapServers '{f.Target.BootstrapServers}'
            New-ReplicationFlow -Name {FlowName} -Namespace {Ns} -Source $source -Target $target -Topics 'orders','audit' -Groups 'billing' | Out-Null
            Wait-ReplicationFlow -Flow {FlowName} -Timeout 00:00:30
            """);
        Assert.True(deploy.Terminating is null && deploy.Errors.Count == 0,
            $"deploying the operated flow failed: {deploy.Terminating?.Message} {string.Join("; ", deploy.Errors.Select(e => e.Exception.Message))}");
        return f;
    }

    /// <summary>Stores offsets as MirrorSourceTask would: the last replicated offset per partition.</summary>
    public void Replicated(string topic, int partition, long lastReplicated) =>
        ConnectApi.CommitOffsets(SourceConnector, new[]
        {
            (new JsonObject { ["cluster"] = "src", ["partition"] = partition, ["topic"] = topic }, (JsonObject?)new JsonObject { ["offset"] = lastReplicated }),
        });

    public long? Stored(string topic, int partition) =>
        (long?)ConnectApi.GetOffsets(SourceConnector)
            .FirstOrDefault(o => (string?)o.Partition["topic"] == topic && (int?)o.Partition["partition"] == partition).Offset?["offset"];

    public string? SpecState(string connector) =>
        (string?)K8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnector", Ns, connector)?["spec"]?["state"];

    public async ValueTask DisposeAsync()
    {
        Ps?.Dispose();
        if (Strimzi is not null) await Strimzi.DisposeAsync();
        if (K8s is not null) await K8s.DisposeAsync();
        Kafka?.Dispose();
        Target?.Dispose();
        Folder.Dispose();
    }
}
