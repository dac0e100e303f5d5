namespace KafkaReplication.Engine.Failover;

/// <summary>
/// Where a runbook run starts, from the progress recorded in the cluster: from the top (nothing recorded, a finished
/// or forgotten run), after the last completed step (the same run, interrupted), nowhere (the same run, finished), or a
/// conflict (another run is recorded and not finished).
/// </summary>
public sealed record RunbookResume(int Completed, bool AlreadyFinished, IReadOnlyList<RunbookStep> Steps)
{
    /// <param name="planned">The steps of this run, not yet started.</param>
    public static RunbookResume Decide(RunbookProgress? recorded, string runId, bool restart, string flow, IReadOnlyList<RunbookStep> planned)
    {
        if (recorded is null || restart) return new RunbookResume(0, false, planned);
        if (recorded.Identity != runId)
            return recorded.Finished ? new RunbookResume(0, false, planned) : throw RunbookProgress.Conflict(flow, recorded.Identity, runId);
        if (recorded.Finished) return new RunbookResume(recorded.Completed, true, recorded.Steps);
        var steps = planned.ToList();
        var completed = recorded.Completed;
        // Completed steps are shown as they ran (times, details); the rest as planned.
        for (var i = 0; i < completed && i < recorded.Steps.Count && i < steps.Count; i++) steps[i] = recorded.Steps[i];
        return new RunbookResume(completed, false, steps);
    }
}
