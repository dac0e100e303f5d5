using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

/// <summary>The store API a controller emulator (e.g. Strimzi's) uses, and lifecycle rules it relies on.</summary>
public sealed class DirectAccessTests
{
    private static JsonObject Pod(string name, string? ownerUid = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["strimzi.io/cluster"] = "mm2" } };
        if (ownerUid is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = Strimzi.ApiVersion, ["kind"] = "KafkaConnect", ["name"] = "mm2", ["uid"] = ownerUid, ["controller"] = true,
            });
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = new JsonObject() };
    }

    [Fact]
    public async Task Upsert_PatchStatus_and_Delete_raise_Changed_and_are_visible_to_the_client()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        var changes = new List<string>();
        cluster.Emulator.Changed += e =>
        {
            lock (changes)
            {
                changes.Add($"{e.Type} {e.Object["kind"]} {e.Object["metadata"]!["name"]} rv={e.Object["metadata"]!["resourceVersion"]}");
            }
        };

        var created = cluster.Emulator.Upsert(Pod("mm2-connect-0"));
        var again = cluster.Emulator.Upsert(Pod("mm2-connect-0"));
        var running = cluster.Emulator.PatchStatus("v1", "Pod", "default", "mm2-connect-0", new JsonObject { ["phase"] = "Running" });
        var seenByClient = await cluster.Client.CoreV1.ReadNamespacedPodAsync("mm2-connect-0", "default");
        var listed = cluster.Emulator.List("v1", "Pod", "default");
        var deleted = cluster.Emulator.Delete("v1", "Pod", "default", "mm2-connect-0");
        var deletedTwice = cluster.Emulator.Delete("v1", "Pod", "default", "mm2-connect-0");

        Assert.Equal(created["metadata"]!["resourceVersion"]!.ToString(), again["metadata"]!["resourceVersion"]!.ToString());
        Assert.Equal("Running", seenByClient.Status.Phase);
        Assert.Equal(1, seenByClient.Metadata.Generation);
        Assert.Equal(running["metadata"]!["resourceVersion"]!.ToString(), seenByClient.Metadata.ResourceVersion);
        Assert.Single(listed);
        Assert.True(deleted);
        Assert.False(deletedTwice);
        Assert.Null(cluster.Emulator.Get("v1", "Pod", "default", "mm2-connect-0"));
        var rv = (string)created["metadata"]!["resourceVersion"]!;
        Assert.Equal(
            [$"ADDED Pod mm2-connect-0 rv={rv}", $"MODIFIED Pod mm2-connect-0 rv={long.Parse(rv) + 1}", $"DELETED Pod mm2-connect-0 rv={long.Parse(rv) + 2}"],
            changes);
    }

    [Fact]
    public async Task Writes_through_the_API_raise_Changed_with_a_copy_per_handler()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        var received = new TaskCompletionSource<WatchEventRecordPair>(TaskCreationOptions.RunContinuationsAsynchronously);
        JsonObject? first = null;
        cluster.Emulator.Changed += e => first = e.Object;
        cluster.Emulator.Changed += e => received.TrySetResult(new WatchEventRecordPair(first!, e.Object, e.Type));

        await cluster.ApplyConfigMapAsync("default", "c", new { a = "1" });
        var pair = await received.Task.WaitAsync(EmulatedCluster.Timeout);

        Assert.Equal("ADDED", pair.Type);
        Assert.NotSame(pair.First, pair.Second);
        Assert.True(JsonNode.DeepEquals(pair.First, pair.Second));
    }

    [Fact]
    public async Task Upsert_into_a_missing_namespace_throws()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        var pod = Pod("p");
        pod["metadata"]!["namespace"] = "nowhere";

        var error = Assert.Throws<InvalidOperationException>(() => cluster.Emulator.Upsert(pod));

        Assert.Equal("namespaces \"nowhere\" not found", error.Message);
    }

    [Fact]
    public async Task A_finalizer_holds_a_deletion_until_it_is_removed()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = Strimzi.ApiVersion,
            ["kind"] = "KafkaTopic",
            ["metadata"] = new JsonObject { ["name"] = "events", ["finalizers"] = new JsonArray("strimzi.io/topic-operator") },
            ["spec"] = new JsonObject { ["partitions"] = 1 },
        }, Strimzi.Group, Strimzi.Version, "default", "kafkatopics");

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Strimzi.Group, Strimzi.Version, "default", "kafkatopics", "events");
        var terminating = cluster.Emulator.Get(Strimzi.ApiVersion, "KafkaTopic", "default", "events");
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), Strimzi.Group, Strimzi.Version, "default", "kafkatopics", "events");

        Assert.NotNull(terminating?["metadata"]?["deletionTimestamp"]);
        Assert.Null(cluster.Emulator.Get(Strimzi.ApiVersion, "KafkaTopic", "default", "events"));
    }

    [Fact]
    public async Task Dependents_are_garbage_collected_with_their_owner()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        var connect = cluster.Emulator.Upsert(Strimzi.Connect("default", "mm2", 1));
        cluster.Emulator.Upsert(Pod("mm2-connect-0", (string)connect["metadata"]!["uid"]!));
        cluster.Emulator.Upsert(Pod("unowned"));

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Strimzi.Group, Strimzi.Version, "default", "kafkaconnects", "mm2");
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync("default");

        Assert.Equal(["unowned"], pods.Items.Select(p => p.Metadata.Name));
    }

    private sealed record WatchEventRecordPair(JsonObject First, JsonObject Second, string Type);
}
