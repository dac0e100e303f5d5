using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Session;

/// <summary>How to reach a flow's Kafka Connect REST API: the route, and a URL for direct access.</summary>
public sealed record ConnectEndpoint(ConnectAccess Access = ConnectAccess.PortForward, Uri? Uri = null)
{
    /// <summary>Basic credentials for direct access (-ConnectCredential, or the user info of -ConnectUri).</summary>
    public string? UserName { get; init; }

    public SecretValue? Password { get; init; }

    /// <summary>PEM file of the CA the direct URL's certificate must chain to.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>A URL implies direct access.</summary>
    public ConnectAccess EffectiveAccess => Uri is not null ? ConnectAccess.Direct : Access;

    /// <summary>The direct route's options; null without a URL.</summary>
    public ConnectDirectOptions? Direct => Uri is null ? null
        : new ConnectDirectOptions(Uri) { UserName = UserName, Password = Password, CaCertificatePath = CaCertificatePath };
}

/// <summary>
/// How to reach one Kafka cluster from here: a reference (else the flow's own settings), bootstrap servers reachable
/// from this machine, and extra librdkafka settings applied last.
/// </summary>
public sealed record KafkaEndpoint(ReplicationClusterReference? Cluster = null, string? BootstrapServers = null,
    IReadOnlyDictionary<string, string>? ExtraConfig = null)
{
    /// <summary>The cmdlet parameter that gives reachable bootstrap servers, for advice in errors (default: per side).</summary>
    public string? BootstrapServersParameter { get; init; }
}
