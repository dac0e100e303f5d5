using System.Text.Json.Nodes;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>Every advanced variant renders to YAML that parses back to the same objects and applies idempotently.</summary>
public sealed class AdvancedDeploymentTests : EmulatedClusterTests
{
    public AdvancedDeploymentTests(TestFiles files) : base(files) { }

    private ReplicationFlowDefinition Plain(string name = "flow-a", string ns = "repl") =>
        _f.Flow(_f.Cluster("src", SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512), _f.Cluster("tgt", SecurityProtocol.Ssl), name, ns);

    public static IEnumerable<object[]> Variants() => new[] { "smt", "multi", "eos", "bidirectional", "connects" }.Select(v => new object[] { v });

    private IReadOnlyList<ReplicationFlowDefinition> Variant(string name) => name switch
    {
        "smt" => new[] { Plain() with { Transforms = new ReplicationTransform[]
        {
            new ConvertFromBytesTransform { Name = "ConvertFromBytes", Converter = RecordConverters.Json },
            new ReplaceFieldTransform { Name = "ReplaceField", Exclude = new[] { "ssn" } },
            new InsertHeaderTransform { Name = "InsertHeader", Header = "origin", Value = ReplicationTransform.SourceAliasToken },
        } } },
        "multi" => new[] { Plain() with
        {
            Topics = Array.Empty<string>(),
            SourceConnectors = new[]
            {
                new SourceConnectorDefinition { Name = "first", Topics = new[] { "test.*" }, CompressionType = CompressionType.Lz4 },
                new SourceConnectorDefinition { Name = "second", Topics = new[] { "prod.*" }, ReplicationFactor = -1, OffsetLagMax = 0 },
            },
        } },
        "eos" => new[] { Plain() with { ExactlyOnce = true, ConnectResources = new ConnectResources { CpuRequest = "500m", MemoryLimit = "2Gi" } } },
        "bidirectional" => BidirectionalFlows.Create(
            _f.Flow(_f.Cluster("src", SecurityProtocol.Ssl), _f.Cluster("tgt", SecurityProtocol.Ssl), "src-to-tgt") with { Groups = Array.Empty<string>() }),
        _ => new[]
        {
            Plain("low", "small-ns") with { ConnectClusterName = "small-workload", Topics = new[] { "low.*" } },
            Plain("high", "high-ns") with { ConnectClusterName = "high-workload", Topics = new[] { "high.*" }, ConnectReplicas = 6 },
        },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Renders_round_trips_and_applies_idempotently(string variant)
    {
        var flows = Variant(variant);
        foreach (var flow in flows)
        {
            var objects = FlowManifestBuilder.Build(flow);
            var parsed = ManifestYaml.Parse(ManifestYaml.Render(objects, SecretRendering.Values));
            Assert.Equal(objects.Count, parsed.Count);
            for (var i = 0; i < objects.Count; i++)
                Assert.True(JsonNode.DeepEquals(objects[i].Body, parsed[i].Body), $"{objects[i].DisplayName} did not round-trip");
            var files = FlowRenderer.WriteFiles(flow, Path.Combine(_f.Directory, $"render-{variant}"), includeSecretValues: false);
            Assert.Contains(files, p => p.EndsWith($"{flow.Name}.yaml", StringComparison.Ordinal));
        }

        // The two directions of a bidirectional flow share a namespace: the second finds it there.
        foreach (var flow in flows)
            Assert.All(await DeployAsync(flow), c => Assert.Equal(c.Kind == "Namespace" && flow != flows[0] && flow.Namespace == flows[0].Namespace ? ManifestAction.Unchanged : ManifestAction.Create, c.Action));
        _k8s.ClearRequests();
        foreach (var flow in flows)
            Assert.All(await DeployAsync(flow), c => Assert.Equal(ManifestAction.Unchanged, c.Action));
        Assert.DoesNotContain(_k8s.Requests, r => r.IsWrite);

        // What is in the cluster passes the same checks, alone and against the other deployed flows.
        var reader = new LiveFlowReader(_kube);
        var deployed = await reader.ReadAllFlowsAsync(NullOperationLog.Instance, CancellationToken.None);
        foreach (var flow in flows)
        {
            var live = await reader.ReadFlowAsync(flow.Namespace, flow.Name, CancellationToken.None);
            Assert.Empty(Validation.ManifestValidator.Validate(live));
            Assert.Empty(Validation.FlowSetValidator.AgainstDeployed(live, deployed!));
            Assert.All(live.Where(o => o.Kind == "Secret"), s => Assert.All(s.Body["data"]!.AsObject(), kv => Assert.Equal("", (string?)kv.Value)));
        }
    }

    [Fact]
    public async Task Moving_to_several_source_connectors_replaces_the_single_one()
    {
        await DeployAsync(Plain());
        var changes = await DeployAsync(Variant("multi")[0]);
        Assert.Equal(new[] { "KafkaConnector flow-a-mirror-source-connector" },
            changes.Where(c => c.Action == ManifestAction.Delete).Select(c => $"{c.Kind} {c.ObjectName}"));
        // The common ConfigMap gains the policy and loses the topics, which moved to the per-connector ConfigMaps.
        Assert.Equal(new[] { "data.replication.policy.class", "data.topics (removed)" }, changes.Single(c => c.ObjectName == "flow-a-replication").ChangedPaths);
        Assert.NotNull(_k8s.Get(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl", "flow-a-second-mirror-source-connector"));
    }

    [Fact]
    public async Task Applying_exactly_once_to_a_running_flow_without_preparing_is_refused()
    {
        await DeployAsync(Plain());
        var e = await Assert.ThrowsAsync<ReplicationException>(() => DeployAsync(Plain() with { ExactlyOnce = true }));
        Assert.Equal("ExactlyOnceNeedsPreparing", e.ErrorId);
        Assert.Equal(ReplicationErrorKind.PreconditionFailed, e.Kind);

        // After 'preparing' and its roll (observedGeneration caught up), enabled may be applied.
        await _kube.MergePatchAsync(FlowManifestBuilder.StrimziApiVersion, "KafkaConnect", "repl", "repl-src-tgt",
            new JsonObject { ["spec"] = new JsonObject { ["config"] = new JsonObject { ["exactly.once.source.support"] = "preparing" } } }, CancellationToken.None);
        var generation = (long)_k8s.Get(FlowManifestBuilder.StrimziApiVersion, "KafkaConnect", "repl", "repl-src-tgt")!["metadata"]!["generation"]!;
        Assert.Equal("ExactlyOnceNeedsPreparing", (await Assert.ThrowsAsync<ReplicationException>(() => DeployAsync(Plain() with { ExactlyOnce = true }))).ErrorId);
        _k8s.PatchStatus(FlowManifestBuilder.StrimziApiVersion, "KafkaConnect", "repl", "repl-src-tgt", new JsonObject { ["observedGeneration"] = generation });
        var changes = await DeployAsync(Plain() with { ExactlyOnce = true });
        Assert.Equal(new[] { "spec.config.exactly.once.source.support" }, changes.Single(c => c.Kind == "KafkaConnect").ChangedPaths);
    }
}
