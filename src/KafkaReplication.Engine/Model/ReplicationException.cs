namespace KafkaReplication.Engine.Model;

/// <summary>What went wrong, in the terms the cmdlet layer maps to an ErrorCategory.</summary>
public enum ReplicationErrorKind
{
    InvalidArgument,
    NotFound,
    Conflict,
    PermissionDenied,
    Timeout,
    Unreachable,
    PreconditionFailed,
    OperationFailed,
    /// <summary>The server is busy (a Connect rebalance, Kubernetes 429): the same request may succeed shortly.</summary>
    Busy,
    /// <summary>The credentials were refused (HTTP 401, SASL authentication).</summary>
    AuthenticationFailed,
    /// <summary>Input whose content the module refuses to process (ErrorCategory.InvalidData), e.g. a YAML alias bomb.</summary>
    InvalidData,
}

/// <summary>
/// The engine's one exception type. <see cref="ErrorId"/> is stable (tests and scripts match on it);
/// <see cref="Target"/> is the object the error is about. Messages never contain secret values: the message, target and
/// inner exception pass through <see cref="Errors.ClientErrorScrubber"/>, so no client exception (with its request and
/// response bodies) or secret-bearing object is kept, whoever throws.
/// </summary>
public sealed class ReplicationException : Exception
{
    public ReplicationException(ReplicationErrorKind kind, string errorId, string message, object? target = null, Exception? inner = null)
        : base(Errors.ClientErrorScrubber.Redact(message), Errors.ClientErrorScrubber.SafeInner(inner))
    {
        Kind = kind;
        ErrorId = errorId;
        Target = Errors.ClientErrorScrubber.SafeTarget(target);
    }

    public ReplicationErrorKind Kind { get; }
    public string ErrorId { get; }
    public object? Target { get; }
    /// <summary>What the user can do about it, when the engine knows.</summary>
    public string? RecommendedAction { get; init; }

    public static ReplicationException Invalid(string errorId, string message, object? target = null) =>
        new(ReplicationErrorKind.InvalidArgument, errorId, message, target);
}
