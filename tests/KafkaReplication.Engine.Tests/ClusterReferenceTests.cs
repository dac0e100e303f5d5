using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests;

public sealed class ClusterReferenceTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public ClusterReferenceTests(TestFiles files) => _f = files;

    private static string ErrorId(ClusterReferenceFactory.Input input) =>
        Assert.Throws<ReplicationException>(() => ClusterReferenceFactory.Create(input)).ErrorId;

    private static ClusterReferenceFactory.Input Base(SecurityProtocol p) => new() { Alias = "src", BootstrapServers = "k:9092", SecurityProtocol = p };

    [Fact]
    public void Incomplete_or_contradictory_security_is_refused_with_an_error_id()
    {
        Assert.Equal("SaslMechanismRequired", ErrorId(Base(SecurityProtocol.SaslPlaintext)));
        Assert.Equal("CredentialRequired", ErrorId(Base(SecurityProtocol.SaslPlaintext) with { SaslMechanism = SaslMechanism.Plain }));
        Assert.Equal("CredentialUnused", ErrorId(Base(SecurityProtocol.Plaintext) with { UserName = "u", Password = new SecretValue("p") }));
        Assert.Equal("TrustMaterialRequired", ErrorId(Base(SecurityProtocol.Ssl)));
        Assert.Equal("TrustMaterialUnused", ErrorId(Base(SecurityProtocol.Plaintext) with { CaCertificatePath = _f.CaPath }));
        Assert.Equal("CaCertificateNotFound", ErrorId(Base(SecurityProtocol.Ssl) with { CaCertificatePath = Path.Combine(_f.Directory, "missing.crt") }));
        Assert.Equal("CaCertificateNotPem", ErrorId(Base(SecurityProtocol.Ssl) with { CaCertificatePath = _f.JksPath }));
        Assert.Equal("TruststorePasswordRequired", ErrorId(Base(SecurityProtocol.Ssl) with { TruststorePath = _f.JksPath }));
        Assert.Equal("InvalidAlias", ErrorId(Base(SecurityProtocol.Plaintext) with { Alias = "us.west" }));
        Assert.Equal("InvalidBootstrapServers", ErrorId(Base(SecurityProtocol.Plaintext) with { BootstrapServers = "kafka:99999" }));
        Assert.Equal("InvalidBootstrapServers", ErrorId(Base(SecurityProtocol.Plaintext) with { BootstrapServers = "kafka" }));
    }

    [Fact]
    public void Secrets_never_show_in_text()
    {
        var r = _f.GuideSource();
        Assert.DoesNotContain(TestFiles.SourcePassword, r.ToString());
        Assert.Equal(SecretValue.Mask, r.Password!.ToString());
        Assert.Equal(SecretValue.Mask, $"{r.TruststorePassword}");
        Assert.Equal(TruststoreType.Jks, r.TruststoreType);
    }
}
