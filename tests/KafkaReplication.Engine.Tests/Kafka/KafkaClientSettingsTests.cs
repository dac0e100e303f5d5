using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>The librdkafka configuration built for each security variant; secrets stay out of anything printable.</summary>
public sealed class KafkaClientSettingsTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public KafkaClientSettingsTests(TestFiles files) => _f = files;

    [Fact]
    public void Plaintext_has_only_the_bootstrap_servers_and_protocol()
    {
        var config = new KafkaClientSettings(_f.Cluster("src", SecurityProtocol.Plaintext)).Build();

        Assert.Equal("src-kafka-bootstrap:9092", config["bootstrap.servers"]);
        Assert.Equal("plaintext", config["security.protocol"]);
        Assert.DoesNotContain(config.Keys, k => k.StartsWith("sasl.") || k.StartsWith("ssl."));
    }

    [Fact]
    public void SaslSsl_with_a_pem_ca_gives_the_certificate_text_and_the_sasl_credentials()
    {
        var config = new KafkaClientSettings(_f.Cluster("tgt", SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512)).Build();

        Assert.Equal("sasl_ssl", config["security.protocol"]);
        Assert.Equal("SCRAM-SHA-512", config["sasl.mechanism"]);
        Assert.Equal("tgt-user", config["sasl.username"]);
        Assert.Equal(TestFiles.TargetPassword, config["sasl.password"]);
        Assert.Equal(File.ReadAllText(_f.CaPath), config["ssl.ca.pem"]);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", config["ssl.ca.pem"]);
        Assert.False(config.ContainsKey("ssl.ca.location"));
    }

    [Fact]
    public void SaslPlaintext_with_plain_has_no_tls_settings()
    {
        var config = new KafkaClientSettings(_f.Cluster("src", SecurityProtocol.SaslPlaintext, SaslMechanism.Plain)).Build();

        Assert.Equal(("sasl_plaintext", "PLAIN"), (config["security.protocol"], config["sasl.mechanism"]));
        Assert.DoesNotContain(config.Keys, k => k.StartsWith("ssl."));
    }

    [Fact]
    public void A_jks_or_pkcs12_truststore_is_refused_with_advice()
    {
        var jks = _f.Cluster("src", SecurityProtocol.Ssl, pemTrust: false);
        var p12 = ClusterReferenceFactory.Create(new()
        {
            Alias = "src", BootstrapServers = "b:9093", SecurityProtocol = SecurityProtocol.Ssl,
            TruststorePath = _f.P12Path, TruststorePassword = new SecretValue(TestFiles.TruststorePassword),
        });

        foreach (var cluster in new[] { jks, p12 })
        {
            var e = Assert.Throws<ReplicationException>(() => new KafkaClientSettings(cluster).Build());
            Assert.Equal(("TruststoreNotUsableByClient", ReplicationErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
            Assert.Contains("ssl.ca.location", e.RecommendedAction);
            Assert.Contains("PEM", e.RecommendedAction);
            Assert.DoesNotContain(TestFiles.TruststorePassword, e.Message + e.RecommendedAction);
        }
    }

    [Fact]
    public void A_ca_location_given_as_extra_setting_replaces_an_unusable_truststore()
    {
        var settings = new KafkaClientSettings(_f.Cluster("src", SecurityProtocol.SaslSsl, SaslMechanism.Plain, pemTrust: false))
        {
            ExtraConfig = new Dictionary<string, string> { ["ssl.ca.location"] = _f.CaPath },
        };

        var config = settings.Build();

        Assert.Equal(_f.CaPath, config["ssl.ca.location"]);
        Assert.False(config.ContainsKey("ssl.ca.pem"));
    }

    [Fact]
    public void Overrides_win_over_everything_derived_from_the_reference()
    {
        var settings = new KafkaClientSettings(_f.Cluster("tgt", SecurityProtocol.SaslSsl, SaslMechanism.Plain))
        {
            BootstrapServersOverride = " 127.0.0.1:19093 ",
            ExtraConfig = new Dictionary<string, string>
            {
                ["security.protocol"] = "ssl",
                ["sasl.mechanism"] = "SCRAM-SHA-256",
                ["ssl.endpoint.identification.algorithm"] = "none",
            },
        };

        var config = settings.Build();

        Assert.Equal("127.0.0.1:19093", config["bootstrap.servers"]);
        Assert.Equal(("ssl", "SCRAM-SHA-256", "none"), (config["security.protocol"], config["sasl.mechanism"], config["ssl.endpoint.identification.algorithm"]));
        Assert.Equal("tgt (127.0.0.1:19093, SSL, extra settings: sasl.mechanism, security.protocol, ssl.endpoint.identification.algorithm)", settings.ToString());
    }

    [Fact]
    public void ToString_shows_no_secret_and_no_extra_setting_values()
    {
        var settings = new KafkaClientSettings(_f.Cluster("src", SecurityProtocol.SaslSsl, SaslMechanism.Plain))
        {
            ExtraConfig = new Dictionary<string, string> { ["ssl.key.password"] = "extra-secret-value" },
        };

        var text = settings.ToString();

        Assert.Equal("src (src-kafka-bootstrap:9092, SASL_SSL, extra settings: ssl.key.password)", text);
        Assert.DoesNotContain(TestFiles.SourcePassword, text);
        Assert.DoesNotContain("extra-secret-value", text);
        Assert.DoesNotContain("BEGIN CERTIFICATE", text);
    }
}
