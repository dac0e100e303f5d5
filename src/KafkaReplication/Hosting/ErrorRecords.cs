using System.Management.Automation;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Hosting;

/// <summary>
/// The one place that turns failures into ErrorRecords: the engine's kinds (and a few ids) to categories, and
/// anything else that escapes the engine to <see cref="ErrorIds.UnexpectedError"/> (never a raw .NET exception id).
/// </summary>
internal static class ErrorRecords
{
    /// <summary>Failures that leave nothing for the rest of the pipeline input to do (no cluster to talk to).</summary>
    private static readonly HashSet<string> InvocationWide = new(StringComparer.Ordinal)
    {
        ErrorIds.KubeconfigNotFound, ErrorIds.KubeconfigInvalid, ErrorIds.ContextWithoutKubeconfig,
    };

    public static ErrorRecord From(ReplicationException e)
    {
        var record = new ErrorRecord(e, e.ErrorId, Category(e), e.Target);
        if (e.RecommendedAction is not null)
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.RecommendedAction };
        return record;
    }

    public static ErrorCategory Category(ReplicationException e) => e.ErrorId switch
    {
        ErrorIds.ConnectRebalanceInProgress => ErrorCategory.ResourceBusy,
        ErrorIds.KafkaAuthenticationFailed or ErrorIds.KubernetesUnauthorized => ErrorCategory.AuthenticationError,
        _ => e.Kind switch
        {
            ReplicationErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            ReplicationErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            ReplicationErrorKind.Conflict => ErrorCategory.ResourceExists,
            ReplicationErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            ReplicationErrorKind.Timeout => ErrorCategory.OperationTimeout,
            ReplicationErrorKind.Unreachable => ErrorCategory.ConnectionError,
            ReplicationErrorKind.PreconditionFailed => ErrorCategory.InvalidOperation,
            ReplicationErrorKind.Busy => ErrorCategory.ResourceBusy,
            ReplicationErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
            ReplicationErrorKind.InvalidData => ErrorCategory.InvalidData,
            _ => ErrorCategory.NotSpecified,
        },
    };

    public static bool DoomsInvocation(ReplicationException e) => InvocationWide.Contains(e.ErrorId);

    /// <summary>Not an engine error and not PowerShell's own flow control (stops, terminating errors, bindings).</summary>
    public static bool IsUnexpected(Exception e) => e is not RuntimeException;

    /// <summary>A failure the engine did not map: a module error id, the original message, category NotSpecified.</summary>
    public static ErrorRecord Unexpected(Exception e) =>
        new(new InvalidOperationException($"{e.GetType().Name}: {e.Message}"), ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, null)
        {
            ErrorDetails = new ErrorDetails($"{e.GetType().Name}: {e.Message}")
            {
                RecommendedAction = "This is a defect of the KafkaReplication module: report it with this message and the command that caused it.",
            },
        };

    /// <summary>
    /// ShouldProcess or ShouldContinue needed an answer the host cannot give: a hosted runspace without a UI
    /// (HostException), or pwsh -NonInteractive (PSInvalidOperationException "... NonInteractive mode ...").
    /// </summary>
    public static bool IsPromptUnavailable(Exception e) =>
        e is System.Management.Automation.Host.HostException
        || (e is PSInvalidOperationException && e.Message.Contains("NonInteractive", StringComparison.OrdinalIgnoreCase));

    public static ErrorRecord ConfirmationUnavailable(Exception e) =>
        new(new InvalidOperationException($"This change needs confirmation, and the host cannot ask ({e.Message})."), ErrorIds.ConfirmationUnavailable,
            ErrorCategory.InvalidOperation, null)
        {
            ErrorDetails = new ErrorDetails($"This change needs confirmation, and the host cannot ask ({e.Message}).")
            {
                RecommendedAction = "Run it interactively, or confirm in the command: -Confirm:$false (or -Force where the cmdlet has it).",
            },
        };

    /// <summary>A module error without an engine exception (parameter combinations checked by a cmdlet).</summary>
    public static ErrorRecord Invalid(string errorId, string message, object? target) =>
        new(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
}
