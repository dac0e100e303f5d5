using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KafkaReplication.Module.Tests;

/// <summary>A temporary working folder with the certificate files examples and tests refer to, and the test secrets.</summary>
public sealed class TestFolder : IDisposable
{
    public const string SourcePassword = "Src-Pw-5e1b9!";
    public const string TargetPassword = "Tgt-Pw-77ac0#";
    public const string TruststorePassword = "Ts-Pw-2f9d4$";
    public static readonly string[] SecretValues = { SourcePassword, TargetPassword, TruststorePassword, "test-credential-password" };

    public TestFolder()
    {
        Path = Directory.CreateTempSubdirectory("kr-module-").FullName;
        File.WriteAllText(System.IO.Path.Combine(Path, "ca.crt"), Pem("CN=target-ca"));
        File.WriteAllText(System.IO.Path.Combine(Path, "source-ca.crt"), Pem("CN=source-ca"));
        File.WriteAllBytes(System.IO.Path.Combine(Path, "truststore.jks"), new byte[] { 0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 0, 9, 9 });
    }

    public string Path { get; }

    public Dictionary<string, string> Environment(string? kubeconfig = null)
    {
        var env = new Dictionary<string, string>
        {
            ["SOURCE_PASSWORD"] = SourcePassword,
            ["TARGET_PASSWORD"] = TargetPassword,
            ["TRUSTSTORE_PASSWORD"] = TruststorePassword,
            ["KUBECONFIG"] = kubeconfig ?? System.IO.Path.Combine(Path, "no-such-kubeconfig"),
        };
        return env;
    }

    private static string Pem(string subject)
    {
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return cert.ExportCertificatePem() + "\n";
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
