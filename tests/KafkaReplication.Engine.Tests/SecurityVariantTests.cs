using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>Each security variant gets exactly the Secrets, volumes and keys it needs, and no unused ones.</summary>
public sealed class SecurityVariantTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public SecurityVariantTests(TestFiles files) => _f = files;

    private static ManifestObject One(IReadOnlyList<ManifestObject> all, string kind, string nameSuffix) =>
        all.Single(o => o.Kind == kind && o.Name.EndsWith(nameSuffix, StringComparison.Ordinal));

    private static JsonObject Config(IReadOnlyList<ManifestObject> all, string role) =>
        (JsonObject)all.Single(o => o.Kind == "KafkaConnector" && (string?)o.Body["metadata"]!["labels"]![FlowLabels.ConnectorRole] == role).Body["spec"]!["config"]!;

    private static IEnumerable<string> Keys(JsonObject o) => o.Select(kv => kv.Key);

    [Fact]
    public void Plaintext_has_no_secrets_no_tls_and_no_sasl_keys()
    {
        var all = FlowManifestBuilder.Build(_f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext)));
        Assert.DoesNotContain(all, o => o.Kind == "Secret");
        var spec = One(all, "KafkaConnect", "src-tgt").Body["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("tls"));
        Assert.False(spec.ContainsKey("authentication"));
        Assert.False(spec.ContainsKey("template"));
        foreach (var role in new[] { "source", "checkpoint", "heartbeat" })
            Assert.DoesNotContain(Keys(Config(all, role)), k => k.Contains("sasl.") || k.Contains("ssl."));
        var rules = One(all, "Role", "-connector-configuration").Body["rules"]!.AsArray();
        Assert.Single(rules);
        Assert.Equal("configmaps", (string?)rules[0]!["resources"]![0]);
        Assert.Equal("PLAINTEXT", (string?)One(all, "ConfigMap", "-source").Body["data"]!["security.protocol"]);
        Assert.Empty(FlowValidator.Validate(_f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext))));
    }

    [Fact]
    public void Ssl_with_pem_ca_uses_the_pem_truststore_type_and_no_password()
    {
        var flow = _f.Flow(_f.Cluster("src", SecurityProtocol.Ssl), _f.Cluster("tgt", SecurityProtocol.Ssl));
        var all = FlowManifestBuilder.Build(flow);
        var sourceCm = One(all, "ConfigMap", "-source").Body["data"]!;
        Assert.Equal("PEM", (string?)sourceCm["ssl.truststore.type"]);
        Assert.Equal("/mnt/source-truststore/ca.crt", (string?)sourceCm["ssl.truststore.location"]);
        var sourceSecret = One(all, "Secret", "-source").Body["data"]!.AsObject();
        Assert.Equal(new[] { "ca.crt" }, Keys(sourceSecret));
        Assert.DoesNotContain(all, o => o.Name.EndsWith("-target-password", StringComparison.Ordinal));
        var spec = One(all, "KafkaConnect", "src-tgt").Body["spec"]!.AsObject();
        Assert.True(spec.ContainsKey("tls"));
        Assert.False(spec.ContainsKey("authentication"));
        var source = Config(all, "source");
        Assert.Equal("${cfmap:replication/flow-a-source:ssl.truststore.type}", (string?)source["source.cluster.ssl.truststore.type"]);
        Assert.False(source.ContainsKey("source.cluster.ssl.truststore.password"));
        Assert.False(source.ContainsKey("target.cluster.sasl.mechanism"));
        Assert.Equal("${file:/tmp/strimzi-connect.properties:ssl.truststore.location}", (string?)source["target.cluster.ssl.truststore.location"]);
        var heartbeat = Config(all, "heartbeat");
        Assert.Equal("${cfmap:replication/flow-a-source:ssl.truststore.type}", (string?)heartbeat["producer.override.ssl.truststore.type"]);
        Assert.Empty(FlowValidator.Validate(flow));
    }

    [Fact]
    public void SaslSsl_with_scram_sha_512_uses_the_scram_login_module_and_strimzi_type()
    {
        var flow = _f.Flow(_f.Cluster("src", SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512, pemTrust: false),
                           _f.Cluster("tgt", SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512));
        var all = FlowManifestBuilder.Build(flow);
        Assert.Equal("scram-sha-512", (string?)One(all, "KafkaConnect", "src-tgt").Body["spec"]!["authentication"]!["type"]);
        Assert.Equal("SCRAM-SHA-512", (string?)One(all, "ConfigMap", "-source").Body["data"]!["sasl.mechanism"]);
        var jaas = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)One(all, "Secret", "-source").Body["data"]!["sasl.jaas.config"]!));
        Assert.StartsWith("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"src-user\"", jaas);
        Assert.Equal(new[] { "ssl.truststore.password", "truststore.jks", "sasl.jaas.config" }, Keys(One(all, "Secret", "-source").Body["data"]!.AsObject()));
        Assert.Empty(FlowValidator.Validate(flow));
    }

    [Fact]
    public void SaslPlaintext_has_sasl_keys_but_no_truststore_volume()
    {
        var flow = _f.Flow(_f.Cluster("src", SecurityProtocol.SaslPlaintext, SaslMechanism.Plain), _f.Cluster("tgt", SecurityProtocol.SaslPlaintext, SaslMechanism.ScramSha256));
        var all = FlowManifestBuilder.Build(flow);
        var spec = One(all, "KafkaConnect", "src-tgt").Body["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("template"));
        Assert.False(spec.ContainsKey("tls"));
        Assert.Equal("scram-sha-256", (string?)spec["authentication"]!["type"]);
        Assert.Equal(new[] { "sasl.jaas.config" }, Keys(One(all, "Secret", "-source").Body["data"]!.AsObject()));
        Assert.DoesNotContain(all, o => o.Name.EndsWith("-target-ca", StringComparison.Ordinal));
        Assert.DoesNotContain(Keys(Config(all, "source")), k => k.Contains("ssl."));
        Assert.Contains("target.cluster.sasl.jaas.config", Keys(Config(all, "source")));
        Assert.Empty(FlowValidator.Validate(flow));
    }

    [Fact]
    public void Pkcs12_source_truststore_names_its_type()
    {
        var source = ClusterReferenceFactory.Create(new()
        {
            Alias = "src", BootstrapServers = "s:9093", SecurityProtocol = SecurityProtocol.Ssl,
            TruststorePath = _f.P12Path, TruststorePassword = new SecretValue(TestFiles.TruststorePassword),
        });
        var all = FlowManifestBuilder.Build(_f.Flow(source, _f.Cluster("tgt", SecurityProtocol.Plaintext)));
        Assert.Equal("PKCS12", (string?)One(all, "ConfigMap", "-source").Body["data"]!["ssl.truststore.type"]);
        Assert.Equal("/mnt/source-truststore/truststore.p12", (string?)One(all, "ConfigMap", "-source").Body["data"]!["ssl.truststore.location"]);
    }

    [Fact]
    public void Identity_policy_is_set_once_and_referenced_by_every_connector()
    {
        var flow = _f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext)) with { ReplicationPolicy = ReplicationPolicy.Identity };
        var all = FlowManifestBuilder.Build(flow);
        Assert.Equal(FlowManifestBuilder.IdentityPolicyClass, (string?)One(all, "ConfigMap", "-replication").Body["data"]!["replication.policy.class"]);
        foreach (var role in new[] { "source", "checkpoint", "heartbeat" })
            Assert.Equal("${cfmap:replication/flow-a-replication:replication.policy.class}", (string?)Config(all, role)["replication.policy.class"]);
        Assert.Equal("payments", flow.TargetTopicFor("payments"));
        Assert.Equal("src.payments", (flow with { ReplicationPolicy = ReplicationPolicy.Default }).TargetTopicFor("payments"));
    }

    [Fact]
    public void Optional_connectors_and_settings_follow_the_definition()
    {
        var flow = _f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext)) with
        {
            Heartbeat = false,
            NewPartitionStart = NewPartitionStart.Latest,
            EmitCheckpointsIntervalSeconds = 15,
            SyncGroupOffsetsIntervalSeconds = 20,
        };
        var all = FlowManifestBuilder.Build(flow);
        Assert.DoesNotContain(all, o => o.Name.EndsWith("heartbeat-connector", StringComparison.Ordinal));
        Assert.Equal("latest", (string?)Config(all, "source")["source.consumer.auto.offset.reset"]);
        Assert.Equal(15, (int?)Config(all, "checkpoint")["emit.checkpoints.interval.seconds"]);
        Assert.Equal("billing-.*", (string?)Config(all, "checkpoint")["groups"]);
        Assert.Equal("orders.*,payments", (string?)One(all, "ConfigMap", "-replication").Body["data"]!["topics"]);
        Assert.Contains(FlowValidator.Validate(flow), f => f.Code == "AtLeastOnceViolated" && f.Severity == FindingSeverity.Warning);
        Assert.DoesNotContain(FlowManifestBuilder.Build(flow with { Checkpoint = false }), o => o.Name.EndsWith("checkpoint-connector", StringComparison.Ordinal));
    }

    [Fact]
    public void Registry_secret_is_a_dockerconfigjson_when_credentials_are_given()
    {
        var flow = _f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext)) with
        {
            RegistrySecretName = "regcred", RegistryServer = "registry.example.com", RegistryUserName = "puller", RegistryPassword = new SecretValue("reg-pw-123"),
        };
        var secret = FlowManifestBuilder.Build(flow).Single(o => o.Name == "regcred");
        Assert.Equal("kubernetes.io/dockerconfigjson", (string?)secret.Body["type"]);
        var json = JsonNode.Parse(Convert.FromBase64String((string)secret.Body["data"]![".dockerconfigjson"]!))!;
        Assert.Equal("puller", (string?)json["auths"]!["registry.example.com"]!["username"]);
        Assert.Empty(FlowValidator.Validate(flow));
        Assert.DoesNotContain(FlowManifestBuilder.Build(flow with { RegistryServer = null, RegistryPassword = null }), o => o.Name == "regcred");
    }
}
