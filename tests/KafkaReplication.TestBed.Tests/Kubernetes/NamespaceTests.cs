using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class NamespaceTests
{
    [Fact]
    public async Task A_fresh_emulator_has_the_namespaces_of_a_fresh_cluster()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var names = (await cluster.Client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name);

        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], names);
    }

    [Fact]
    public async Task Create_get_and_list_a_namespace()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var created = await cluster.CreateNamespaceAsync("replication");
        var read = await cluster.Client.CoreV1.ReadNamespaceAsync("replication");
        var list = await cluster.Client.CoreV1.ListNamespaceAsync();

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.NotNull(read.Metadata.CreationTimestamp);
        Assert.Equal("Active", read.Status.Phase);
        Assert.Equal("replication", read.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Contains(list.Items, n => n.Metadata.Name == "replication");
        Assert.Equal(long.Parse(created.Metadata.ResourceVersion), long.Parse(list.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task A_namespace_name_must_be_a_DNS_label()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.CreateNamespaceAsync("Team_A"));

        Assert.Equal(422, (int)error.Response.StatusCode);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal("Namespace", (string?)status["details"]!["kind"]);
        Assert.Equal("metadata.name", (string?)status["details"]!["causes"]![0]!["field"]);
        Assert.StartsWith("Namespace \"Team_A\" is invalid: metadata.name: Invalid value: \"Team_A\"", (string?)status["message"]);
    }

    [Fact]
    public async Task Objects_cannot_be_created_in_a_namespace_that_does_not_exist()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "nowhere"));
        var (_, applyStatus) = await EmulatedCluster.StatusOfAsync(() => cluster.ApplyConfigMapAsync("nowhere", "c", new { a = "1" }));

        Assert.Equal(404, (int)error.Response.StatusCode);
        Assert.Equal("namespaces \"nowhere\" not found", (string?)status["message"]);
        Assert.Equal("namespaces", (string?)status["details"]!["kind"]);
        Assert.Equal("namespaces \"nowhere\" not found", (string?)applyStatus["message"]);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_everything_in_it()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("doomed");
        await cluster.CreateNamespaceAsync("kept");
        await cluster.ApplyConfigMapAsync("doomed", "config", new { a = "1" });
        await cluster.ApplyConfigMapAsync("kept", "config", new { a = "1" });
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Strimzi.Topic("doomed", "events"), "kafka.strimzi.io", "v1beta2", "doomed", "kafkatopics");
        var deletedKinds = new List<string>();
        cluster.Emulator.Changed += e =>
        {
            if (e.Type == "DELETED")
            {
                lock (deletedKinds)
                {
                    deletedKinds.Add((string)e.Object["kind"]!);
                }
            }
        };

        var answer = await cluster.Client.CoreV1.DeleteNamespaceAsync("doomed");

        Assert.NotNull(answer);
        Assert.Equal(["ConfigMap", "KafkaTopic", "Namespace"], deletedKinds.Order());
        await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.ReadNamespaceAsync("doomed"));
        await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("config", "doomed"));
        Assert.Empty(cluster.Emulator.List("kafka.strimzi.io/v1beta2", "KafkaTopic"));
        Assert.NotNull(await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("config", "kept"));
    }
}
