using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

/// <summary>Wire details checked with a plain HttpClient, where KubernetesClient would hide them.</summary>
public sealed class RawHttpTests
{
    [Fact]
    public async Task A_watch_streams_one_flushed_JSON_line_per_event_while_other_requests_proceed()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = cluster.Emulator.BaseUri, Timeout = EmulatedCluster.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/default/configmaps?watch=1");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await cluster.ApplyConfigMapAsync("default", "c", new { v = "1" });
        var added = JsonNode.Parse((await reader.ReadLineAsync().WaitAsync(EmulatedCluster.Timeout))!)!;
        await cluster.ApplyConfigMapAsync("default", "c", new { v = "2" });
        var modified = JsonNode.Parse((await reader.ReadLineAsync().WaitAsync(EmulatedCluster.Timeout))!)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ADDED", (string?)added["type"]);
        Assert.Equal("1", (string?)added["object"]!["data"]!["v"]);
        Assert.Equal("MODIFIED", (string?)modified["type"]);
        Assert.Equal("2", (string?)modified["object"]!["data"]!["v"]);
    }

    [Fact]
    public async Task A_kind_read_before_it_is_written_can_still_be_created_in_a_namespace()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        var none = cluster.Emulator.List("example.com/v1", "Gadget");
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Gadget",
            ["metadata"] = new JsonObject { ["name"] = "g" },
        }, "example.com", "v1", "default", "gadgets");

        Assert.Empty(none);
        Assert.Single(cluster.Emulator.List("example.com/v1", "Gadget"));
    }

    [Fact]
    public async Task Force_on_a_non_apply_patch_is_422()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.ApplyConfigMapAsync("default", "c", new { v = "1" });
        using var http = new HttpClient { BaseAddress = cluster.Emulator.BaseUri };
        var content = new StringContent("""{"data":{"v":"2"}}""", Encoding.UTF8);
        content.Headers.ContentType = new("application/merge-patch+json");

        var response = await http.PatchAsync("api/v1/namespaces/default/configmaps/c?force=true", content);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch", (string?)status["message"]);
    }

    [Fact]
    public async Task Deletecollection_deletes_what_the_selector_matches()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.ApplyConfigMapAsync("default", "mine-1", new { }, labels: new Dictionary<string, string> { ["owner"] = "me" });
        await cluster.ApplyConfigMapAsync("default", "mine-2", new { }, labels: new Dictionary<string, string> { ["owner"] = "me" });
        await cluster.ApplyConfigMapAsync("default", "theirs", new { }, labels: new Dictionary<string, string> { ["owner"] = "them" });

        await cluster.Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "owner=me");
        var left = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.Equal(["theirs"], left.Items.Select(i => i.Metadata.Name));
    }
}
