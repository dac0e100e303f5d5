namespace KafkaReplication.Engine.Failover;

public enum FailoverMode { Continuous, Cutoff }
public enum RunbookStepKind { Automated, Manual, Wait, Verify }
public enum RunbookStepStatus { Planned, Completed, Skipped, Stopped, Failed }

/// <summary>One step of a runbook as reported: what it is, how it went, and what it found or did.</summary>
public sealed class RunbookStep
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required RunbookStepKind Kind { get; init; }
    public RunbookStepStatus Status { get; set; } = RunbookStepStatus.Planned;
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public string Detail { get; set; } = "";
}

/// <summary>
/// A step to run. Manual steps have no <see cref="ExecuteAsync"/>: the cmdlet runs the hook named like the step, or
/// asks. Others return the detail to report; a failure is a ReplicationException that stops the run there.
/// </summary>
public sealed record RunbookStepDefinition(string Name, RunbookStepKind Kind, string Description,
    Func<CancellationToken, Task<string>>? ExecuteAsync = null);
