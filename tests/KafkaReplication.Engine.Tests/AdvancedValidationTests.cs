using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>The checks of transforms, several source connectors and several flows, on definitions and on manifests.</summary>
public sealed class AdvancedValidationTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public AdvancedValidationTests(TestFiles files) => _f = files;

    private ReplicationFlowDefinition Plain(string name = "flow-a", string src = "src", string tgt = "tgt") =>
        _f.Flow(_f.Cluster(src, SecurityProtocol.Plaintext), _f.Cluster(tgt, SecurityProtocol.Plaintext), name);

    private static IEnumerable<string> Errors(IEnumerable<ValidationFinding> f) => f.Where(x => x.Severity == FindingSeverity.Error).Select(x => x.Code);

    private static ManifestObject Connector(IReadOnlyList<ManifestObject> objects, string suffix) =>
        objects.Single(o => o.Kind == "KafkaConnector" && o.Name.EndsWith(suffix, StringComparison.Ordinal));

    private static JsonObject Config(ManifestObject o) => (JsonObject)o.Body["spec"]!["config"]!;

    private static readonly ConvertFromBytesTransform FromJson = new() { Name = "ConvertFromBytes", Converter = RecordConverters.Json };

    [Fact]
    public void Transforms_that_rename_topics_are_refused()
    {
        var router = new CustomTransform
        {
            Name = "route", Class = "org.apache.kafka.connect.transforms.RegexRouter",
            CustomSettings = new[] { new KeyValuePair<string, object>("regex", "(.*)"), new("replacement", "x-$1") },
        };
        var findings = FlowValidator.Validate(Plain() with { Transforms = new[] { router } });
        var f = Assert.Single(findings, x => x.Code == "TransformRenamesTopic");
        Assert.Contains("'route'", f.Message);
        Assert.Contains("KafkaConnector replication/flow-a-mirror-source-connector", f.Target);
        Assert.Contains("TransformRenamesTopic", Errors(FlowValidator.Validate(Plain() with
        {
            Transforms = new[] { new CustomTransform { Name = "ts", Class = "org.apache.kafka.connect.transforms.TimestampRouter" } },
        })));
    }

    [Fact]
    public void A_conversion_that_reaches_heartbeat_records_is_refused()
    {
        // Built without the predicate (as a hand-written manifest would be), with a heartbeat connector in the flow.
        var objects = FlowManifestBuilder.Build(Plain() with { Transforms = new ReplicationTransform[] { FromJson, new ConvertToBytesTransform { Name = "ConvertToBytes", Converter = RecordConverters.Json } } })
            .Select(o => new ManifestObject((JsonObject)o.Body.DeepClone())).ToList();
        var config = Config(Connector(objects, "mirror-source-connector"));
        foreach (var key in config.Where(kv => kv.Key.StartsWith("predicates", StringComparison.Ordinal) || kv.Key.EndsWith(".predicate", StringComparison.Ordinal)).Select(kv => kv.Key).ToList())
            config.Remove(key);
        Assert.Contains("ConversionHitsHeartbeats", Errors(ManifestValidator.Validate(objects)));

        // A predicate that does not spare heartbeats is no better; the guide's pattern, negated, neither.
        config["transforms.ConvertFromBytes.predicate"] = "Everything";
        config["transforms.ConvertToBytes.predicate"] = "Everything";
        config["predicates"] = "Everything";
        config["predicates.Everything.type"] = TopicNameMatchesPredicate.Class;
        config["predicates.Everything.pattern"] = ".*";
        var hit = Assert.Single(ManifestValidator.Validate(objects), x => x.Code == "ConversionHitsHeartbeats");
        Assert.Contains("topic 'heartbeats' matches '.*'", hit.Message);
        config["predicates.Everything.pattern"] = TransformChain.NotHeartbeatsPattern;
        Assert.DoesNotContain("ConversionHitsHeartbeats", Errors(ManifestValidator.Validate(objects)));
        config["transforms.ConvertFromBytes.negate"] = true;
        config["transforms.ConvertToBytes.negate"] = true;
        Assert.Contains("ConversionHitsHeartbeats", Errors(ManifestValidator.Validate(objects)));

        // Without a heartbeat connector there are no heartbeat records to protect.
        var noHeartbeat = FlowManifestBuilder.Build(Plain() with { Heartbeat = false, Transforms = new ReplicationTransform[] { FromJson } });
        Assert.DoesNotContain("ConversionHitsHeartbeats", Errors(ManifestValidator.Validate(noHeartbeat)));
    }

    [Fact]
    public void A_user_predicate_is_kept_and_checked_and_conversion_back_follows_it()
    {
        var orders = new TopicNameMatchesPredicate { Name = "Orders", Pattern = "orders.*" };
        var flow = Plain() with { Transforms = new ReplicationTransform[] { FromJson with { Predicate = orders } } };
        var config = Config(Connector(FlowManifestBuilder.Build(flow), "mirror-source-connector"));
        Assert.Equal("ConvertFromBytes,ConvertToBytes", (string?)config["transforms"]);
        Assert.Equal("Orders", (string?)config["transforms.ConvertToBytes.predicate"]);
        Assert.Equal(RecordConverters.ByteArray, (string?)config["value.converter"]);
        Assert.Empty(FlowValidator.Validate(flow));
    }

    [Fact]
    public void Converted_data_without_a_matching_final_converter_is_refused()
    {
        var objects = FlowManifestBuilder.Build(Plain() with { Heartbeat = false, Transforms = new ReplicationTransform[] { FromJson } })
            .Select(o => new ManifestObject((JsonObject)o.Body.DeepClone())).ToList();
        Assert.Empty(ManifestValidator.Validate(objects));
        Config(Connector(objects, "mirror-source-connector"))["value.converter"] = RecordConverters.ByteArray;
        Assert.Contains("ConvertedDataNotWritable", Errors(ManifestValidator.Validate(objects)));
    }

    [Fact]
    public void Filters_without_predicates_and_undefined_predicates_are_refused()
    {
        Assert.Contains("FilterWithoutPredicate", Errors(FlowValidator.Validate(Plain() with { Transforms = new[] { new FilterTransform { Name = "drop" } } })));
        var objects = FlowManifestBuilder.Build(Plain() with
        {
            Transforms = new[] { new FilterTransform { Name = "drop", Predicate = new RecordIsTombstonePredicate { Name = "Tombstones" } } },
        }).Select(o => new ManifestObject((JsonObject)o.Body.DeepClone())).ToList();
        Assert.Empty(ManifestValidator.Validate(objects));
        Config(Connector(objects, "mirror-source-connector")).Remove("predicates.Tombstones.type");
        Assert.Contains("PredicateMissing", Errors(ManifestValidator.Validate(objects)));
    }

    [Fact]
    public void Transform_and_predicate_names_must_be_unique_and_usable_in_keys()
    {
        var a = new InsertHeaderTransform { Name = "h", Header = "x", Value = "1", Predicate = new TopicNameMatchesPredicate { Name = "P", Pattern = "a.*" } };
        var b = new InsertHeaderTransform { Name = "h", Header = "y", Value = "2", Predicate = new TopicNameMatchesPredicate { Name = "P", Pattern = "b.*" } };
        var errors = Errors(FlowValidator.Validate(Plain() with { Transforms = new[] { a, b } })).ToList();
        Assert.Contains("DuplicateTransformName", errors);
        Assert.Contains("DuplicatePredicateName", errors);
        Assert.Contains("InvalidTransformName", Errors(FlowValidator.Validate(Plain() with { Transforms = new[] { a with { Name = "my.header" } } })));
        Assert.Contains("ReplaceFieldEmpty", Errors(FlowValidator.Validate(Plain() with { Transforms = new[] { new ReplaceFieldTransform { Name = "r" } } })));
    }

    [Fact]
    public void Source_connector_lists_are_checked()
    {
        var flow = Plain() with
        {
            Topics = Array.Empty<string>(),
            SourceConnectors = new[]
            {
                new SourceConnectorDefinition { Name = "first", Topics = new[] { "test.*" } },
                new SourceConnectorDefinition { Name = "second", Topics = new[] { "test.orders", "prod.*" } },
            },
        };
        var overlap = Assert.Single(FlowValidator.Validate(flow), x => x.Code == "TopicOverlap");
        Assert.Contains("'test.*' and 'test.orders' both match", overlap.Message);
        Assert.DoesNotContain("prod.*", overlap.Message);

        Assert.Contains("TopicsWithSourceConnectors", Errors(FlowValidator.Validate(flow with { Topics = new[] { "x" } })));
        Assert.Contains("DuplicateSourceConnector", Errors(FlowValidator.Validate(flow with { SourceConnectors = new[] { flow.SourceConnectors[0], flow.SourceConnectors[0] } })));
        Assert.Contains("InvalidSourceConnectorName", Errors(FlowValidator.Validate(flow with { SourceConnectors = new[] { flow.SourceConnectors[0] with { Name = "First_One" } } })));
        Assert.Contains("InvalidReplicationFactor", Errors(FlowValidator.Validate(flow with { SourceConnectors = new[] { flow.SourceConnectors[0] with { ReplicationFactor = 0 } } })));
        Assert.Contains("TopicsRequired", Errors(FlowValidator.Validate(Plain() with { Topics = Array.Empty<string>() })));
    }

    [Fact]
    public void A_checkpoint_connector_that_misses_a_source_connectors_topics_is_reported()
    {
        var flow = Plain() with
        {
            Topics = Array.Empty<string>(),
            SourceConnectors = new[]
            {
                new SourceConnectorDefinition { Name = "first", Topics = new[] { "test.*" } },
                new SourceConnectorDefinition { Name = "second", Topics = new[] { "prod.*" } },
            },
        };
        var objects = FlowManifestBuilder.Build(flow).Select(o => new ManifestObject((JsonObject)o.Body.DeepClone())).ToList();
        Config(Connector(objects, "mirror-checkpoint-connector"))["topics"] = "${cfmap:replication/flow-a-first-replication:topics}";
        var f = Assert.Single(ManifestValidator.Validate(objects));
        Assert.Equal("CheckpointTopicsIncomplete", f.Code);
        Assert.Contains("'prod.*'", f.Message);
    }

    [Fact]
    public void Policies_are_compared_per_flow_not_across_flows()
    {
        var a = FlowManifestBuilder.Build(Plain("flow-a"));
        var b = FlowManifestBuilder.Build(Plain("flow-b", "other", "tgt") with { ReplicationPolicy = ReplicationPolicy.Identity, ConnectClusterName = "repl-other-tgt" });
        Assert.DoesNotContain("PolicyMismatch", Errors(ManifestValidator.Validate(a.Concat(b).ToList())));
    }

    [Fact]
    public void Prefixless_flows_in_opposite_directions_without_the_loop_filter_loop()
    {
        var ab = Plain("a-to-b", "a", "b") with { ReplicationPolicy = ReplicationPolicy.Identity, ConnectClusterName = "repl-a-b" };
        var ba = Plain("b-to-a", "b", "a") with { ReplicationPolicy = ReplicationPolicy.Identity, ConnectClusterName = "repl-b-a" };
        var loop = Assert.Single(FlowSetValidator.Validate(new[] { ab, ba }));
        Assert.Equal("ReplicationLoop", loop.Code);
        Assert.Contains("(a -> b)", loop.Message);
        Assert.Empty(FlowSetValidator.Validate(BidirectionalFlows.Create(ab with { Groups = Array.Empty<string>() }, "b-to-a")));
        // With the default policy MirrorMaker detects cycles itself.
        Assert.Empty(FlowSetValidator.Validate(new[] { ab with { ReplicationPolicy = ReplicationPolicy.Default }, ba with { ReplicationPolicy = ReplicationPolicy.Default } }));
    }

    [Fact]
    public void A_loop_filter_that_names_the_wrong_alias_is_refused()
    {
        var pair = BidirectionalFlows.Create(Plain("a-to-b", "a", "b") with { Groups = Array.Empty<string>() }, "b-to-a");
        var objects = FlowManifestBuilder.Build(pair[0]).Select(o => new ManifestObject((JsonObject)o.Body.DeepClone())).ToList();
        Assert.Empty(ManifestValidator.Validate(objects));
        // The header marks records with the target's alias: the other direction would let them through again.
        Config(Connector(objects, "mirror-source-connector"))["transforms.InsertHeader.header"] = "replicated-from-${cfmap:replication/a-to-b-target:alias}";
        var f = Assert.Single(ManifestValidator.Validate(objects), x => x.Code == "LoopFilterAliasMismatch");
        Assert.Contains("'replicated-from-b'", f.Message);
        Assert.Contains("'replicated-from-a'", f.Message);
    }

    [Fact]
    public void Flows_across_connect_clusters_must_agree_on_aliases_and_not_share_a_connect_group()
    {
        var a = Plain("flow-a") with { Namespace = "ns-a", Topics = new[] { "a.*" } };
        var renamed = Plain("flow-b", "src", "tgt2") with { Namespace = "ns-b", Topics = new[] { "b.*" }, Target = _f.Cluster("tgt2", SecurityProtocol.Plaintext, bootstrap: "tgt-kafka-bootstrap:9092") };
        Assert.Contains("AliasMismatch", Errors(FlowSetValidator.Validate(new[] { a, renamed })));
        var sameConnect = Plain("flow-b") with { Namespace = "ns-b", Topics = new[] { "b.*" } };
        Assert.Equal(new[] { "ConnectGroupShared" }, Errors(FlowSetValidator.Validate(new[] { a, sameConnect })));
        Assert.Empty(FlowSetValidator.Validate(new[] { a, sameConnect with { ConnectClusterName = "repl-src-tgt-b" } }));
        Assert.Equal(new[] { "DuplicateFlow" }, Errors(FlowSetValidator.Validate(new[] { a, a })));
    }

    [Fact]
    public void Known_topics_give_the_overlap_check_real_names()
    {
        var a = Plain("flow-a") with { Namespace = "ns-a", Topics = new[] { "(?i)ORDERS" }, ConnectClusterName = "c-a" };
        var b = Plain("flow-b") with { Namespace = "ns-b", Topics = new[] { "ord.*" }, ConnectClusterName = "c-b" };
        Assert.Empty(FlowSetValidator.Validate(new[] { a, b }));
        var f = Assert.Single(FlowSetValidator.Validate(new[] { a, b }, new[] { "orders" }));
        Assert.Contains("both match 'orders'", f.Message);
    }

    [Fact]
    public void Connect_resources_are_checked()
    {
        Assert.Contains("InvalidResourceQuantity", Errors(FlowValidator.Validate(Plain() with { ConnectResources = new ConnectResources { MemoryRequest = "1 GB" } })));
        Assert.Contains("ResourceLimitBelowRequest", Errors(FlowValidator.Validate(Plain() with { ConnectResources = new ConnectResources { MemoryRequest = "2Gi", MemoryLimit = "1500Mi" } })));
        Assert.Empty(FlowValidator.Validate(Plain() with { ConnectResources = new ConnectResources { CpuRequest = "500m", CpuLimit = "1" } }));
    }
}
