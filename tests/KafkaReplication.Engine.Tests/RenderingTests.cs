using System.Text.Json.Nodes;
using KafkaReplication.Engine.FlowFiles;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests;

public sealed class RenderingTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public RenderingTests(TestFiles files) => _f = files;

    private static readonly string[] SecretValues = { TestFiles.SourcePassword, TestFiles.TargetPassword, TestFiles.TruststorePassword };

    [Fact]
    public void Rendered_yaml_parses_back_to_the_same_objects()
    {
        var objects = FlowManifestBuilder.Build(_f.GuideFlow());
        var parsed = ManifestYaml.Parse(ManifestYaml.Render(objects, SecretRendering.Values));
        Assert.Equal(objects.Count, parsed.Count);
        for (var i = 0; i < objects.Count; i++)
            Assert.True(JsonNode.DeepEquals(objects[i].Body, parsed[i].Body), $"{objects[i].DisplayName} did not round-trip");
        // Strings that look like YAML booleans or numbers stay strings.
        Assert.Equal("true", parsed.Single(o => o.Kind == "KafkaConnect").Body["metadata"]!["annotations"]!["strimzi.io/use-connector-resources"]!.GetValue<string>());
    }

    [Fact]
    public void Default_render_has_placeholders_and_no_secret_value()
    {
        var dir = Path.Combine(_f.Directory, "render-default");
        var files = FlowRenderer.WriteFiles(_f.GuideFlow(), dir, includeSecretValues: false);
        var text = File.ReadAllText(Assert.Single(files));
        foreach (var s in SecretValues) Assert.DoesNotContain(s, text);
        Assert.Contains("<FILL IN: SASL password of user 'replicator' on the target cluster 'useast'>", text);
        Assert.Contains("kubectl create secret generic uswest-to-useast-source --namespace repl-ns", text);
        var source = ManifestYaml.Parse(text).Single(o => o.Kind == "Secret" && o.Name == "uswest-to-useast-source").Body;
        Assert.NotNull(source["data"]!["truststore.jks"]); // certificates are public and kept
        Assert.Null(source["data"]!["sasl.jaas.config"]);
    }

    [Fact]
    public void Secret_values_go_only_into_a_separate_owner_only_file()
    {
        var dir = Path.Combine(_f.Directory, "render-secrets");
        var files = FlowRenderer.WriteFiles(_f.GuideFlow(), dir, includeSecretValues: true);
        Assert.Equal(2, files.Count);
        var main = File.ReadAllText(files[0]);
        foreach (var s in SecretValues) Assert.DoesNotContain(s, main);
        Assert.DoesNotContain(ManifestYaml.Parse(main), o => o.Kind == "Secret" && o.SecretKeys.Count > 0 || o.Name == "uswest-to-useast-target-password");
        var secrets = ManifestYaml.Parse(File.ReadAllText(files[1]));
        var pass = (string)secrets.Single(o => o.Name == "uswest-to-useast-target-password").Body["data"]!["pass"]!;
        Assert.Equal(TestFiles.TargetPassword, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(pass)));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files[1]));
    }

    private string WriteFlowFile(string body)
    {
        File.WriteAllText(Path.Combine(_f.Directory, "ts-password.txt"), TestFiles.TruststorePassword + "\n");
        var path = Path.Combine(_f.Directory, $"flow-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, body);
        return path;
    }

    private const string FlowFile = """
        name: uswest-to-useast
        namespace: repl-ns
        source:
          alias: uswest
          bootstrapServers: source-kafka-bootstrap.kafka-src:9093
          securityProtocol: SaslSsl
          saslMechanism: Plain
          userName: replicator
          password: { env: SRC_PW }
          truststorePath: truststore.jks
          truststorePassword: { file: ts-password.txt }
        target:
          alias: useast
          bootstrapServers: target-kafka-bootstrap.kafka-tgt:9093
          securityProtocol: SaslSsl
          saslMechanism: plain
          userName: replicator
          password: { env: TGT_PW }
          caCertificatePath: ca.crt
        topics: [ "test.*" ]
        groups: [ "test.*" ]
        kafkaVersion: 3.8.0.1.2
        """;

    [Fact]
    public void A_flow_file_gives_the_same_manifests_as_the_parameters()
    {
        var env = new Dictionary<string, string> { ["SRC_PW"] = TestFiles.SourcePassword, ["TGT_PW"] = TestFiles.TargetPassword };
        var fromFile = FlowFileReader.Read(WriteFlowFile(FlowFile), v => env.GetValueOrDefault(v));
        var a = FlowManifestBuilder.Build(fromFile);
        var b = FlowManifestBuilder.Build(_f.GuideFlow());
        Assert.Equal(b.Count, a.Count);
        for (var i = 0; i < a.Count; i++) Assert.True(JsonNode.DeepEquals(b[i].Body, a[i].Body), $"{a[i].DisplayName} differs");
    }

    [Fact]
    public void A_flow_file_refuses_inline_secrets_and_missing_references()
    {
        var inline = WriteFlowFile(FlowFile.Replace("password: { env: SRC_PW }", "password: hunter2"));
        var e = Assert.Throws<ReplicationException>(() => FlowFileReader.Read(inline, _ => "x"));
        Assert.Equal("InlineSecretNotAllowed", e.ErrorId);
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Equal("SecretEnvironmentVariableMissing", Assert.Throws<ReplicationException>(() => FlowFileReader.Read(WriteFlowFile(FlowFile), _ => null)).ErrorId);
        Assert.Equal("FlowFileInvalidValue", Assert.Throws<ReplicationException>(() => FlowFileReader.Read(WriteFlowFile(FlowFile + "\nreplicationPolicy: Mirror"), _ => "x")).ErrorId);
        Assert.Equal("FlowFileNotFound", Assert.Throws<ReplicationException>(() => FlowFileReader.Read(Path.Combine(_f.Directory, "none.yaml"))).ErrorId);
    }
}
