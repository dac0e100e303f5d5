using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Offsets;

namespace KafkaReplication.Engine.Failover;

/// <summary>
/// What a disaster failover can know without the source cluster: what was replicated (the source connector's stored
/// offsets, kept by Connect on the target side), and where the groups should resume on the target (their last
/// checkpoints). Records the source accepted after the last replicated offset are lost.
/// </summary>
public sealed record DisasterFailoverReport
{
    public required string Flow { get; init; }
    public required IReadOnlyList<SourceOffset> LastReplicated { get; init; }
    public required IReadOnlyList<ReplicationCheckpoint> Checkpoints { get; init; }
    /// <summary>Groups whose target offsets are behind their last checkpoint on some partition (sync skipped or pending).</summary>
    public required IReadOnlyList<string> TrailingGroups { get; init; }
    public IReadOnlyList<string> AppliedGroups { get; set; } = Array.Empty<string>();
    public string DataLoss => "Records the source accepted after each partition's last replicated offset were not replicated and are lost for the target.";
}

public static class DisasterFailover
{
    public static async Task<DisasterFailoverReport> AssessAsync(FlowHandle flow, IConnectorOffsets offsets, IKafkaGateway target,
        IReadOnlyCollection<string> groups, CancellationToken ct)
    {
        var replicated = new List<SourceOffset>();
        foreach (var c in flow.SourceConnectors)
            replicated.AddRange((await offsets.ListAsync(c.Name, ct).ConfigureAwait(false))
                .Select(o => OffsetChangeWorkflow.ToSourceOffset(flow, c.Name, o)).Where(o => o is not null).Select(o => o!));
        var checkpoints = await CheckpointReader.ReadAsync(target, flow, groups.Contains, ct).ConfigureAwait(false);
        return new DisasterFailoverReport
        {
            Flow = flow.Name,
            LastReplicated = replicated.OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition).ToList(),
            Checkpoints = checkpoints,
            TrailingGroups = checkpoints.Where(c => !c.SyncedToCheckpoint).Select(c => c.Group).Distinct().Order(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>Moves a group's target offsets forward to its checkpoints (Kafka refuses it while the group has members).</summary>
    public static Task ApplyAsync(IKafkaGateway target, DisasterFailoverReport report, string group, CancellationToken ct) =>
        target.AlterCommittedOffsetsAsync(group, report.Checkpoints.Where(c => c.Group == group && !c.SyncedToCheckpoint)
            .ToDictionary(c => (c.TargetTopic, c.Partition), c => c.DownstreamOffset), ct);
}
