using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Failover;

/// <summary>
/// The guide's two controlled procedures ("Performing a controlled failover" without and with a cutoff) as steps.
/// Manual steps are named like the hooks that perform them (-Hook @{ StopConsumers = { ... } }).
/// </summary>
public static class ControlledFailoverPlan
{
    public static IReadOnlyList<RunbookStepDefinition> Build(FailoverContext x, FailoverMode mode)
    {
        var flow = x.Flow;
        // Exact names when the flow lists its topics literally; the naming rule when it uses regexes.
        var subscribe = x.TopicNames.Count > 0
            ? $"the replicated topics {string.Join(", ", x.TopicNames.Select(flow.TargetTopicFor))} and the active topics {string.Join(", ", x.TopicNames)}"
            : $"the replicated topics ({flow.SourceAlias}.<topic>) and the same-named active topics (<topic>) of the flow's topics";
        var steps = new List<RunbookStepDefinition>
        {
            new("VerifyPreconditions", RunbookStepKind.Verify, "Check the policy, the checkpoint connector and its group sync, the connectors' states and the groups.",
                ct => FailoverChecks.PreconditionsAsync(x, mode, ct)),
        };
        if (mode == FailoverMode.Continuous)
        {
            steps.Add(new("StopConsumers", RunbookStepKind.Manual, $"Stop the consumers of {Groups(x)} on the source cluster."));
            steps.Add(new("WaitForCheckpoints", RunbookStepKind.Wait,
                $"Wait up to {(x.WaitTimeout ?? x.CheckpointWait).TotalSeconds:0} s (2 × (emit.checkpoints.interval.seconds + sync.group.offsets.interval.seconds)) " +
                "until the target groups reach the translation of their final source commits.",
                ct => FailoverChecks.CheckpointsCaughtUpAsync(x, ct)));
            steps.Add(new("MoveConsumers", RunbookStepKind.Manual,
                $"Start the consumers of {Groups(x)} on the target cluster, subscribed to {subscribe}."));
            steps.Add(new("StopProducers", RunbookStepKind.Manual, "Stop the producers on the source cluster."));
            steps.Add(new("MoveProducers", RunbookStepKind.Manual, "Start the producers on the target cluster."));
            steps.Add(new("WaitForReplication", RunbookStepKind.Wait, "Wait until everything produced on the source is replicated.",
                ct => FailoverChecks.ReplicationCaughtUpAsync(x, ct)));
        }
        else
        {
            steps.Add(new("StopProducers", RunbookStepKind.Manual, "Stop the producers on the source cluster."));
            steps.Add(new("WaitForConsumersAndReplication", RunbookStepKind.Wait,
                $"Wait until the lag of {Groups(x)} on the source is 0 and replication has caught up.",
                async ct => $"{await FailoverChecks.SourceLagZeroAsync(x, ct).ConfigureAwait(false)}; {await FailoverChecks.ReplicationCaughtUpAsync(x, ct).ConfigureAwait(false)}"));
            steps.Add(new("StopConsumers", RunbookStepKind.Manual, $"Stop the consumers of {Groups(x)} on the source cluster."));
            steps.Add(new("StopReplication", RunbookStepKind.Automated, "Stop the flow's connectors.", ct => FailoverChecks.StopReplicationAsync(x, ct)));
            if (flow.Policy == ReplicationPolicy.Identity)
                steps.Add(new("ResetTargetGroups", RunbookStepKind.Automated, $"Set {Groups(x)} on the target to the latest offsets (Identity policy).",
                    ct => FailoverChecks.ResetTargetGroupsAsync(x, ct)));
            steps.Add(new("MoveProducers", RunbookStepKind.Manual, "Start the producers on the target cluster."));
            steps.Add(new("MoveConsumers", RunbookStepKind.Manual, $"Start the consumers of {Groups(x)} on the target cluster."));
        }
        steps.Add(new("Report", RunbookStepKind.Verify, "Report the groups' positions on the target.", async ct =>
        {
            var target = x.TargetPartitions(await x.SourcePartitionsAsync(ct).ConfigureAwait(false));
            var rows = await ConsumerGroupLagReader.ReadAsync(x.Target, x.Groups, target, ct).ConfigureAwait(false);
            return string.Join("; ", rows.GroupBy(r => r.Group).Select(g => $"{g.Key}: lag {g.Sum(r => r.Lag)} on the target"));
        }));
        return steps;
    }

    private static string Groups(FailoverContext x) => string.Join(", ", x.Groups);
}
