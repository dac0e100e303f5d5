using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class SelectorTests
{
    private static async Task<EmulatedCluster> ClusterWithLabelledMapsAsync()
    {
        var cluster = await EmulatedCluster.StartAsync();
        var maps = new Dictionary<string, Dictionary<string, string>>
        {
            ["web-front"] = new() { ["app"] = "web", ["tier"] = "front" },
            ["web-back"] = new() { ["app"] = "web", ["tier"] = "back" },
            ["db"] = new() { ["app"] = "db", ["version"] = "12" },
            ["bare"] = new(),
        };
        foreach (var (name, labels) in maps)
        {
            await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = labels } }, "default");
        }

        return cluster;
    }

    [Theory]
    [InlineData("app=web", "web-back,web-front")]
    [InlineData("app==web", "web-back,web-front")]
    [InlineData("app!=web", "bare,db")]
    [InlineData("tier", "web-back,web-front")]
    [InlineData("!tier", "bare,db")]
    [InlineData("tier in (front, other)", "web-front")]
    [InlineData("tier notin (front)", "bare,db,web-back")]
    [InlineData("app=web,tier=back", "web-back")]
    [InlineData("app in (web,db),!tier", "db")]
    [InlineData("version>11", "db")]
    [InlineData("", "bare,db,web-back,web-front")]
    public async Task Label_selectors_filter_lists(string selector, string expected)
    {
        await using var cluster = await ClusterWithLabelledMapsAsync();

        var list = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: selector);

        Assert.Equal(expected, string.Join(',', list.Items.Select(i => i.Metadata.Name)));
    }

    [Fact]
    public async Task A_field_selector_on_the_name_picks_one_object()
    {
        await using var cluster = await ClusterWithLabelledMapsAsync();

        var list = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=db");
        var others = await cluster.Client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.name!=db,metadata.namespace=default");

        Assert.Equal("db", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal(3, others.Items.Count);
    }

    [Fact]
    public async Task A_malformed_selector_is_400()
    {
        await using var cluster = await ClusterWithLabelledMapsAsync();

        var (error, status) = await EmulatedCluster.StatusOfAsync(() => cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "app in web"));

        Assert.Equal(400, (int)error.Response.StatusCode);
        Assert.Equal("BadRequest", (string?)status["reason"]);
    }

    [Fact]
    public async Task Lists_page_with_limit_and_continue()
    {
        await using var cluster = await ClusterWithLabelledMapsAsync();

        var first = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 3);
        var second = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 3, continueParameter: first.Metadata.ContinueProperty);

        Assert.Equal(["bare", "db", "web-back"], first.Items.Select(i => i.Metadata.Name));
        Assert.Equal(1, first.Metadata.RemainingItemCount);
        Assert.Equal(["web-front"], second.Items.Select(i => i.Metadata.Name));
        Assert.Null(second.Metadata.ContinueProperty);
    }
}
