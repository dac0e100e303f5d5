using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class FaultAndDryRunTests
{
    [Fact]
    public async Task FailWritesAfter_fails_later_writes_with_500_until_cleared()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        cluster.Emulator.FailWritesAfter(1);

        await cluster.ApplyConfigMapAsync("default", "first", new { a = "1" });
        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.ApplyConfigMapAsync("default", "second", new { a = "1" }));
        var readsStillWork = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("first", "default");
        cluster.Emulator.ClearFaults();
        await cluster.ApplyConfigMapAsync("default", "second", new { a = "1" });

        Assert.Equal(500, (int)error.Response.StatusCode);
        Assert.Equal("InternalError", (string?)status["reason"]);
        Assert.Equal("first", readsStillWork.Metadata.Name);
        Assert.NotNull(cluster.Emulator.Get("v1", "ConfigMap", "default", "second"));
    }

    [Fact]
    public async Task DryRun_All_answers_without_storing_anything()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.ApplyConfigMapAsync("default", "existing", new { a = "1" });
        var before = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        var changes = 0;
        cluster.Emulator.Changed += _ => Interlocked.Increment(ref changes);

        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "imagined" } }, "default", dryRun: "All");
        var applied = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"},"data":{"a":"2"}}""", V1Patch.PatchType.ApplyPatch),
            "existing", "default", dryRun: "All", fieldManager: EmulatedCluster.Manager, force: true);
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("existing", "default", dryRun: "All");
        var after = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.Equal("imagined", created.Metadata.Name);
        Assert.Equal("2", applied.Data["a"]);
        Assert.Equal(0, changes);
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal("1", Assert.Single(after.Items).Data["a"]);
    }
}
