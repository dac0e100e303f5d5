using System.Diagnostics;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Clusters;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests.Faults;

/// <summary>What used to leave the engine as a raw .NET exception now leaves it as a module error with an id.</summary>
public sealed class RawExceptionTests : EmulatedClusterTests
{
    public RawExceptionTests(TestFiles files) : base(files) { }

    [Fact]
    public void A_topic_pattern_that_backtracks_without_end_is_refused_not_hung()
    {
        var filter = TopicFilter.Create(new[] { "(a+)+b" });
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<ReplicationException>(() => filter.Selects(new string('a', 40) + "c"));

        Assert.Equal(("TopicRegexTooSlow", ReplicationErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_hand_edited_source_secret_that_is_not_base64_is_a_module_error_without_its_content()
    {
        const string garbage = "not*base64*secret-value";
        _k8s.Upsert(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "repl" } });
        _k8s.Upsert(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "f-source", ["namespace"] = "repl" },
            ["data"] = new JsonObject { ["bootstrap.servers"] = "b:9092", ["security.protocol"] = "SASL_PLAINTEXT", ["sasl.mechanism"] = "PLAIN" },
        });
        _k8s.Upsert(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "f-source", ["namespace"] = "repl" },
            ["data"] = new JsonObject { ["sasl.jaas.config"] = garbage },
        });
        var flow = new FlowHandle("f", "repl", "f", "src", "tgt", ReplicationPolicy.Default, Array.Empty<FlowConnector>());

        var e = await Assert.ThrowsAsync<ReplicationException>(() => SourceClusterResolver.ResolveAsync(_kube, flow, CancellationToken.None));

        // KubernetesClient cannot decode the Secret (its data must be base64): a module error, not a JsonException.
        Assert.Equal(("KubernetesMalformedResponse", ReplicationErrorKind.OperationFailed), (e.ErrorId, e.Kind));
        Assert.DoesNotContain(garbage, e.ToString());
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: [ {name: a, cluster: {server: 'x'}\n")]
    [InlineData("\u0000\u0001binary")]
    [InlineData("apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: a, user: u}}]\nclusters: [{name: a, cluster: {server: 'https://h', certificate-authority-data: '***'}}]\nusers: [{name: u, user: {token: t}}]\n")]
    public void A_kubeconfig_that_cannot_be_read_is_KubeconfigInvalid(string text)
    {
        var path = Path.Combine(_f.Directory, $"bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);

        var e = Assert.Throws<ReplicationException>(() => KafkaReplication.Engine.Kubernetes.KubeConnection.Connect(path));

        Assert.Equal(("KubeconfigInvalid", ReplicationErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
    }
}
