using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Monitoring;

namespace KafkaReplication.Engine.Failover;

/// <summary>The verifications and waits the runbooks are made of; each returns the detail its step reports.</summary>
public static class FailoverChecks
{
    /// <summary>Refuses, with every reason at once, a run the guide says cannot work.</summary>
    public static async Task<string> PreconditionsAsync(FailoverContext x, FailoverMode mode, CancellationToken ct)
    {
        var reasons = new List<string>();
        if (mode == FailoverMode.Continuous)
        {
            if (x.Flow.Policy != ReplicationPolicy.Default)
                reasons.Add("a continuous failover needs the Default replication policy (with Identity, consumers cannot tell replicated from new records)");
            if (x.CheckpointConnector is null) reasons.Add("the flow has no checkpoint connector, so no group offsets reach the target");
            else if (!string.Equals(x.CheckpointConnector.Config["sync.group.offsets.enabled"]?.ToString(), "true", StringComparison.OrdinalIgnoreCase))
                reasons.Add("the checkpoint connector does not sync group offsets (sync.group.offsets.enabled is not true)");
        }
        foreach (var c in x.Flow.Connectors.Where(c => c.Role is "source" or "checkpoint"))
        {
            var state = await x.States.GetStateAsync(c.Name, ct).ConfigureAwait(false);
            if (state != "RUNNING") reasons.Add($"connector {c.Name} is {state ?? "unknown"}, not RUNNING");
        }
        var partitions = await x.SourcePartitionsAsync(ct).ConfigureAwait(false);
        foreach (var g in x.Groups)
        {
            var committed = await x.Source.GetCommittedOffsetsAsync(g, partitions, ct).ConfigureAwait(false);
            if (committed.Values.All(v => v is null)) reasons.Add($"group '{g}' has no committed offsets on the flow's source topics");
        }
        if (reasons.Count > 0)
            throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "FailoverPreconditionFailed",
                $"Flow '{x.Flow.Name}' cannot run a {mode.ToString().ToLowerInvariant()} failover: {string.Join("; ", reasons)}.", x.Flow.Name);
        return $"policy {x.Flow.Policy}, connectors RUNNING, groups {string.Join(", ", x.Groups)} found";
    }

    /// <summary>
    /// Waits until every group's target offsets reach the translation of its final source commits: the last checkpoint
    /// has the source commit as upstream offset, and the target group is at its downstream offset.
    /// </summary>
    public static async Task<string> CheckpointsCaughtUpAsync(FailoverContext x, CancellationToken ct)
    {
        var timeout = x.WaitTimeout ?? x.CheckpointWait;
        var partitions = await x.SourcePartitionsAsync(ct).ConfigureAwait(false);
        var finals = new Dictionary<string, IReadOnlyDictionary<(string Topic, int Partition), long?>>();
        foreach (var g in x.Groups) finals[g] = await x.Source.GetCommittedOffsetsAsync(g, partitions, ct).ConfigureAwait(false);
        var pending = "";
        await Poll.UntilAsync(async token =>
        {
            var checkpoints = await CheckpointReader.ReadAsync(x.Target, x.Flow, g => x.Groups.Contains(g), token).ConfigureAwait(false);
            var missing = new List<string>();
            foreach (var (g, commits) in finals)
                foreach (var ((topic, p), c) in commits)
                {
                    if (c is null) continue;
                    var cp = checkpoints.FirstOrDefault(k => k.Group == g && k.SourceTopic == topic && k.Partition == p);
                    if (cp is null || cp.UpstreamOffset != c || !cp.SyncedToCheckpoint) missing.Add($"{g} {topic}[{p}]");
                }
            pending = string.Join(", ", missing.Take(5)) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
            return missing.Count == 0 ? WaitCheck.Complete("target groups at their final checkpoints") : WaitCheck.Pending($"{missing.Count} partitions pending: {pending}");
        }, timeout, x.Log, $"Waiting for checkpoints of flow '{x.Flow.Name}' (up to {timeout.TotalSeconds:0} s)", x.Flow.Name, ct).ConfigureAwait(false);
        return $"target offsets of {string.Join(", ", x.Groups)} reached the translation of their final source commits (bound {timeout.TotalSeconds:0} s)";
    }

    /// <summary>Waits until the source connectors have replicated everything up to the source end offsets.</summary>
    public static async Task<string> ReplicationCaughtUpAsync(FailoverContext x, CancellationToken ct)
    {
        var reader = new ReplicationStateReader(x.Kube, x.Offsets, new Kafka.SourceKafka(x.Source), x.Log);
        long lag = 0;
        await Poll.UntilAsync(async token =>
        {
            var rows = await reader.ReadAsync(x.Flow, null, token).ConfigureAwait(false);
            lag = rows.Sum(r => r.Lag);
            return lag == 0 ? WaitCheck.Complete("replication caught up") : WaitCheck.Pending($"{lag} records to replicate");
        }, x.OtherWaits, x.Log, $"Waiting for replication of flow '{x.Flow.Name}' to catch up", x.Flow.Name, ct).ConfigureAwait(false);
        return "every source partition replicated to its end offset";
    }

    /// <summary>
    /// The rows of the topics a group consumes: those where it has committed on at least one partition (a partition
    /// of such a topic without a commit still counts, whole). A flow's topic the group never reads has no lag for it,
    /// as kafka-consumer-groups.sh --describe shows only the topics a group committed on.
    /// </summary>
    internal static IEnumerable<ConsumerGroupLag> Consumed(IReadOnlyList<ConsumerGroupLag> rows)
    {
        var read = rows.Where(r => r.CommittedOffset is not null).Select(r => (r.Group, r.Topic)).ToHashSet();
        return rows.Where(r => read.Contains((r.Group, r.Topic)));
    }

    /// <summary>Waits until the groups have read everything on the source (on the topics they consume); names the groups that did not.</summary>
    public static async Task<string> SourceLagZeroAsync(FailoverContext x, CancellationToken ct)
    {
        var partitions = await x.SourcePartitionsAsync(ct).ConfigureAwait(false);
        var behind = new List<string>();
        try
        {
            await Poll.UntilAsync(async token =>
            {
                var rows = await ConsumerGroupLagReader.ReadAsync(x.Source, x.Groups, partitions, token).ConfigureAwait(false);
                behind = Consumed(rows).Where(r => r.Lag > 0).Select(r => r.Group).Distinct().ToList();
                return behind.Count == 0 ? WaitCheck.Complete("groups caught up") : WaitCheck.Pending($"lag > 0: {string.Join(", ", behind)}");
            }, x.OtherWaits, x.Log, $"Waiting for the groups' lag on the source to reach 0", x.Flow.Name, ct).ConfigureAwait(false);
        }
        catch (ReplicationException e) when (e.ErrorId == "WaitTimedOut")
        {
            throw new ReplicationException(ReplicationErrorKind.Timeout, "GroupsNotCaughtUp",
                $"These groups still have lag on the source: {string.Join(", ", behind)}.", behind.FirstOrDefault(), e)
            {
                RecommendedAction = "Check their consumers, or leave them out with -ExcludeGroup and run again.",
            };
        }
        return $"lag 0 on the source for {string.Join(", ", x.Groups)}";
    }

    /// <summary>Stops every connector of the flow and waits until Connect reports them STOPPED.</summary>
    public static async Task<string> StopReplicationAsync(FailoverContext x, CancellationToken ct)
    {
        var control = new ConnectorControl(x.Kube, x.States, x.Log);
        foreach (var c in x.Flow.Connectors)
            await control.SetStateAsync(x.Flow, c.Name, "stopped", x.OtherWaits, ct).ConfigureAwait(false);
        return $"stopped {string.Join(", ", x.Flow.Connectors.Select(c => c.Name))}";
    }

    /// <summary>Identity policy: the target groups start at the end of the target topics (everything was consumed on the source).</summary>
    public static async Task<string> ResetTargetGroupsAsync(FailoverContext x, CancellationToken ct)
    {
        var target = x.TargetPartitions(await x.SourcePartitionsAsync(ct).ConfigureAwait(false));
        var ends = await x.Target.GetOffsetsAsync(target, Kafka.OffsetSpec.Latest, ct).ConfigureAwait(false);
        foreach (var g in x.Groups) await x.Target.AlterCommittedOffsetsAsync(g, ends, ct).ConfigureAwait(false);
        return $"groups {string.Join(", ", x.Groups)} set to the latest offsets of {target.Count} target partitions";
    }
}
