using System.Globalization;
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

    /// <summary>Upper bound of one gateway operation (all the requests it makes), and of each librdkafka request
    /// (the module's per-request limit, <see cref="RequestLimits.Request"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = RequestLimits.Default.Request;

    /// <summary>How long the gateway waits for a cluster it has not reached yet before it reports it unreachable
    /// (never longer than the request timeout).</summary>
    public TimeSpan UnreachableAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>librdkafka settings of <c>-KafkaConfig</c> that bound a request; the shortest one given also bounds the gateway's operations.</summary>
    private static readonly string[] TimeoutKeys = { "socket.timeout.ms", "request.timeout.ms" };

    /// <summary>
    /// The request timeout as the user set it: <see cref="RequestTimeout"/>, shortened by <c>socket.timeout.ms</c> or
    /// <c>request.timeout.ms</c> in <see cref="ExtraConfig"/> (librdkafka alone would keep retrying until the
    /// operation's own timeout). A value that is not a positive number of milliseconds is an invalid argument.
    /// </summary>
    public TimeSpan EffectiveRequestTimeout
    {
        get
        {
            var limit = RequestTimeout;
            foreach (var key in TimeoutKeys)
            {
                if (!ExtraConfig.TryGetValue(key, out var text)) continue;
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms <= 0)
                    throw new ReplicationException(ReplicationErrorKind.InvalidArgument, "InvalidKafkaConfig",
                        $"Kafka setting {key} of cluster '{Cluster.Alias}' must be a positive number of milliseconds (got '{text}').", key);
                if (TimeSpan.FromMilliseconds(ms) < limit) limit = TimeSpan.FromMilliseconds(ms);
            }
            return limit;
        }
    }

    /// <summary>
    /// These settings under the module's per-request limit: it becomes the request timeout; a limit the user chose
    /// (anything but <see cref="RequestLimits.Default"/>) also replaces the 10 s wait for a cluster not reached yet.
    /// </summary>
    public KafkaClientSettings WithLimits(RequestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new KafkaClientSettings(Cluster)
        {
            BootstrapServersOverride = BootstrapServersOverride,
            BootstrapServersParameter = BootstrapServersParameter,
            ExtraConfig = ExtraConfig,
            RequestTimeout = limits.Request,
            UnreachableAfter = limits == RequestLimits.Default ? UnreachableAfter : limits.Request,
        };
    }

    /// <summary>The wait for a first answer from a cluster not reached yet.</summary>
    internal TimeSpan FirstContactTimeout => UnreachableAfter < EffectiveRequestTimeout ? UnreachableAfter : EffectiveRequestTimeout;

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
