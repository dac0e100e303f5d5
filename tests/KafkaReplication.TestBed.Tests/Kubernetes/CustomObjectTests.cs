using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class CustomObjectTests
{
    private static JsonObject ToNode(object response) => JsonSerializer.SerializeToNode(response)!.AsObject();

    [Fact]
    public async Task Custom_objects_are_applied_listed_by_label_and_listed_across_namespaces()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("east");
        await cluster.CreateNamespaceAsync("west");
        foreach (var (ns, name, connect) in new[] { ("east", "source", "mm2-a"), ("east", "checkpoint", "mm2-b"), ("west", "source", "mm2-a") })
        {
            await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
                Strimzi.Apply(Strimzi.Connector(ns, name, connect)), Strimzi.Group, Strimzi.Version, ns, "kafkaconnectors", name,
                fieldManager: EmulatedCluster.Manager, force: true);
        }

        var filtered = ToNode(await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(
            Strimzi.Group, Strimzi.Version, "east", "kafkaconnectors", labelSelector: "strimzi.io/cluster=mm2-a"));
        var all = ToNode(await cluster.Client.CustomObjects.ListClusterCustomObjectAsync(Strimzi.Group, Strimzi.Version, "kafkaconnectors"));
        var one = ToNode(await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(Strimzi.Group, Strimzi.Version, "west", "kafkaconnectors", "source"));

        Assert.Equal("KafkaConnectorList", (string?)filtered["kind"]);
        Assert.Equal(Strimzi.ApiVersion, (string?)filtered["apiVersion"]);
        Assert.Equal(["source"], filtered["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
        Assert.Equal(["east/checkpoint", "east/source", "west/source"],
            all["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}"));
        Assert.Equal("KafkaConnector", (string?)one["kind"]);
        Assert.Equal(2, (int?)one["spec"]!["tasksMax"]);
        Assert.Equal(1, (long?)one["metadata"]!["generation"]);
    }

    [Fact]
    public async Task An_uninstalled_group_is_missing_from_discovery_and_every_url_under_it_is_404_no_route()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        Assert.Contains((await cluster.Client.Apis.GetAPIVersionsAsync()).Groups, g => g.Name == Strimzi.Group);

        cluster.Emulator.UninstallApiGroup(Strimzi.Group);

        var groups = await cluster.Client.Apis.GetAPIVersionsAsync();
        Assert.DoesNotContain(groups.Groups, g => g.Name == Strimzi.Group);
        Assert.Contains(groups.Groups, g => g.Name == "rbac.authorization.k8s.io");
        // What a real API server answers for a resource type nobody registered: a bare 404, not "kafkaconnects x not found".
        var list = await Assert.ThrowsAsync<HttpOperationException>(() =>
            cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(Strimzi.Group, Strimzi.Version, "ns", "kafkaconnects"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, list.Response.StatusCode);
        Assert.Equal("the server could not find the requested resource", (string?)JsonNode.Parse(list.Response.Content)!["message"]);
        var apply = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            Strimzi.Apply(Strimzi.Connect("ns", "mm2", replicas: 1)), Strimzi.Group, Strimzi.Version, "ns", "kafkaconnects", "mm2",
            fieldManager: EmulatedCluster.Manager, force: true));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, apply.Response.StatusCode);
        Assert.Null(cluster.Emulator.Get(Strimzi.ApiVersion, "KafkaConnect", "ns", "mm2"));
    }

    [Fact]
    public async Task Status_changes_only_through_the_status_subresource_and_spec_changes_bump_generation()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        var connect = Strimzi.Connect("ns", "mm2", replicas: 1);
        connect["status"] = new JsonObject { ["replicas"] = 99 };
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            Strimzi.Apply(connect), Strimzi.Group, Strimzi.Version, "ns", "kafkaconnects", "mm2", fieldManager: EmulatedCluster.Manager, force: true);
        var created = cluster.Emulator.Get(Strimzi.ApiVersion, "KafkaConnect", "ns", "mm2")!;

        // A controller reports status: resourceVersion moves, generation does not.
        cluster.Emulator.PatchStatus(Strimzi.ApiVersion, "KafkaConnect", "ns", "mm2", new JsonObject
        {
            ["observedGeneration"] = 1,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        });
        var reported = ToNode(await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(Strimzi.Group, Strimzi.Version, "ns", "kafkaconnects", "mm2"));

        // Scaling is a spec change; the status the controller wrote is kept by the main resource write.
        connect["spec"]!["replicas"] = 3;
        var scaled = ToNode(await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            Strimzi.Apply(connect), Strimzi.Group, Strimzi.Version, "ns", "kafkaconnects", "mm2", fieldManager: EmulatedCluster.Manager, force: true));

        // A merge patch on /status changes status only.
        var statusPatch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 7 }, ["status"] = new JsonObject { ["observedGeneration"] = 2 } };
        var patchedStatus = ToNode(await cluster.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(statusPatch.ToJsonString(), V1Patch.PatchType.MergePatch), Strimzi.Group, Strimzi.Version, "ns", "kafkaconnects", "mm2"));

        Assert.Null(created["status"]);
        Assert.Equal(1, (long?)reported["metadata"]!["generation"]);
        Assert.True(long.Parse((string)reported["metadata"]!["resourceVersion"]!) > long.Parse((string)created["metadata"]!["resourceVersion"]!));
        Assert.Equal("Ready", (string?)reported["status"]!["conditions"]![0]!["type"]);
        Assert.Equal(2, (long?)scaled["metadata"]!["generation"]);
        Assert.Equal("Ready", (string?)scaled["status"]!["conditions"]![0]!["type"]);
        Assert.Equal(3, (int?)patchedStatus["spec"]!["replicas"]);
        Assert.Equal(2, (int?)patchedStatus["status"]!["observedGeneration"]);
        Assert.Equal(2, (long?)patchedStatus["metadata"]!["generation"]);
    }

    [Fact]
    public async Task Any_group_and_kind_is_stored()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1alpha1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "w1" },
            ["spec"] = new JsonObject { ["size"] = "large" },
        };

        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "example.com", "v1alpha1", "ns", "widgets");
        var list = ToNode(await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1alpha1", "ns", "widgets"));

        Assert.Equal("WidgetList", (string?)list["kind"]);
        Assert.Equal("large", (string?)cluster.Emulator.Get("example.com/v1alpha1", "Widget", "ns", "w1")!["spec"]!["size"]);
        Assert.Equal("/apis/example.com/v1alpha1/namespaces/ns/widgets", cluster.Emulator.Requests.First(r => r.Method == "POST" && r.Path.Contains("widgets")).Path);
    }

    [Fact]
    public async Task Creating_a_custom_object_twice_is_AlreadyExists()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Strimzi.Topic("ns", "events"), Strimzi.Group, Strimzi.Version, "ns", "kafkatopics");

        var (error, status) = await EmulatedCluster.StatusOfAsync(() =>
            cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Strimzi.Topic("ns", "events"), Strimzi.Group, Strimzi.Version, "ns", "kafkatopics"));

        Assert.Equal(409, (int)error.Response.StatusCode);
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("kafkatopics.kafka.strimzi.io \"events\" already exists", (string?)status["message"]);
        Assert.Equal(Strimzi.Group, (string?)status["details"]!["group"]);
        Assert.Equal("kafkatopics", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task Strategic_merge_patch_is_refused_for_custom_resources()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Strimzi.Topic("ns", "events"), Strimzi.Group, Strimzi.Version, "ns", "kafkatopics");

        var (error, _) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"partitions\":6}}", V1Patch.PatchType.StrategicMergePatch), Strimzi.Group, Strimzi.Version, "ns", "kafkatopics", "events"));

        Assert.Equal(415, (int)error.Response.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_custom_object_returns_it()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Strimzi.Topic("ns", "events"), Strimzi.Group, Strimzi.Version, "ns", "kafkatopics");

        var deleted = ToNode(await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Strimzi.Group, Strimzi.Version, "ns", "kafkatopics", "events"));
        var (error, _) = await EmulatedCluster.StatusOfAsync(() =>
            cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Strimzi.Group, Strimzi.Version, "ns", "kafkatopics", "events"));

        Assert.Equal("KafkaTopic", (string?)deleted["kind"]);
        Assert.Equal(404, (int)error.Response.StatusCode);
    }
}
