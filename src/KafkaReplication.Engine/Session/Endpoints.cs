using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Session;

/// <summary>How to reach a flow's Kafka Connect REST API: the route, and a URL for direct access.</summary>
public sealed record ConnectEndpoint(ConnectAccess Access = ConnectAccess.PortForward, Uri? Uri = null)
{
    /// <summary>A URL implies direct access.</summary>
    public ConnectAccess EffectiveAccess => Uri is not null ? ConnectAccess.Direct : Access;
}

/// <summary>
/// How to reach one Kafka cluster from here: a reference (else the flow's own settings), bootstrap servers reachable
/// from this machine, and extra librdkafka settings applied last.
/// </summary>
public sealed record KafkaEndpoint(ReplicationClusterReference? Cluster = null, string? BootstrapServers = null,
    IReadOnlyDictionary<string, string>? ExtraConfig = null);
