using System.Text;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>The guide's own example (TLS + PLAIN on both sides), compared key by key with Guide/guide-flow.yaml.</summary>
public sealed class GuideManifestTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _files;
    public GuideManifestTests(TestFiles files) => _files = files;

    private static IReadOnlyList<ManifestObject> Guide()
    {
        var guide = ManifestYaml.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Guide", "guide-flow.yaml")));
        // Deliberate deviations (documented in docs/naming.md): key/path volume items, namespaced ServiceAccount subject.
        var connect = guide.Single(o => o.Kind == "KafkaConnect").Body;
        connect["spec"]!["template"]!["pod"]!["volumes"]![0]!["secret"]!["items"] =
            new JsonArray(new JsonObject { ["key"] = "truststore.jks", ["path"] = "truststore.jks" });
        guide.Single(o => o.Kind == "RoleBinding").Body["subjects"]![0]!["namespace"] = "repl-ns";
        // The guide predates KIP-993 (Kafka 3.8.0, apache/kafka .../common/config/internals/AllowedPaths.java): the file
        // provider is confined to /tmp, where the worker file the connectors read lives (docs/operating.md).
        connect["spec"]!["config"]!["config.providers.file.param.allowed.paths"] = "/tmp";
        return guide;
    }

    [Fact]
    public void Builds_the_guides_objects_in_order()
    {
        var ours = FlowManifestBuilder.Build(_files.GuideFlow());
        Assert.Equal(Guide().Select(o => $"{o.Kind}/{o.Name}"), ours.Select(o => $"{o.Kind}/{o.Name}"));
    }

    [Fact]
    public void Every_key_of_the_guide_has_the_guides_value()
    {
        var ours = FlowManifestBuilder.Build(_files.GuideFlow());
        foreach (var g in Guide())
        {
            var o = ours.Single(x => x.Kind == g.Kind && x.Name == g.Name);
            var expected = (JsonObject)g.Body.DeepClone();
            if (g.Kind == "Secret") expected.Remove("data"); // values checked in Secret_values_are_the_credentials_given
            JsonAssert.Empty(JsonAssert.Missing(expected, o.Body), $"{g.DisplayName} differs from the guide");
        }
    }

    [Fact]
    public void Adds_nothing_but_labels_and_the_modules_annotations()
    {
        var guide = Guide();
        foreach (var o in FlowManifestBuilder.Build(_files.GuideFlow()))
        {
            var g = guide.Single(x => x.Kind == o.Kind && x.Name == o.Name);
            var extra = JsonAssert.LeafPaths(o.Body).Except(JsonAssert.LeafPaths(g.Body))
                .Where(p => !p.StartsWith(".metadata.labels.", StringComparison.Ordinal)
                         && !p.StartsWith(".metadata.annotations.kafkareplication.io/", StringComparison.Ordinal))
                .ToList();
            Assert.True(extra.Count == 0, $"{o.DisplayName} has keys the guide does not: {string.Join(", ", extra)}");
        }
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("3.8.0", true)]
    [InlineData("3.8.0.1.2", true)]
    [InlineData("4.1.0", true)]
    [InlineData("3.7.1", false)]
    public void The_file_provider_may_read_only_below_tmp_where_Kafka_supports_it(string? kafkaVersion, bool confined)
    {
        var connect = FlowManifestBuilder.Build(_files.GuideFlow() with { KafkaVersion = kafkaVersion }).Single(o => o.Kind == "KafkaConnect").Body;
        var config = connect["spec"]!["config"]!.AsObject();
        Assert.Equal(confined ? "/tmp" : null, (string?)config["config.providers.file.param.allowed.paths"]);
        // Every ${file:...} the flow renders reads below that path.
        var files = System.Text.RegularExpressions.Regex.Matches(string.Join("\n", FlowManifestBuilder.Build(_files.GuideFlow()).Select(o => o.Body.ToJsonString())), @"\$\{file:([^:}]+)");
        Assert.NotEmpty(files);
        Assert.All(files, m => Assert.StartsWith("/tmp/", m.Groups[1].Value));
    }

    [Fact]
    public void Secret_values_are_the_credentials_given()
    {
        var ours = FlowManifestBuilder.Build(_files.GuideFlow());
        string Data(string secret, string key) => Encoding.UTF8.GetString(Convert.FromBase64String((string)ours.Single(o => o.Kind == "Secret" && o.Name == secret).Body["data"]![key]!));
        Assert.Equal(TestFiles.TargetPassword, Data("uswest-to-useast-target-password", "pass"));
        Assert.Equal(File.ReadAllText(_files.CaPath), Data("uswest-to-useast-target-ca", "ca.crt"));
        Assert.Equal(TestFiles.TruststorePassword, Data("uswest-to-useast-source", "ssl.truststore.password"));
        Assert.Equal(File.ReadAllBytes(_files.JksPath), Convert.FromBase64String((string)ours.Single(o => o.Name == "uswest-to-useast-source" && o.Kind == "Secret").Body["data"]!["truststore.jks"]!));
        // Quotes and backslashes in the password are escaped as Kafka's JAAS tokenizer reads them.
        Assert.Equal("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"replicator\" password=\"src-S3cret!\\\"quote\\\\slash\";",
            Data("uswest-to-useast-source", "sasl.jaas.config"));
    }

    [Fact]
    public void Every_object_carries_the_flow_labels()
    {
        foreach (var o in FlowManifestBuilder.Build(_files.GuideFlow()))
        {
            var labels = o.Body["metadata"]!["labels"]!;
            Assert.Equal("KafkaReplication", (string?)labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("kafka-replication", (string?)labels["app.kubernetes.io/part-of"]);
            Assert.Equal("uswest-to-useast", (string?)labels["kafkareplication.io/flow"]);
        }
    }

    [Fact]
    public void The_guides_own_manifests_pass_validation_and_so_do_ours()
    {
        Assert.Empty(ManifestValidator.Validate(Guide(), "target-kafka-bootstrap.kafka-tgt:9093"));
        Assert.Empty(FlowValidator.Validate(_files.GuideFlow()));
    }
}
