using System.Net;
using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class ServerSideApplyTests
{
    [Fact]
    public async Task Applying_the_same_configuration_twice_changes_nothing_the_second_time()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        var changes = 0;
        cluster.Emulator.Changed += _ => Interlocked.Increment(ref changes);

        var first = await cluster.ApplyConfigMapAsync("ns", "settings", new { a = "1", b = "2" });
        var second = await cluster.ApplyConfigMapAsync("ns", "settings", new { a = "1", b = "2" });

        Assert.Equal(HttpStatusCode.Created, first.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.Response.StatusCode);
        Assert.Equal(first.Body.Metadata.ResourceVersion, second.Body.Metadata.ResourceVersion);
        Assert.Equal(1, changes);
        Assert.Equal(1, second.Body.Metadata.Generation);
        var entry = Assert.Single(second.Body.Metadata.ManagedFields);
        Assert.Equal(EmulatedCluster.Manager, entry.Manager);
        Assert.Equal("Apply", entry.Operation);
    }

    [Fact]
    public async Task A_key_dropped_from_the_applied_configuration_is_removed_from_the_live_object()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        var first = await cluster.ApplyConfigMapAsync("ns", "settings", new { a = "1", b = "2" });

        var second = await cluster.ApplyConfigMapAsync("ns", "settings", new { a = "1" });
        var live = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "ns");

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, live.Data);
        Assert.True(long.Parse(second.Body.Metadata.ResourceVersion) > long.Parse(first.Body.Metadata.ResourceVersion));
        Assert.Equal(2, live.Metadata.Generation);
    }

    [Fact]
    public async Task Fields_owned_by_another_manager_survive_an_apply_that_drops_them()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        await cluster.ApplyConfigMapAsync("ns", "shared", new { mine = "1" });
        await cluster.ApplyConfigMapAsync("ns", "shared", new { theirs = "2" }, manager: "operator");

        await cluster.ApplyConfigMapAsync("ns", "shared", new { other = "3" });
        var live = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", "ns");

        Assert.Equal(new Dictionary<string, string> { ["other"] = "3", ["theirs"] = "2" }, live.Data);
        Assert.Equal(["KafkaReplication", "operator"], live.Metadata.ManagedFields.Select(m => m.Manager).Order());
    }

    [Fact]
    public async Task A_field_another_manager_applied_differently_conflicts_unless_forced()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        await cluster.ApplyConfigMapAsync("ns", "shared", new { key = "theirs" }, manager: "operator");

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.ApplyConfigMapAsync("ns", "shared", new { key = "mine" }, force: null));
        await cluster.ApplyConfigMapAsync("ns", "shared", new { key = "mine" }, force: true);
        await cluster.ApplyConfigMapAsync("ns", "shared", new { unrelated = "x" }, manager: "operator");
        var live = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("shared", "ns");

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"operator\": .data.key", (string?)status["message"]);
        Assert.Equal(".data.key", (string?)status["details"]!["causes"]![0]!["field"]);

        // The forced apply took the field over, so the operator dropping it no longer removes it.
        Assert.Equal("mine", live.Data["key"]);
    }

    [Fact]
    public async Task An_apply_needs_a_field_manager()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}", V1Patch.PatchType.ApplyPatch), "c", "ns"));

        // The real server validates PatchOptions first and answers 422 (not 400).
        Assert.Equal(422, (int)error.Response.StatusCode);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", (string?)status["message"]);
    }

    [Fact]
    public async Task An_apply_body_may_be_YAML()
    {
        // KubernetesClient only sends JSON, so this goes through a plain HttpClient, as kubectl's YAML would.
        await using var cluster = await EmulatedCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = cluster.Emulator.BaseUri };
        const string yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: from-yaml
              labels:
                app: "mirror"
            data:
              replicas: "3"
              enabled: "true"
            """;
        var content = new StringContent(yaml);
        content.Headers.ContentType = new("application/apply-patch+yaml");

        var response = await http.PatchAsync("api/v1/namespaces/default/configmaps/from-yaml?fieldManager=kubectl", content);
        var applied = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("from-yaml", "default");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("3", applied.Data["replicas"]);
        Assert.Equal("true", applied.Data["enabled"]);
        Assert.Equal("mirror", applied.Metadata.Labels["app"]);
        Assert.Equal("kubectl", Assert.Single(applied.Metadata.ManagedFields).Manager);
    }

    [Fact]
    public async Task An_update_that_changes_an_applied_field_takes_it_over()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.CreateNamespaceAsync("ns");
        await cluster.ApplyConfigMapAsync("ns", "settings", new { a = "1", b = "2" });
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"data\":{\"b\":\"edited\"}}", V1Patch.PatchType.MergePatch), "settings", "ns");

        await cluster.ApplyConfigMapAsync("ns", "settings", new { a = "1" });
        var live = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "ns");

        Assert.Equal("edited", live.Data["b"]);
    }
}
