using System.Text.Json.Nodes;
using KafkaReplication.Engine.FlowFiles;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>The flow-file keys of the advanced flows give the same manifests as the typed definitions.</summary>
public sealed class AdvancedFlowFileTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public AdvancedFlowFileTests(TestFiles files) => _f = files;

    private string Write(string body)
    {
        var path = Path.Combine(_f.Directory, $"flow-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, body);
        return path;
    }

    private const string Clusters = """
        namespace: repl
        source: { alias: src, bootstrapServers: 'src-kafka-bootstrap:9092' }
        target: { alias: tgt, bootstrapServers: 'tgt-kafka-bootstrap:9092' }
        """;

    private static void SameManifests(ReplicationFlowDefinition expected, ReplicationFlowDefinition actual)
    {
        var a = FlowManifestBuilder.Build(expected);
        var b = FlowManifestBuilder.Build(actual);
        Assert.Equal(a.Select(o => o.DisplayName), b.Select(o => o.DisplayName));
        for (var i = 0; i < a.Count; i++) Assert.True(JsonNode.DeepEquals(a[i].Body, b[i].Body), $"{a[i].DisplayName} differs:\n{a[i].Body}\n{b[i].Body}");
    }

    private ReplicationFlowDefinition Typed(string name) => new()
    {
        Name = name,
        Namespace = "repl",
        Source = _f.Cluster("src", SecurityProtocol.Plaintext, bootstrap: "src-kafka-bootstrap:9092"),
        Target = _f.Cluster("tgt", SecurityProtocol.Plaintext, bootstrap: "tgt-kafka-bootstrap:9092"),
        Topics = Array.Empty<string>(),
        ConnectClusterName = "repl-src-tgt",
    };

    [Fact]
    public void Source_connectors_transforms_resources_and_exactly_once()
    {
        var path = Write(Clusters + """

            name: multi
            exactlyOnce: true
            metrics: true
            connectResources: { requests: { cpu: '1', memory: 1Gi }, limits: { memory: 2Gi } }
            sourceConnectors:
              - name: first
                topics: [ 'test.*' ]
              - name: second
                topics: [ 'prod.*' ]
                tasksMax: 2
                compressionType: Zstd
                replicationFactor: 3
                offsetLagMax: 500
                transforms:
                  - type: ConvertFromBytes
                    converter: Json
                  - type: ReplaceField
                    renames: { name: replaced_name, age: replaced_age }
                  - type: InsertHeader
                    name: tag
                    header: origin
                    value: '{SourceAlias}'
                    predicate: { type: TopicNameMatches, name: Prod, pattern: 'prod\..*' }
                    negate: true
            """);
        var expected = Typed("multi") with
        {
            ExactlyOnce = true,
            Metrics = true,
            ConnectResources = new ConnectResources { CpuRequest = "1", MemoryRequest = "1Gi", MemoryLimit = "2Gi" },
            SourceConnectors = new[]
            {
                new SourceConnectorDefinition { Name = "first", Topics = new[] { "test.*" } },
                new SourceConnectorDefinition
                {
                    Name = "second", Topics = new[] { "prod.*" }, TasksMax = 2, CompressionType = CompressionType.Zstd, ReplicationFactor = 3, OffsetLagMax = 500,
                    Transforms = new ReplicationTransform[]
                    {
                        new ConvertFromBytesTransform { Name = "ConvertFromBytes", Converter = RecordConverters.Json },
                        new ReplaceFieldTransform { Name = "ReplaceField", Renames = TransformFactory.ParseRenames(new[] { "name:replaced_name", "age:replaced_age" }) },
                        new InsertHeaderTransform
                        {
                            Name = "tag", Header = "origin", Value = "{SourceAlias}", Negate = true,
                            Predicate = new TopicNameMatchesPredicate { Name = "Prod", Pattern = @"prod\..*" },
                        },
                    },
                },
            },
        };
        var read = FlowFileReader.Read(path);
        SameManifests(expected, read);
        var second = (JsonObject)FlowManifestBuilder.Build(read).Single(o => o.Name == "multi-second-mirror-source-connector").Body["spec"]!["config"]!;
        Assert.Equal("${cfmap:repl/multi-source:alias}", (string?)second["transforms.tag.value.literal"]);
        Assert.Equal("ConvertFromBytes,ReplaceField,tag,ConvertToBytes", (string?)second["transforms"]);
    }

    [Fact]
    public void A_bidirectional_file_gives_both_flows()
    {
        var path = Write(Clusters + """

            name: src-to-tgt
            topics: [ 'orders.*' ]
            bidirectional: true
            reverseName: back
            """);
        var flows = FlowFileReader.ReadAll(path);
        Assert.Equal(new[] { "src-to-tgt", "back" }, flows.Select(f => f.Name));
        SameManifests(BidirectionalFlows.Create(Typed("src-to-tgt") with { Topics = new[] { "orders.*" } }, "back")[1], flows[1]);
        Assert.Equal("FlowFileHasSeveralFlows", Assert.Throws<ReplicationException>(() => FlowFileReader.Read(path)).ErrorId);
        Assert.Equal("BidirectionalRequiresIdentity", Assert.Throws<ReplicationException>(() => FlowFileReader.ReadAll(Write(Clusters + "\nname: x\ntopics: [a]\nbidirectional: true\nreplicationPolicy: Default"))).ErrorId);
    }

    [Theory]
    [InlineData("transforms: [ { type: InsertHeader, header: h, value: v, converter: Json } ]", "FlowFileInvalidValue", "does not apply to InsertHeader transforms")]
    [InlineData("transforms: [ { type: RegexRouter } ]", "FlowFileInvalidValue", "must be one of")]
    [InlineData("transforms: [ { type: Filter, predicate: { type: HasHeaderKey } } ]", "FlowFileMissingKey", "headerName")]
    [InlineData("transforms: [ { type: ConvertFromBytes } ]", "FlowFileMissingKey", "converter")]
    [InlineData("sourceConnectors: [ { topics: [a] } ]", "FlowFileMissingKey", "sourceConnectors[0].name")]
    [InlineData("sourceConnectors: [ { name: a, topics: [a], compressionType: brotli } ]", "FlowFileInvalidValue", "compressionType")]
    [InlineData("connectResources: { requests: { gpu: 1 } }", "FlowFileInvalid", "unknown key 'gpu'")]
    public void Mistakes_in_the_new_keys_are_named(string yaml, string errorId, string text)
    {
        var e = Assert.Throws<ReplicationException>(() => FlowFileReader.ReadAll(Write(Clusters + "\nname: x\n" + yaml)));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void Every_unknown_key_is_named_at_once_with_its_line()
    {
        var e = Assert.Throws<ReplicationException>(() => FlowFileReader.ReadAll(Write(Clusters + """

            name: x
            topic: [ 'orders.*' ]
            transforms: [ { type: Filter, predicat: { type: RecordIsTombstone } } ]
            connectResources: { requests: { gpu: 1 } }
            """)));
        Assert.Equal("FlowFileInvalid", e.ErrorId);
        Assert.Matches(@"unknown keys 'topic' \(line \d+\), 'transforms\[0\]\.predicat' \(line \d+\), 'connectResources\.requests\.gpu' \(line \d+\)", e.Message);
    }
}
