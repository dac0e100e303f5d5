using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class ErrorTests
{
    [Fact]
    public async Task A_missing_object_is_a_404_with_the_servers_Status_body()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("absent", "default"));

        Assert.Equal(404, (int)error.Response.StatusCode);
        var expected = JsonNode.Parse("""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"absent\" not found",
             "reason":"NotFound","details":{"name":"absent","kind":"configmaps"},"code":404}
            """);
        Assert.True(JsonNode.DeepEquals(expected, status), status.ToJsonString());
    }

    [Fact]
    public async Task Creating_an_existing_object_is_409_AlreadyExists()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        var map = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } };
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(map, "default");

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(map, "default"));

        Assert.Equal(409, (int)error.Response.StatusCode);
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("configmaps \"c\" already exists", (string?)status["message"]);
    }

    [Fact]
    public async Task Replacing_with_a_stale_resourceVersion_is_409_Conflict()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        var created = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["v"] = "1" } }, "default");
        created.Data["v"] = "2";
        var updated = await cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default");
        created.Data["v"] = "3";

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default"));

        Assert.Equal("2", updated.Data["v"]);
        Assert.Equal(409, (int)error.Response.StatusCode);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)status["message"]);
    }

    [Theory]
    [InlineData("Upper_Case")]
    [InlineData("-leading-dash")]
    [InlineData("")]
    public async Task A_name_that_is_not_a_DNS_subdomain_is_422_Invalid(string name)
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, "default"));

        Assert.Equal(422, (int)error.Response.StatusCode);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal("ConfigMap", (string?)status["details"]!["kind"]);
        Assert.StartsWith($"ConfigMap \"{name}\" is invalid: metadata.name: ", (string?)status["message"]);
    }

    [Fact]
    public async Task Role_names_only_need_to_be_path_segments()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var role = await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role { Metadata = new V1ObjectMeta { Name = "system:KafkaReplication" }, Rules = [] }, "default");

        Assert.Equal("system:KafkaReplication", role.Metadata.Name);
    }
}
