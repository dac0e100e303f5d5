using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>
/// The guide's advanced sections (SMT, prefixless, exactly-once, several source connectors, several Connect clusters,
/// bidirectional), each transcribed in Guide/*.yaml and compared key by key with what the module builds.
/// </summary>
public sealed class AdvancedGuideManifestTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public AdvancedGuideManifestTests(TestFiles files) => _f = files;

    private static List<ManifestObject> Guide(string file) =>
        ManifestYaml.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Guide", file))).ToList();

    private static void EveryGuideKeyMatches(IReadOnlyList<ManifestObject> guide, IReadOnlyList<ManifestObject> ours)
    {
        foreach (var g in guide)
        {
            var o = ours.SingleOrDefault(x => x.Kind == g.Kind && x.Name == g.Name && (g.Namespace is null || x.Namespace == g.Namespace));
            Assert.True(o is not null, $"the module builds no {g.DisplayName}; it builds {string.Join(", ", ours.Select(x => x.DisplayName))}");
            JsonAssert.Empty(JsonAssert.Missing(g.Body, o!.Body), $"{g.DisplayName} differs from the guide");
        }
    }

    private static JsonObject Config(IReadOnlyList<ManifestObject> objects, string name) =>
        (JsonObject)objects.Single(o => o.Kind == "KafkaConnector" && o.Name == name).Body["spec"]!["config"]!;

    /// <summary>The SMT-related keys (transforms, predicates and, where the example shows them, converters) of ours are exactly the guide's.</summary>
    private static void SameTransformKeys(JsonObject guide, JsonObject ours, bool converters = true)
    {
        IEnumerable<string> Keys(JsonObject c) => c.Select(kv => kv.Key)
            .Where(k => k.StartsWith("transforms", StringComparison.Ordinal) || k.StartsWith("predicates", StringComparison.Ordinal) || (converters && k.Contains("converter", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Keys(guide), Keys(ours));
    }

    private static readonly ReplicationTransform FromJson = new ConvertFromBytesTransform { Name = "ConvertFromBytes", Converter = RecordConverters.Json };
    private static readonly ReplicationTransform Rename = new ReplaceFieldTransform
    {
        Name = "ReplaceField",
        Renames = TransformFactory.ParseRenames(new[] { "name:replaced_name,age:replaced_age" }),
    };

    private const string Source = "uswest-to-useast-mirror-source-connector";

    [Fact]
    public void Smt_value_conversion_without_heartbeats_ends_with_the_json_converter()
    {
        var guide = Guide("smt-replace-field.yaml");
        var ours = FlowManifestBuilder.Build(_f.GuideFlow() with { Heartbeat = false, Transforms = new[] { FromJson, Rename } });
        EveryGuideKeyMatches(guide, ours);
        SameTransformKeys((JsonObject)guide[0].Body["spec"]!["config"]!, Config(ours, Source));
        Assert.Empty(ManifestValidator.Validate(ours));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Smt_value_conversion_with_heartbeats_skips_them_and_converts_back(bool convertBackGiven)
    {
        var chain = new List<ReplicationTransform> { FromJson, Rename };
        if (convertBackGiven) chain.Add(new ConvertToBytesTransform { Name = "ConvertToBytes", Converter = RecordConverters.Json });
        var guide = Guide("smt-filter-heartbeats.yaml");
        var ours = FlowManifestBuilder.Build(_f.GuideFlow() with { Transforms = chain });
        EveryGuideKeyMatches(guide, ours);
        SameTransformKeys((JsonObject)guide[0].Body["spec"]!["config"]!, Config(ours, Source));
        Assert.Empty(FlowValidator.Validate(_f.GuideFlow() with { Transforms = chain }));
    }

    [Fact]
    public void Smt_insert_header_is_the_guides()
    {
        var guide = Guide("smt-insert-header.yaml");
        var ours = FlowManifestBuilder.Build(_f.GuideFlow() with
        {
            Transforms = new[] { new InsertHeaderTransform { Name = "InsertHeader", Header = "smt-header-key", Value = "smt-header-value" } },
        });
        EveryGuideKeyMatches(guide, ours);
        SameTransformKeys((JsonObject)guide[0].Body["spec"]!["config"]!, Config(ours, Source), converters: false);
        Assert.Empty(ManifestValidator.Validate(ours));
    }

    [Fact]
    public void Prefixless_and_exactly_once_new_flow()
    {
        var flow = _f.GuideFlow() with { ReplicationPolicy = ReplicationPolicy.Identity, ExactlyOnce = true };
        var ours = FlowManifestBuilder.Build(flow);
        EveryGuideKeyMatches(Guide("prefixless-exactly-once.yaml"), ours);
        Assert.Null(Config(ours, "uswest-to-useast-mirror-checkpoint-connector")["source.consumer.isolation.level"]);
        var findings = FlowValidator.Validate(flow);
        Assert.Equal(new[] { "ExactlyOnceCaveats" }, findings.Select(x => x.Code));
        Assert.Equal(FindingSeverity.Information, findings[0].Severity);
    }

    private ReplicationFlowDefinition MultiConnectorFlow() => _f.GuideFlow() with
    {
        Topics = Array.Empty<string>(),
        SourceConnectors = new[]
        {
            new SourceConnectorDefinition { Name = "first", Topics = new[] { "test.*" } },
            new SourceConnectorDefinition
            {
                Name = "second", Topics = new[] { "prod.*" }, CompressionType = CompressionType.Zstd, ReplicationFactor = 3, OffsetLagMax = 500, TasksMax = 6,
                Transforms = new[] { new InsertHeaderTransform { Name = "insertHeader", Header = "my_header_key", Value = "my_header_value" } },
            },
        },
    };

    [Fact]
    public void Several_source_connectors_share_a_common_configmap_and_the_checkpoint_covers_their_union()
    {
        var guide = Guide("multi-source-connector.yaml");
        // Deviation (docs/naming.md): the header settings are written in the connector, not read from ConfigMap keys.
        var second = guide.Single(o => o.Name == "uswest-to-useast-second-mirror-source-connector").Body["spec"]!["config"]!;
        second["transforms.insertHeader.header"] = "my_header_key";
        second["transforms.insertHeader.value.literal"] = "my_header_value";
        var secondMap = guide.Single(o => o.Name == "uswest-to-useast-second-replication").Body["data"]!.AsObject();
        secondMap.Remove("transformHeaderKey");
        secondMap.Remove("transformHeaderValue");

        var ours = FlowManifestBuilder.Build(MultiConnectorFlow());
        EveryGuideKeyMatches(guide, ours);
        Assert.Equal(
            new[] { "uswest-to-useast-replication", "uswest-to-useast-first-replication", "uswest-to-useast-second-replication" },
            ours.Where(o => o.Kind == "ConfigMap" && o.Name.EndsWith("replication", StringComparison.Ordinal)).Select(o => o.Name));
        var config = Config(ours, "uswest-to-useast-second-mirror-source-connector");
        Assert.Equal("zstd", (string?)config["producer.override.compression.type"]);
        Assert.Equal(3, (int)config["replication.factor"]!);
        Assert.Equal(500, (int)config["offset.lag.max"]!);
        Assert.Equal(6, (int)ours.Single(o => o.Name == "uswest-to-useast-second-mirror-source-connector").Body["spec"]!["tasksMax"]!);
        Assert.Null(Config(ours, "uswest-to-useast-first-mirror-source-connector")["transforms"]);
        var role = ours.Single(o => o.Kind == "Role").Body["rules"]![1]!["resourceNames"]!.AsArray().Select(x => (string?)x);
        Assert.Contains("uswest-to-useast-second-replication", role);
        Assert.Empty(FlowValidator.Validate(MultiConnectorFlow()));
    }

    [Fact]
    public void A_single_connector_flow_is_unchanged_by_the_source_connector_layout()
    {
        // The guide's single flow keeps its names and keys: topics in the replication ConfigMap, no policy key.
        var ours = FlowManifestBuilder.Build(_f.GuideFlow());
        Assert.Equal(new[] { "uswest-to-useast-mirror-source-connector" }, ours.Where(o => (string?)o.Body["spec"]?["class"] == FlowManifestBuilder.SourceConnectorClass).Select(o => o.Name));
        Assert.Equal("${cfmap:repl-ns/uswest-to-useast-replication:topics}", (string?)Config(ours, "uswest-to-useast-mirror-checkpoint-connector")["topics"]);
        Assert.Null(Config(ours, Source)["replication.policy.class"]);
    }

    private ReplicationFlowDefinition Workload(string name, string ns, string connect, int replicas, string topic, ConnectResources resources) =>
        _f.GuideFlow() with
        {
            Name = name, Namespace = ns, ConnectClusterName = connect, ConnectReplicas = replicas, Topics = new[] { topic }, ConnectResources = resources,
        };

    private ReplicationFlowDefinition Small(string topic = "low.*") => Workload("low", "small-ns", "small-workload", 3, topic,
        new ConnectResources { MemoryRequest = "1Gi", CpuRequest = "1", MemoryLimit = "2Gi", CpuLimit = "2" });

    private ReplicationFlowDefinition High() => Workload("high", "high-ns", "high-workload", 6, "high.*",
        new ConnectResources { MemoryRequest = "6Gi", CpuRequest = "2", MemoryLimit = "12Gi", CpuLimit = "4" });

    [Fact]
    public void A_flow_on_two_connect_clusters_is_two_flows_with_their_own_namespaces_and_resources()
    {
        var ours = FlowManifestBuilder.Build(Small()).Concat(FlowManifestBuilder.Build(High())).ToList();
        EveryGuideKeyMatches(Guide("multi-connect.yaml"), ours);
        Assert.Empty(FlowValidator.Validate(Small()));
        Assert.Empty(FlowSetValidator.Validate(new[] { Small(), High() }));
        Assert.Empty(ManifestValidator.Validate(ours));
    }

    [Fact]
    public void Two_connect_clusters_replicating_the_same_topic_are_refused_with_the_colliding_patterns()
    {
        var findings = FlowSetValidator.Validate(new[] { Small("low.*,hi.*"), High() });
        var overlap = Assert.Single(findings);
        Assert.Equal("TopicOverlap", overlap.Code);
        Assert.Contains("'hi.*' and 'high.*' both match 'high'", overlap.Message);
        Assert.Contains("KafkaConnector small-ns/low-mirror-source-connector", overlap.Message);
        Assert.Contains("KafkaConnector high-ns/high-mirror-source-connector", overlap.Message);
    }

    [Fact]
    public void Bidirectional_flows_carry_the_guides_loop_filter_with_their_own_aliases()
    {
        var forward = _f.GuideFlow() with { Source = _f.Cluster("uswest", SecurityProtocol.SaslSsl, SaslMechanism.Plain, bootstrap: "source-kafka-bootstrap.kafka-src:9093"), TasksMax = 2, Groups = Array.Empty<string>() };
        var pair = BidirectionalFlows.Create(forward);
        Assert.Equal(new[] { "uswest-to-useast", "useast-to-uswest" }, pair.Select(p => p.Name));
        var ab = FlowManifestBuilder.Build(pair[0]);
        EveryGuideKeyMatches(Guide("bidirectional.yaml"), ab);
        SameTransformKeys((JsonObject)Guide("bidirectional.yaml")[1].Body["spec"]!["config"]!, Config(ab, Source), converters: false);
        Assert.DoesNotContain(ab, o => o.Name.EndsWith("checkpoint-connector", StringComparison.Ordinal));

        var ba = FlowManifestBuilder.Build(pair[1]);
        var reverse = Config(ba, "useast-to-uswest-mirror-source-connector");
        Assert.Equal("replicated-from-${cfmap:repl-ns/useast-to-uswest-source:alias}", (string?)reverse["transforms.InsertHeader.header"]);
        Assert.Equal("replicated-from-${cfmap:repl-ns/useast-to-uswest-target:alias}", (string?)reverse["predicates.ReplicatedFromTarget.name"]);
        Assert.Equal("source-kafka-bootstrap.kafka-src:9093", (string?)ba.Single(o => o.Kind == "KafkaConnect").Body["spec"]!["bootstrapServers"]);
        Assert.Equal("repl-useast-uswest", ba.Single(o => o.Kind == "KafkaConnect").Name);

        Assert.All(pair, p => Assert.DoesNotContain(FlowValidator.Validate(p), x => x.Severity != FindingSeverity.Information));
        Assert.Empty(FlowSetValidator.Validate(pair));
        Assert.Empty(ManifestValidator.Validate(ab.Concat(ba).ToList()));
    }
}
