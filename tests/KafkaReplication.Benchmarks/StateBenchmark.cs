using System.Diagnostics;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Monitoring;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Kafka;
using EngineOffsetSpec = KafkaReplication.Engine.Kafka.OffsetSpec;

namespace KafkaReplication.Benchmarks;

/// <summary>
/// Get-ReplicationState's engine path for every partition of the cluster: the source connector's offsets seeded in the
/// Connect REST emulator, the reader's Connect and Kafka requests counted, and the Kafka part timed against the raw
/// client doing the same work (metadata, then start and end offsets in 10 concurrent calls of 1,000 each).
/// </summary>
internal static class StateBenchmark
{
    public static async Task RunAsync(MockKafkaCluster cluster, ReplicationClusterReference source, IReadOnlyList<(string Topic, int Partition)> partitions, int runs)
    {
        await using var connect = await ConnectEmulator.StartAsync();
        const string connector = "bench-mirror-source-connector";
        connect.PutConnector(connector, new JsonObject
        {
            ["connector.class"] = "org.apache.kafka.connect.mirror.MirrorSourceConnector", ["tasks.max"] = "3", ["topics"] = "bench-.*",
        });
        connect.CommitOffsets(connector, partitions.Select(p => (new JsonObject { ["cluster"] = "bench", ["partition"] = p.Partition, ["topic"] = p.Topic }, (JsonObject?)new JsonObject { ["offset"] = 0 })));
        var flow = new FlowHandle("bench", "bench", "bench-connect", "bench", "target", ReplicationPolicy.Default,
            new[] { new FlowConnector(connector, "source", "running", new JsonObject { ["topics"] = "bench-.*" }) });
        using var rest = new ConnectRestClient(new ConnectTransport(new HttpClient { BaseAddress = connect.BaseUri }, "direct"), NullOperationLog.Instance);
        // The reader needs Kubernetes only to follow ${cfmap:...} topic references; this flow has a literal filter.
        using var kube = new KubeGateway(new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }));
        using var kafka = SourceKafka.Create(source, null, null, NullOperationLog.Instance);
        var reader = new ReplicationStateReader(kube, new RestConnectorAccess(rest), kafka, NullOperationLog.Instance);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        async Task RawKafkaPart()
        {
            var md = admin.GetMetadata(TimeSpan.FromSeconds(10));
            var tps = md.Topics.Where(t => t.Topic.StartsWith("bench-", StringComparison.Ordinal))
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))).ToList();
            foreach (var spec in new[] { Confluent.Kafka.Admin.OffsetSpec.Earliest(), Confluent.Kafka.Admin.OffsetSpec.Latest() })
                await Task.WhenAll(tps.Chunk(1_000).Select(c => admin.ListOffsetsAsync(c.Select(tp => new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = spec }))));
        }
        async Task KafkaPart()
        {
            var listed = await kafka.ListPartitionsAsync(new[] { "bench-.*" }, CancellationToken.None);
            await kafka.GetOffsetsAsync(listed, EngineOffsetSpec.Earliest, CancellationToken.None);
            await kafka.GetOffsetsAsync(listed, EngineOffsetSpec.Latest, CancellationToken.None);
        }

        Console.WriteLine($"Get-ReplicationState engine path, {partitions.Count:N0} partitions with stored offsets:");
        var t = await Measure.SideBySideAsync(3, runs,
            ("(e) ReplicationStateReader.ReadAsync (Connect GET + Kafka)", async () => await reader.ReadAsync(flow, null, CancellationToken.None)),
            ("(f) its Kafka part through the gateway (metadata, start, end)", KafkaPart),
            ("(g) raw: metadata + 2 × 10 concurrent ListOffsetsAsync of 1,000", RawKafkaPart));

        connect.ClearRequests();
        kafka.Gateway.Requests.Reset();
        var rows = await reader.ReadAsync(flow, null, CancellationToken.None);
        Console.WriteLine($"Requests of one Get-ReplicationState read: Connect {connect.Requests.Count} ({string.Join(", ", connect.Requests.Select(r => $"{r.Method} {r.Path}"))}), Kafka {kafka.Gateway.Requests}");
        Console.WriteLine($"Rows: {rows.Count:N0}; Kafka part ratio (f)/(g) = {t[1].MedianMs / t[2].MedianMs:0.00} (target ≤ 1.3)");
    }
}
