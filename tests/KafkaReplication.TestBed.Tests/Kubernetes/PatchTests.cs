using System.Text;
using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class PatchTests
{
    [Fact]
    public async Task A_merge_patch_null_removes_a_key()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c", Labels = new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2" } },
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        }, "default");

        // A Dictionary keeps the null (an anonymous object would drop it: the client serialises with
        // JsonIgnoreCondition.WhenWritingNull, kubernetes-client/csharp src/KubernetesClient/SourceGenerationContext.cs).
        var patch = new Dictionary<string, object?>
        {
            ["metadata"] = new Dictionary<string, object?> { ["labels"] = new Dictionary<string, object?> { ["drop"] = null } },
            ["data"] = new Dictionary<string, object?> { ["b"] = null, ["c"] = "3" },
        };
        var patched = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "c", "default");

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["c"] = "3" }, patched.Data);
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "1" }, patched.Metadata.Labels);
    }

    [Fact]
    public async Task A_JSON_patch_adds_replaces_and_removes()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c" },
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        }, "default");
        const string operations = """
            [{"op":"test","path":"/data/a","value":"1"},
             {"op":"replace","path":"/data/a","value":"10"},
             {"op":"remove","path":"/data/b"},
             {"op":"add","path":"/data/c~1d","value":"3"}]
            """;

        var patched = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(operations, V1Patch.PatchType.JsonPatch), "c", "default");
        var (error, _) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"test","path":"/data/a","value":"1"}]""", V1Patch.PatchType.JsonPatch), "c", "default"));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "10", ["c/d"] = "3" }, patched.Data);
        Assert.Equal(422, (int)error.Response.StatusCode);
    }

    [Fact]
    public async Task Only_changes_outside_metadata_bump_generation()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c" },
            Data = new Dictionary<string, string> { ["a"] = "1" },
        }, "default");

        var labelled = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "c", "default");
        var changed = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"a":"2"}}""", V1Patch.PatchType.MergePatch), "c", "default");
        var unchanged = await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"a":"2"}}""", V1Patch.PatchType.MergePatch), "c", "default");

        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(1, labelled.Metadata.Generation);
        Assert.NotEqual(created.Metadata.ResourceVersion, labelled.Metadata.ResourceVersion);
        Assert.Equal(2, changed.Metadata.Generation);
        Assert.Equal(changed.Metadata.ResourceVersion, unchanged.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Deleting_a_ConfigMap_answers_a_Status_of_Success()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");

        var status = await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("c", "default");

        Assert.Equal("Success", status.Status);
        Assert.Equal("c", status.Details.Name);
        Assert.Equal(created.Metadata.Uid, status.Details.Uid);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items);
    }

    [Fact]
    public async Task Secret_stringData_is_stored_base64_encoded_in_data()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var created = await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "credentials" },
            Data = new Dictionary<string, byte[]> { ["existing"] = Encoding.UTF8.GetBytes("bytes") },
            StringData = new Dictionary<string, string> { ["password"] = "s3cr3t" },
        }, "default");
        var raw = cluster.Emulator.Get("v1", "Secret", "default", "credentials")!;

        Assert.Null(created.StringData);
        Assert.Equal("s3cr3t", Encoding.UTF8.GetString(created.Data["password"]));
        Assert.Equal("bytes", Encoding.UTF8.GetString(created.Data["existing"]));
        Assert.Null(raw["stringData"]);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cr3t")), (string?)raw["data"]!["password"]);
    }
}
