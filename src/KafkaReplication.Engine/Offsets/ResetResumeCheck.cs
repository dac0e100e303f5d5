using System.Text.RegularExpressions;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Offsets;

/// <summary>
/// Where each partition resumes after its stored offset is deleted: MirrorSourceTask then falls back to the source
/// consumer's auto.offset.reset (apache/kafka connect/mirror/.../MirrorSourceTask.java), the partition's start (earliest, the default: records are replicated
/// again) or its end (latest: records after the stored offset that were not replicated yet are skipped, never copied).
/// </summary>
public static class ResetResumeCheck
{
    /// <summary>The plan with <see cref="SourceOffsetChange.ResumeOffset"/> filled in from the source's offsets now.</summary>
    public static async Task<IReadOnlyList<SourceOffsetChange>> ResolveAsync(FlowConnector connector, IReadOnlyList<SourceOffsetChange> plan,
        ISourceKafka kafka, CancellationToken ct)
    {
        if (plan.Count == 0) return plan;
        // A stored entry of a topic deleted since has nothing to resume.
        var topics = plan.Select(p => Regex.Escape(p.Topic)).Distinct().ToList(); // the filter matches whole names
        var existing = (await kafka.ListPartitionsAsync(topics, ct).ConfigureAwait(false)).ToHashSet();
        var partitions = plan.Select(p => (p.Topic, p.Partition)).Where(existing.Contains).ToList();
        var latest = Latest(connector);
        var resume = await kafka.GetOffsetsAsync(partitions, latest ? OffsetSpec.Latest : OffsetSpec.Earliest, ct).ConfigureAwait(false);
        return plan.Select(p => p with
        {
            ResumeOffset = p.NewNextOffset ?? (resume.TryGetValue((p.Topic, p.Partition), out var r) ? r : null),
        }).ToList();
    }

    public static bool Latest(FlowConnector connector) =>
        string.Equals(connector.Config["source.consumer.auto.offset.reset"]?.ToString(), "latest", StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses a reset that skips records not yet replicated (resume point past the old one), naming them.</summary>
    public static void RefuseSkips(FlowHandle flow, string connector, IReadOnlyList<SourceOffsetChange> resolved)
    {
        var skipped = resolved.Where(p => p.OldNextOffset is { } old && p.ResumeOffset is { } at && at > old).ToList();
        if (skipped.Count == 0) return;
        throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "ResetSkipsRecords",
            $"Connector '{connector}' starts partitions without a stored offset at the latest offset (source.consumer.auto.offset.reset=latest), " +
            "so this reset would skip records that were not replicated yet: " +
            string.Join(", ", skipped.Take(10).Select(p => $"{p.Topic}-{p.Partition} (up to {p.ResumeOffset - p.OldNextOffset} records: resumes at {p.ResumeOffset} instead of {p.OldNextOffset})")) +
            (skipped.Count > 10 ? $" and {skipped.Count - 10} more partitions" : "") + ". Nothing was changed.", connector)
        {
            RecommendedAction = $"Run Set-ReplicationFlow -Flow {flow.Name} -Namespace {flow.Namespace} -NewPartitionStart Earliest first, choose the resume point with Set-SourceOffset, or add -Force to skip those records.",
        };
    }
}
