using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Tests;

/// <summary>Certificates, truststores and cluster references written to a temporary folder for one test class.</summary>
public sealed class TestFiles : IDisposable
{
    public const string SourcePassword = "src-S3cret!\"quote\\slash";
    public const string TargetPassword = "tgt-P@ssw0rd-9f2c";
    public const string TruststorePassword = "ts-pw-71d0e";

    public TestFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kr-tests-").FullName;
        CaPath = Path.Combine(Directory, "ca.crt");
        SourceCaPath = Path.Combine(Directory, "source-ca.crt");
        JksPath = Path.Combine(Directory, "truststore.jks");
        P12Path = Path.Combine(Directory, "truststore.p12");
        File.WriteAllText(CaPath, Pem("CN=target-ca"));
        File.WriteAllText(SourceCaPath, Pem("CN=source-ca"));
        // A JKS file starts with the magic 0xFEEDFEED and version 2; the body is opaque to the module.
        File.WriteAllBytes(JksPath, new byte[] { 0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 0, 1, 2, 3, 4 });
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=p12", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(P12Path, cert.Export(X509ContentType.Pkcs12, TruststorePassword));
    }

    public string Directory { get; }
    public string CaPath { get; }
    public string SourceCaPath { get; }
    public string JksPath { get; }
    public string P12Path { get; }

    public static string Pem(string subject)
    {
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return cert.ExportCertificatePem() + "\n";
    }

    /// <summary>The guide's example: both clusters TLS + SASL PLAIN, a JKS truststore for the source, a CA for the target.</summary>
    public ReplicationClusterReference GuideSource() => ClusterReferenceFactory.Create(new()
    {
        Alias = "uswest",
        BootstrapServers = "source-kafka-bootstrap.kafka-src:9093",
        SecurityProtocol = SecurityProtocol.SaslSsl,
        SaslMechanism = SaslMechanism.Plain,
        UserName = "replicator",
        Password = new SecretValue(SourcePassword),
        TruststorePath = JksPath,
        TruststorePassword = new SecretValue(TruststorePassword),
    });

    public ReplicationClusterReference GuideTarget() => ClusterReferenceFactory.Create(new()
    {
        Alias = "useast",
        BootstrapServers = "target-kafka-bootstrap.kafka-tgt:9093",
        SecurityProtocol = SecurityProtocol.SaslSsl,
        SaslMechanism = SaslMechanism.Plain,
        UserName = "replicator",
        Password = new SecretValue(TargetPassword),
        CaCertificatePath = CaPath,
    });

    public ReplicationFlowDefinition GuideFlow() => new()
    {
        Name = "uswest-to-useast",
        Namespace = "repl-ns",
        Source = GuideSource(),
        Target = GuideTarget(),
        Topics = new[] { "test.*" },
        Groups = new[] { "test.*" },
        ConnectClusterName = FlowDefinitionFactory.DefaultConnectClusterName("uswest", "useast"),
        KafkaVersion = "3.8.0.1.2",
    };

    public ReplicationClusterReference Cluster(string alias, SecurityProtocol protocol, SaslMechanism? mechanism = null, bool pemTrust = true, string? bootstrap = null) =>
        ClusterReferenceFactory.Create(new()
        {
            Alias = alias,
            BootstrapServers = bootstrap ?? $"{alias}-kafka-bootstrap:9092",
            SecurityProtocol = protocol,
            SaslMechanism = mechanism,
            UserName = mechanism is null ? null : $"{alias}-user",
            Password = mechanism is null ? null : new SecretValue(alias == "src" ? SourcePassword : TargetPassword),
            CaCertificatePath = protocol.UsesTls() && pemTrust ? (alias == "src" ? SourceCaPath : CaPath) : null,
            TruststorePath = protocol.UsesTls() && !pemTrust ? JksPath : null,
            TruststorePassword = protocol.UsesTls() && !pemTrust ? new SecretValue(TruststorePassword) : null,
        });

    public ReplicationFlowDefinition Flow(ReplicationClusterReference source, ReplicationClusterReference target, string name = "flow-a", string ns = "replication") => new()
    {
        Name = name,
        Namespace = ns,
        Source = source,
        Target = target,
        Topics = new[] { "orders.*", "payments" },
        Groups = new[] { "billing-.*" },
        ConnectClusterName = FlowDefinitionFactory.DefaultConnectClusterName(source.Alias, target.Alias),
    };

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
