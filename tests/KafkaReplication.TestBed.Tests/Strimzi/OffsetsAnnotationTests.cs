using k8s;
using System.Text.Json.Nodes;
using k8s.Models;
using KafkaReplication.TestBed.Strimzi;

namespace KafkaReplication.TestBed.Tests.Strimzi;

/// <summary>Strimzi 0.44+ offsets without REST: strimzi.io/connector-offsets = list, alter, reset (and 0.43 ignoring it).</summary>
public sealed class OffsetsAnnotationTests
{
    private const string Annotation = "strimzi.io/connector-offsets";

    private static JsonObject Partition(int partition) => new() { ["cluster"] = "source", ["topic"] = "orders", ["partition"] = partition };

    private static async Task<OperatorCluster> WithConnectorAsync(StrimziVersion version, string state = "running")
    {
        var cluster = await OperatorCluster.StartAsync(version);
        await cluster.CreateAsync(OperatorCluster.Connect("mm2"));
        var connector = OperatorCluster.Connector("source", "mm2", state);
        connector["spec"]!["listOffsets"] = new JsonObject { ["toConfigMap"] = new JsonObject { ["name"] = "source-offsets" } };
        connector["spec"]!["alterOffsets"] = new JsonObject { ["fromConfigMap"] = new JsonObject { ["name"] = "source-alter" } };
        await cluster.CreateAsync(connector);
        cluster.ConnectFor("mm2").CommitOffsets("source", [(Partition(0), new JsonObject { ["offset"] = 41 }), (Partition(1), new JsonObject { ["offset"] = 7 })]);
        return cluster;
    }

    private static Task AnnotateAsync(OperatorCluster cluster, string value) =>
        cluster.PatchAsync("kafkaconnectors", "source", new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Annotation] = value } } });

    private static Task SetStateAsync(OperatorCluster cluster, string state) =>
        cluster.PatchAsync("kafkaconnectors", "source", new JsonObject { ["spec"] = new JsonObject { ["state"] = state } });

    private static Task CreateAlterConfigMapAsync(OperatorCluster cluster, string offsetsJson) =>
        cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "source-alter" },
            Data = new Dictionary<string, string> { ["offsets.json"] = offsetsJson },
        }, OperatorCluster.Ns);

    private static IEnumerable<string> Offsets(OperatorCluster cluster) =>
        cluster.ConnectFor("mm2").GetOffsets("source").Select(o => $"{o.Partition["partition"]}={o.Offset?["offset"]}");

    [Fact]
    public async Task List_writes_the_offsets_to_the_ConfigMap_and_removes_the_annotation()
    {
        await using var cluster = await WithConnectorAsync(StrimziVersion.V0_45);

        await AnnotateAsync(cluster, "list");
        var configMap = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("source-offsets", OperatorCluster.Ns);
        var connector = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"offsets":[{"partition":{"cluster":"source","topic":"orders","partition":0},"offset":{"offset":41}},
                        {"partition":{"cluster":"source","topic":"orders","partition":1},"offset":{"offset":7}}]}
            """), JsonNode.Parse(configMap.Data["offsets.json"])));
        Assert.Equal("mm2", configMap.Metadata.Labels["strimzi.io/cluster"]);
        Assert.Equal(("KafkaConnector", "source"), (configMap.Metadata.OwnerReferences.Single().Kind, configMap.Metadata.OwnerReferences.Single().Name));
        Assert.Null(connector["metadata"]!["annotations"]?[Annotation]);
        Assert.Null(OperatorCluster.Condition(connector, "Warning"));
    }

    [Fact]
    public async Task Alter_is_refused_with_a_warning_until_the_connector_is_stopped_then_patches_from_the_ConfigMap()
    {
        await using var cluster = await WithConnectorAsync(StrimziVersion.V0_45);
        await CreateAlterConfigMapAsync(cluster, """
            {"offsets":[{"partition":{"cluster":"source","topic":"orders","partition":0},"offset":{"offset":99}},
                        {"partition":{"cluster":"source","topic":"orders","partition":1},"offset":null}]}
            """);

        await AnnotateAsync(cluster, "alter");
        var refused = await cluster.GetAsync("kafkaconnectors", "source");
        var offsetsWhileRunning = Offsets(cluster).ToList();
        await SetStateAsync(cluster, "stopped");
        var altered = await cluster.GetAsync("kafkaconnectors", "source");

        var warning = OperatorCluster.Condition(refused, "Warning")!;
        Assert.Equal("AlterOffsets", warning["reason"]!.ToString());
        Assert.Equal("Encountered error altering connector offsets. Connector is not in STOPPED state", warning["message"]!.ToString());
        Assert.Equal("alter", refused["metadata"]!["annotations"]![Annotation]!.ToString());
        Assert.Equal(["0=41", "1=7"], offsetsWhileRunning);
        Assert.Equal(["0=99"], Offsets(cluster));
        Assert.Null(altered["metadata"]!["annotations"]?[Annotation]);
        Assert.Null(OperatorCluster.Condition(altered, "Warning"));
    }

    [Fact]
    public async Task Alter_reports_what_the_connector_refuses()
    {
        await using var cluster = await WithConnectorAsync(StrimziVersion.V0_45, state: "stopped");
        await CreateAlterConfigMapAsync(cluster, """{"offsets":[{"partition":{"cluster":"source","topic":"orders","partition":0},"offset":{"offset":-5}}]}""");

        await AnnotateAsync(cluster, "alter");
        var connector = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.Equal(
            "Encountered error altering connector offsets. PATCH /connectors/source/offsets returned 500 (Internal Server Error): Source offset {offset=-5} for source partition {cluster=source, topic=orders, partition=0} has an invalid value -5 for the 'offset' key, which cannot be negative",
            OperatorCluster.Condition(connector, "Warning")!["message"]!.ToString());
        Assert.Equal(["0=41", "1=7"], Offsets(cluster));
    }

    [Fact]
    public async Task Reset_is_refused_while_running_and_clears_the_offsets_once_stopped()
    {
        await using var cluster = await WithConnectorAsync(StrimziVersion.V0_45);

        await AnnotateAsync(cluster, "reset");
        var refused = await cluster.GetAsync("kafkaconnectors", "source");
        await SetStateAsync(cluster, "stopped");
        var reset = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.Equal("Encountered error resetting connector offsets. Connector is not in STOPPED state", OperatorCluster.Condition(refused, "Warning")!["message"]!.ToString());
        Assert.Empty(Offsets(cluster));
        Assert.Null(reset["metadata"]!["annotations"]?[Annotation]);
        Assert.Equal("STOPPED", reset["status"]!["connectorStatus"]!["connector"]!["state"]!.ToString());
    }

    [Fact]
    public async Task Strimzi_0_43_ignores_the_offsets_annotation_and_fields()
    {
        await using var cluster = await WithConnectorAsync(StrimziVersion.V0_43, state: "stopped");

        await AnnotateAsync(cluster, "list");
        await AnnotateAsync(cluster, "reset");
        var connector = await cluster.GetAsync("kafkaconnectors", "source");
        var configMaps = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(OperatorCluster.Ns);

        Assert.Equal("reset", connector["metadata"]!["annotations"]![Annotation]!.ToString());
        Assert.DoesNotContain(configMaps.Items, c => c.Metadata.Name == "source-offsets");
        Assert.Equal(["0=41", "1=7"], Offsets(cluster));
        Assert.Null(OperatorCluster.Condition(connector, "Warning"));
    }
}
