using Confluent.Kafka;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Kafka;

/// <summary>Turns Confluent.Kafka errors into the engine's <see cref="ReplicationException"/> with stable ids.</summary>
internal static class KafkaErrors
{
    public const string Unreachable = "KafkaUnreachable";

    /// <summary>
    /// The operation's own deadline passed (librdkafka keeps retrying an unreachable broker until then): KafkaUnreachable
    /// when the cluster was never reached, KafkaTimeout when it answered before and this operation did not.
    /// </summary>
    public static ReplicationException DeadlineExceeded(KafkaClientSettings s, string operation, string? lastBrokerError, TimeSpan limit, bool reachedBefore) =>
        reachedBefore
            ? new(ReplicationErrorKind.Timeout, "KafkaTimeout",
                $"Kafka cluster {s} did not answer {operation} within {limit.TotalSeconds:0.#} s." +
                (lastBrokerError is null ? "" : $" Last broker error: {lastBrokerError}"), s.Cluster.Alias)
            {
                RecommendedAction = "The cluster answered before: check its brokers' health, or allow more time with -RequestTimeout.",
            }
            : new(ReplicationErrorKind.Unreachable, Unreachable,
                $"Kafka cluster {s} did not answer {operation} within {limit.TotalSeconds:0.#} s." +
                (lastBrokerError is null ? "" : $" Last broker error: {lastBrokerError}"), s.Cluster.Alias)
            {
                RecommendedAction = UnreachableAdvice(s),
            };

    public static ReplicationException Map(Exception e, KafkaClientSettings s, string operation, string? lastBrokerError) => e switch
    {
        ReplicationException r => r,
        KafkaException k => FromError(k.Error.Code, k.Error.Reason, s, operation, null, lastBrokerError, k),
        ArgumentException a => new ReplicationException(ReplicationErrorKind.InvalidArgument, "KafkaInvalidRequest",
            $"{operation} on Kafka cluster {s} was refused by the client: {a.Message}", s.Cluster.Alias, a),
        _ => new ReplicationException(ReplicationErrorKind.OperationFailed, "KafkaOperationFailed",
            $"{operation} on Kafka cluster {s} failed: {e.Message}", s.Cluster.Alias, e),
    };

    /// <summary>Maps one error code; <paramref name="subject"/> names the topic, partition or group it is about.</summary>
    public static ReplicationException FromError(ErrorCode code, string? reason, KafkaClientSettings s, string operation,
        string? subject, string? lastBrokerError, Exception? inner = null)
    {
        var about = subject is null ? "" : $" ({subject})";
        var what = $"{operation}{about} on Kafka cluster {s}: {reason ?? code.ToString()} [{code}]";
        return code switch
        {
            ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_TimedOut or ErrorCode.Local_TimedOutQueue
                or ErrorCode.RequestTimedOut or ErrorCode.NetworkException or ErrorCode.Local_Resolve or ErrorCode.BrokerNotAvailable
                or ErrorCode.Local_Ssl =>
                new ReplicationException(ReplicationErrorKind.Unreachable, Unreachable,
                    what + (lastBrokerError is null ? "" : $". Last broker error: {lastBrokerError}"), s.Cluster.Alias, inner)
                { RecommendedAction = UnreachableAdvice(s) },
            ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition or ErrorCode.UnknownTopicId =>
                new ReplicationException(ReplicationErrorKind.NotFound, "KafkaTopicNotFound", what, subject ?? s.Cluster.Alias, inner),
            ErrorCode.GroupIdNotFound or ErrorCode.Local_UnknownGroup =>
                new ReplicationException(ReplicationErrorKind.NotFound, "ConsumerGroupNotFound", what, subject, inner),
            ErrorCode.UnknownMemberId or ErrorCode.NonEmptyGroup or ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration =>
                new ReplicationException(ReplicationErrorKind.PreconditionFailed, "ConsumerGroupNotEmpty",
                    what + ". Kafka changes a group's committed offsets only while the group has no active members.", subject, inner)
                { RecommendedAction = "Stop the group's consumers, then try again." },
            ErrorCode.TopicAuthorizationFailed or ErrorCode.GroupAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed =>
                new ReplicationException(ReplicationErrorKind.PermissionDenied, "KafkaAuthorizationFailed", what, subject ?? s.Cluster.Alias, inner),
            ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication or ErrorCode.UnsupportedSaslMechanism or ErrorCode.IllegalSaslState =>
                new ReplicationException(ReplicationErrorKind.PermissionDenied, "KafkaAuthenticationFailed", what, s.Cluster.Alias, inner),
            ErrorCode.Local_InvalidArg or ErrorCode.InvalidConfig or ErrorCode.InvalidRequest or ErrorCode.OffsetOutOfRange =>
                new ReplicationException(ReplicationErrorKind.InvalidArgument, "KafkaInvalidRequest", what, subject, inner),
            ErrorCode.Local_NoEnt when reason?.Contains("leader", StringComparison.OrdinalIgnoreCase) == true =>
                new ReplicationException(ReplicationErrorKind.Unreachable, "KafkaNotAvailable",
                    what + ". No broker leads these partitions now (brokers down or electing); try again shortly.", subject ?? s.Cluster.Alias, inner),
            ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderForPartition or ErrorCode.GroupCoordinatorNotAvailable
                or ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupLoadInProgress or ErrorCode.Local_WaitCoord =>
                new ReplicationException(ReplicationErrorKind.Unreachable, "KafkaNotAvailable",
                    what + ". The cluster is electing a leader or coordinator; try again shortly.", subject, inner),
            _ => new ReplicationException(ReplicationErrorKind.OperationFailed, "KafkaOperationFailed", what, subject, inner),
        };
    }

    // Names the parameter of the cmdlet that made the client (it differs: -SourceBootstrapServers, -BootstrapServers...).
    private static string UnreachableAdvice(KafkaClientSettings s) =>
        "Check that the bootstrap servers are reachable from this machine (in-cluster addresses usually are not: give " +
        $"reachable ones with {s.BootstrapServersParameter ?? "other bootstrap servers"}), and the security protocol, CA and credentials.";
}
