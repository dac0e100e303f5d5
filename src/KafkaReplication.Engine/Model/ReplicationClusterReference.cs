namespace KafkaReplication.Engine.Model;

/// <summary>
/// How to reach one Kafka cluster: its alias in the flow, bootstrap servers, security and credentials.
/// Files are read when the reference is made, so a missing or unreadable file fails before anything changes.
/// Use <see cref="ClusterReferenceFactory"/> to make one; it validates every combination.
/// </summary>
public sealed class ReplicationClusterReference
{
    public required string Alias { get; init; }
    public required string BootstrapServers { get; init; }
    public required SecurityProtocol SecurityProtocol { get; init; }
    public SaslMechanism? SaslMechanism { get; init; }
    public string? UserName { get; init; }
    public SecretValue? Password { get; init; }

    /// <summary>Path the CA certificate (PEM) was read from, for display.</summary>
    public string? CaCertificatePath { get; init; }
    /// <summary>Path the JKS/PKCS12/PEM truststore was read from, for display.</summary>
    public string? TruststorePath { get; init; }
    public TruststoreType? TruststoreType { get; init; }
    public SecretValue? TruststorePassword { get; init; }

    /// <summary>Bytes of the CA certificate or truststore (certificates are public, but never printed).</summary>
    internal byte[]? TrustMaterial { get; init; }

    public bool HasCredential => Password is not null;
    public bool UsesTls => SecurityProtocol.UsesTls();
    public bool UsesSasl => SecurityProtocol.UsesSasl();

    /// <summary>The trust material's file name inside the source Secret and the mounted volume.</summary>
    public string? TrustFileName => TruststoreType switch
    {
        Model.TruststoreType.Pem => "ca.crt",
        Model.TruststoreType.Jks => "truststore.jks",
        Model.TruststoreType.Pkcs12 => "truststore.p12",
        _ => null,
    };

    internal byte[] GetTrustMaterial() => TrustMaterial ?? throw new InvalidOperationException("No trust material.");

    /// <summary>JAAS line for the SASL login module; password quoted and escaped as Kafka's JaasConfig tokenizer expects.</summary>
    internal string BuildJaasConfig()
    {
        if (SaslMechanism is not { } mechanism || UserName is null || Password is null)
            throw new InvalidOperationException("SASL settings are incomplete.");
        return $"{mechanism.JaasLoginModule()} required username=\"{Escape(UserName)}\" password=\"{Escape(Password.Reveal())}\";";

        static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }

    public override string ToString() => $"{Alias} ({BootstrapServers}, {SecurityProtocol})";
}
