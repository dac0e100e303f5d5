using System.Text;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// How the module's own Kafka clients (admin, consumer) reach a cluster: the cluster reference plus what only a
/// workstation needs (a reachable bootstrap address, the cmdlets' <c>-KafkaConfig @{}</c>). Builds the librdkafka
/// configuration; the built dictionary holds secrets and is therefore internal.
/// </summary>
public sealed class KafkaClientSettings
{
    /// <summary>librdkafka keys that carry trust when the reference's truststore cannot be used.</summary>
    private static readonly string[] TrustOverrideKeys = { "ssl.ca.location", "ssl.ca.pem", "ssl.ca.certificate.stores" };

    public KafkaClientSettings(ReplicationClusterReference cluster)
    {
        Cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
    }

    public ReplicationClusterReference Cluster { get; }

    /// <summary>Replaces the reference's bootstrap servers (in-cluster addresses are often unreachable from a workstation).</summary>
    public string? BootstrapServersOverride { get; init; }

    /// <summary>The parameter that gives <see cref="BootstrapServersOverride"/> on the calling cmdlet, for advice in errors.</summary>
    public string? BootstrapServersParameter { get; init; }

    /// <summary>Extra librdkafka settings (<c>-KafkaConfig</c>), applied last so they win over everything derived.</summary>
    public IReadOnlyDictionary<string, string> ExtraConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>Upper bound of one gateway operation (all the requests it makes), and of each librdkafka request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string BootstrapServers => string.IsNullOrWhiteSpace(BootstrapServersOverride) ? Cluster.BootstrapServers : BootstrapServersOverride.Trim();

    /// <summary>The effective security.protocol (an extra setting may change it).</summary>
    public string EffectiveSecurityProtocol =>
        ExtraConfig.TryGetValue("security.protocol", out var p) ? p : Cluster.SecurityProtocol.ToKafka().ToLowerInvariant();

    /// <summary>Safe to print: bootstrap servers, protocol and the names (never the values) of extra settings.</summary>
    public override string ToString()
    {
        var extra = ExtraConfig.Count == 0 ? "" : $", extra settings: {string.Join(", ", ExtraConfig.Keys.Order(StringComparer.Ordinal))}";
        return $"{Cluster.Alias} ({BootstrapServers}, {EffectiveSecurityProtocol.ToUpperInvariant()}{extra})";
    }

    /// <summary>The librdkafka configuration. Contains the password: never log or return it.</summary>
    internal IReadOnlyDictionary<string, string> Build()
    {
        var c = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = BootstrapServers,
            ["client.id"] = "KafkaReplication",
            ["security.protocol"] = Cluster.SecurityProtocol.ToKafka().ToLowerInvariant(),
        };

        if (Cluster.UsesSasl)
        {
            c["sasl.mechanism"] = Cluster.SaslMechanism!.Value.ToKafka();
            c["sasl.username"] = Cluster.UserName!;
            c["sasl.password"] = Cluster.Password!.Reveal();
        }

        if (Cluster.UsesTls && !TrustOverrideKeys.Any(ExtraConfig.ContainsKey))
            c["ssl.ca.pem"] = CaPem();

        foreach (var (key, value) in ExtraConfig)
            c[key] = value;
        return c;
    }

    private string CaPem()
    {
        if (Cluster.TruststoreType != TruststoreType.Pem)
        {
            throw new ReplicationException(ReplicationErrorKind.InvalidArgument, "TruststoreNotUsableByClient",
                $"Cluster '{Cluster.Alias}': the {Cluster.TruststoreType} truststore '{Cluster.TruststorePath}' is fine for Kafka Connect, " +
                "but the module's own Kafka client (librdkafka) cannot read JKS or PKCS12 truststores.", Cluster.Alias)
            {
                RecommendedAction = "Give the CA certificate as PEM (-CaCertificatePath), or pass one through -KafkaConfig, " +
                                    "e.g. @{ 'ssl.ca.location' = '/path/to/ca.crt' }.",
            };
        }
        // The PEM text itself: no temporary file to clean up, and the path the reference was read from may be gone.
        var text = Encoding.UTF8.GetString(Cluster.GetTrustMaterial());
        return text.TrimStart('\uFEFF');
    }
}
