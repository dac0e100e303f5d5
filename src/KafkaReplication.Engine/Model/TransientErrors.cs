namespace KafkaReplication.Engine.Model;

/// <summary>Which module errors may pass on their own, so that a wait tries again instead of giving up.</summary>
public static class TransientErrors
{
    /// <summary>Unreachable, timed out or busy: the server may answer the next probe.</summary>
    public static bool IsTransient(this ReplicationException e) =>
        e.Kind is ReplicationErrorKind.Unreachable or ReplicationErrorKind.Timeout or ReplicationErrorKind.Busy;
}
