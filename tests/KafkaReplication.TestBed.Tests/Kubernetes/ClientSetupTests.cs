using k8s;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class ClientSetupTests
{
    [Fact]
    public async Task The_kubeconfig_names_the_emulator_and_its_default_namespace()
    {
        await using var cluster = await EmulatedCluster.StartAsync(defaultNamespace: "replication");

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath);
        var version = await cluster.Client.Version.GetCodeAsync();

        Assert.Equal("emulator", config.CurrentContext);
        Assert.Equal("replication", config.Namespace);
        Assert.Equal(cluster.Emulator.BaseUri.GetLeftPart(UriPartial.Authority), new Uri(config.Host).GetLeftPart(UriPartial.Authority));
        Assert.False(string.IsNullOrEmpty(config.AccessToken));
        Assert.Equal("1", version.Major);
    }

    [Fact]
    public async Task Requests_are_recorded_with_method_path_query_and_content_type()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.Client.CoreV1.ListNamespaceAsync();
        cluster.Emulator.ClearRequests();

        await cluster.ApplyConfigMapAsync("default", "c", new { a = "1" });
        await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "app=x");

        Assert.Collection(cluster.Emulator.Requests,
            apply =>
            {
                Assert.Equal("PATCH", apply.Method);
                Assert.True(apply.IsWrite);
                Assert.Equal("/api/v1/namespaces/default/configmaps/c", apply.Path);
                Assert.Contains("fieldManager=KafkaReplication", apply.Query);
                Assert.Contains("force=true", apply.Query);
                Assert.StartsWith("application/apply-patch+yaml", apply.ContentType);
            },
            list =>
            {
                Assert.Equal("GET", list.Method);
                Assert.False(list.IsWrite);
                Assert.Contains("labelSelector=app%3Dx", list.Query);
            });
    }
}
