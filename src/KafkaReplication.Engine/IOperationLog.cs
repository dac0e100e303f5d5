namespace KafkaReplication.Engine;

/// <summary>
/// How the engine reports what it does. The cmdlet layer drains these on the pipeline thread into
/// WriteVerbose, WriteWarning and WriteProgress. Messages never contain secret values.
/// </summary>
public interface IOperationLog
{
    void Verbose(string message);
    void Warning(string message);
    /// <summary>Progress of a wait or a long step; percent is -1 when unknown; completed closes the bar.</summary>
    void Progress(int activityId, string activity, string status, int percent, bool completed = false);
}

/// <summary>A log that drops everything (tests and library callers that do not care).</summary>
public sealed class NullOperationLog : IOperationLog
{
    public static readonly NullOperationLog Instance = new();
    public void Verbose(string message) { }
    public void Warning(string message) { }
    public void Progress(int activityId, string activity, string status, int percent, bool completed = false) { }
}
