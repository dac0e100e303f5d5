using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Strimzi;
using KafkaReplication.Engine.Validation;
using Xunit;

namespace KafkaReplication.Engine.Tests.Strimzi;

/// <summary>Every variant rendered for each release, checked against that release's CRD facts (StrimziReleaseFacts).</summary>
public sealed class StrimziRenderingTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public StrimziRenderingTests(TestFiles files) => _f = files;

    private IEnumerable<(string Variant, ReplicationFlowDefinition Flow)> Variants(string release)
    {
        var v = StrimziVersion.Parse(release);
        var plain = _f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext));
        yield return ("plain", plain with { StrimziVersion = v });
        yield return ("tls-sasl", _f.Flow(_f.Cluster("src", SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512), _f.Cluster("tgt", SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512)) with { StrimziVersion = v });
        yield return ("guide", _f.GuideFlow() with { StrimziVersion = v });
        yield return ("exactly-once", plain with { ExactlyOnce = true, StrimziVersion = v });
        yield return ("metrics", plain with { Metrics = true, StrimziVersion = v });
    }

    private static JsonObject Spec(ManifestObject o) => o.Body["spec"]!.AsObject();

    [Theory]
    [MemberData(nameof(StrimziReleaseFacts.All), MemberType = typeof(StrimziReleaseFacts))]
    public void Every_variant_fits_the_releases_crds(string release)
    {
        var facts = StrimziReleaseFacts.Of(release);
        foreach (var (variant, flow) in Variants(release))
        {
            var all = FlowManifestBuilder.Build(flow);
            foreach (var o in all.Where(o => o.Kind is "KafkaConnect" or "KafkaConnector"))
                Assert.True(facts.ApiVersion == o.ApiVersion, $"{variant}: {o.DisplayName} is {o.ApiVersion}, {release} wants {facts.ApiVersion}");
            var kc = all.Single(o => o.Kind == "KafkaConnect");
            foreach (var field in facts.ConnectRequiredSpec)
                Assert.True(Spec(kc).ContainsKey(field), $"{variant}: KafkaConnect lacks spec.{field}, required by {release}");
            var config = Spec(kc)["config"]!.AsObject();
            foreach (var key in facts.ConnectForbiddenConfig)
                Assert.False(config.ContainsKey(key), $"{variant}: KafkaConnect spec.config has '{key}', refused by {release}");
            if (!facts.ConnectorHasPause)
                Assert.DoesNotContain(all.Where(o => o.Kind == "KafkaConnector"), c => Spec(c).ContainsKey("pause"));
            Assert.Equal(release, (string?)kc.Body["metadata"]!["annotations"]![FlowLabels.StrimziVersionAnnotation]);
            Assert.DoesNotContain(FlowValidator.Validate(flow), x => x.Severity == FindingSeverity.Error);
        }
    }

    [Theory]
    [MemberData(nameof(StrimziReleaseFacts.All), MemberType = typeof(StrimziReleaseFacts))]
    public void Connectors_never_read_target_security_from_a_worker_file_that_lacks_it(string release)
    {
        var facts = StrimziReleaseFacts.Of(release);
        var (_, flow) = Variants(release).Single(x => x.Variant == "tls-sasl");
        var all = FlowManifestBuilder.Build(flow);
        foreach (var c in all.Where(o => o.Kind == "KafkaConnector"))
            foreach (var (key, value) in Spec(c)["config"]!.AsObject())
            {
                var text = value!.ToString();
                if (!text.Contains(ConfigRef.WorkerPropertiesFile, StringComparison.Ordinal)) continue;
                Assert.True(facts.WorkerFileHasRealSecurityValues || !(text.Contains(":sasl.") || text.Contains(":ssl.")),
                    $"{c.DisplayName} '{key}' reads {text}, a placeholder in {release}'s worker file");
                if (text.Contains(":ssl.truststore.location") || text.Contains(":ssl.truststore.password"))
                    Assert.True(facts.WorkerFileHasTruststoreLocation, $"{c.DisplayName} '{key}' reads a key {release} does not write");
            }
    }

    [Fact]
    public void From_0_46_the_target_comes_from_the_flows_own_objects_and_the_role_covers_them()
    {
        var (_, flow) = Variants("0.46").Single(x => x.Variant == "tls-sasl");
        var all = FlowManifestBuilder.Build(flow);
        var source = Spec(all.Single(o => o.Kind == "KafkaConnector" && o.Name.EndsWith("-source-connector", StringComparison.Ordinal)))["config"]!.AsObject();
        Assert.Equal("${cfmap:replication/flow-a-target:bootstrap.servers}", (string?)source["target.cluster.bootstrap.servers"]);
        Assert.Equal("${cfmap:replication/flow-a-target:security.protocol}", (string?)source["target.cluster.security.protocol"]);
        Assert.Equal("${secret:replication/flow-a-target-password:sasl.jaas.config}", (string?)source["target.cluster.sasl.jaas.config"]);
        Assert.Equal("${secret:replication/flow-a-target-ca:ca.crt}", (string?)source["target.cluster.ssl.truststore.certificates"]);
        var targetCm = all.Single(o => o.Kind == "ConfigMap" && o.Name == "flow-a-target").Body["data"]!;
        Assert.Equal("SASL_SSL", (string?)targetCm["security.protocol"]);
        Assert.Equal("SCRAM-SHA-512", (string?)targetCm["sasl.mechanism"]);
        Assert.Equal("PEM", (string?)targetCm["ssl.truststore.type"]);
        var secretNames = all.Single(o => o.Kind == "Role").Body["rules"]!.AsArray()
            .Where(r => (string?)r!["resources"]![0] == "secrets").SelectMany(r => r!["resourceNames"]!.AsArray().Select(n => (string?)n)).ToList();
        Assert.Contains("flow-a-target-password", secretNames);
        Assert.Contains("flow-a-target-ca", secretNames);
        // The JAAS config is a secret value: it lives in the Secret, and is listed as one for placeholders.
        var pwd = all.Single(o => o.Kind == "Secret" && o.Name == "flow-a-target-password");
        Assert.Contains("sasl.jaas.config", pwd.SecretKeys.Keys);
        Assert.DoesNotContain(all.Where(o => o.Kind != "Secret"), o => o.Body.ToJsonString().Contains(TestFiles.TargetPassword, StringComparison.Ordinal));
    }

    [Fact]
    public void The_guides_release_keeps_the_guides_worker_file_references()
    {
        var all = FlowManifestBuilder.Build(_f.GuideFlow());
        var source = Spec(all.Single(o => o.Kind == "KafkaConnector" && o.Name.EndsWith("-source-connector", StringComparison.Ordinal)))["config"]!.AsObject();
        Assert.Equal("${file:/tmp/strimzi-connect.properties:sasl.jaas.config}", (string?)source["target.cluster.sasl.jaas.config"]);
        Assert.Equal("kafka.strimzi.io/v1beta2", all.Single(o => o.Kind == "KafkaConnect").ApiVersion);
        Assert.Equal("0.43", (string?)all.Single(o => o.Kind == "KafkaConnect").Body["metadata"]!["annotations"]![FlowLabels.StrimziVersionAnnotation]);
    }

    [Fact]
    public void V1_keeps_the_guides_group_and_topic_names_as_spec_fields()
    {
        var v043 = Spec(FlowManifestBuilder.Build(_f.GuideFlow()).Single(o => o.Kind == "KafkaConnect"));
        var v1 = Spec(FlowManifestBuilder.Build(_f.GuideFlow() with { StrimziVersion = StrimziVersion.V1_0 }).Single(o => o.Kind == "KafkaConnect"));
        Assert.Equal((string?)v043["config"]!["group.id"], (string?)v1["groupId"]);
        Assert.Equal((string?)v043["config"]!["config.storage.topic"], (string?)v1["configStorageTopic"]);
        Assert.Equal((string?)v043["config"]!["offset.storage.topic"], (string?)v1["offsetStorageTopic"]);
        Assert.Equal((string?)v043["config"]!["status.storage.topic"], (string?)v1["statusStorageTopic"]);
    }

    [Fact]
    public void A_v1beta2_rendering_relabelled_as_v1_breaks_the_v1_rules()
    {
        var all = FlowManifestBuilder.Build(_f.GuideFlow()).Select(o =>
        {
            if (o.Kind is not ("KafkaConnect" or "KafkaConnector")) return o;
            var body = (JsonObject)o.Body.DeepClone();
            body["apiVersion"] = "kafka.strimzi.io/v1";
            if (o.Kind == "KafkaConnector") body["spec"]!["pause"] = false;
            return new ManifestObject(body);
        }).ToList();
        var codes = ManifestValidator.Validate(all).Where(x => x.Severity == FindingSeverity.Error).Select(x => x.Code).ToHashSet();
        Assert.Superset(new HashSet<string> { "StrimziV1FieldMissing", "StrimziV1ConfigKeyForbidden", "StrimziV1PauseRemoved", "WorkerFilePlaceholder" }, codes);
        // The same flow rendered for 1.0 passes them.
        Assert.DoesNotContain(ManifestValidator.Validate(FlowManifestBuilder.Build(_f.GuideFlow() with { StrimziVersion = StrimziVersion.V1_0 })),
            x => x.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void A_flow_file_names_its_release_and_a_bad_one_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var file = Path.Combine(dir.FullName, "flow.yaml");
            File.WriteAllText(file, """
                name: a-to-b
                namespace: repl
                strimziVersion: "1.0"
                source: { alias: a, bootstrapServers: "a:9092" }
                target: { alias: b, bootstrapServers: "b:9092" }
                topics: [orders]
                """);
            var flow = Assert.Single(KafkaReplication.Engine.FlowFiles.FlowFileReader.ReadAll(file, resolveSecrets: false));
            Assert.Equal(StrimziVersion.V1_0, flow.StrimziVersion);
            Assert.Equal("kafka.strimzi.io/v1", FlowManifestBuilder.Build(flow).Single(o => o.Kind == "KafkaConnect").ApiVersion);

            File.WriteAllText(file, File.ReadAllText(file).Replace("\"1.0\"", "\"0.40\"", StringComparison.Ordinal));
            var e = Assert.Throws<ReplicationException>(() => KafkaReplication.Engine.FlowFiles.FlowFileReader.ReadAll(file, resolveSecrets: false));
            Assert.Equal("StrimziVersionInvalid", e.ErrorId);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_target_jaas_config_of_0_46_is_a_placeholder_in_the_rendered_file()
    {
        var (_, flow) = Variants("0.46").Single(x => x.Variant == "tls-sasl");
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var text = File.ReadAllText(Assert.Single(KafkaReplication.Engine.Flows.FlowRenderer.WriteFiles(flow, dir.FullName, includeSecretValues: false)));
            Assert.DoesNotContain(TestFiles.TargetPassword, text, StringComparison.Ordinal);
            Assert.Contains("<FILL IN: JAAS config with the SASL credentials of user 'tgt-user' on the target cluster 'tgt'>", text, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
