using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KafkaReplication.Engine.Connect;

/// <summary>Server certificate checks against a private CA: the host name, and the chain to that CA only.</summary>
internal static class ServerCertificates
{
    /// <summary>
    /// True when the certificate names the host (or <paramref name="serverName"/>, a kubeconfig's tls-server-name) and
    /// chains to one of <paramref name="cas"/>; the system's roots do not count, as with kubectl's certificate-authority.
    /// </summary>
    public static bool Verify(X509Certificate2Collection cas, X509Certificate2? cert, SslPolicyErrors errors, string? serverName = null)
    {
        if (cert is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
        var nameOk = string.IsNullOrEmpty(serverName)
            ? !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            : cert.MatchesHostname(serverName);
        if (!nameOk) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }

    /// <summary>The CA certificates of a PEM file (one or more).</summary>
    public static X509Certificate2Collection LoadPem(string path)
    {
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile(path);
        return cas.Count > 0 ? cas : throw new FormatException("no PEM certificate in the file");
    }
}
