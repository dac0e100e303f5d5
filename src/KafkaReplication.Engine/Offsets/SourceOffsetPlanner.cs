using System.Text.RegularExpressions;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Offsets;

/// <summary>Where replication of a source partition resumes, as Set-SourceOffset is asked.</summary>
public abstract record ResumePoint
{
    /// <summary>At this source offset; checked against the partition's range unless the source cannot be reached.</summary>
    public sealed record At(long NextOffset, bool CheckRange = true) : ResumePoint;
    /// <summary>At the earliest offset still in the source (replicate everything retained).</summary>
    public sealed record Earliest : ResumePoint;
    /// <summary>At the end: skip everything not yet replicated.</summary>
    public sealed record Latest : ResumePoint;
    /// <summary>At the first record at or after the time.</summary>
    public sealed record AtTime(DateTimeOffset Time) : ResumePoint;
}

/// <summary>
/// Turns requested topics and partitions and a resume point into per-partition targets for
/// <see cref="OffsetChangeWorkflow"/>, reading the source cluster: whole topics become their partitions, and an
/// explicit offset past a partition's end is refused (the consumer would reset, or skip records written later).
/// The source is opened only when needed: explicit partitions at an unchecked offset need no source at all.
/// </summary>
public sealed class SourceOffsetPlanner(Func<CancellationToken, Task<ISourceKafka>> openSource, IOperationLog log)
{
    /// <summary>The partitions asked for: every partition of a topic given without partitions, else those given.</summary>
    public async Task<IReadOnlyList<(string Topic, int Partition)>> ExpandAsync(IReadOnlyList<(string Topic, int[]? Partitions)> requests, CancellationToken ct)
    {
        var result = new List<(string, int)>();
        var whole = requests.Where(r => r.Partitions is null || r.Partitions.Length == 0).Select(r => r.Topic).Distinct().ToList();
        if (whole.Count > 0)
        {
            var kafka = await openSource(ct).ConfigureAwait(false);
            var listed = await kafka.ListPartitionsAsync(whole.Select(Regex.Escape).ToList(), ct).ConfigureAwait(false);
            foreach (var t in whole)
            {
                var found = listed.Where(p => p.Topic == t).ToList();
                if (found.Count == 0) throw new ReplicationException(ReplicationErrorKind.NotFound, ErrorIds.TopicNotFound, $"Topic '{t}' does not exist in the source cluster.", t);
                result.AddRange(found);
            }
        }
        result.AddRange(requests.Where(r => r.Partitions is { Length: > 0 }).SelectMany(r => r.Partitions!.Select(p => (r.Topic, p))));
        return result.Distinct().ToList();
    }

    public async Task<IReadOnlyList<SourceOffsetTarget>> TargetsAsync(IReadOnlyList<(string Topic, int Partition)> partitions, ResumePoint point, CancellationToken ct)
    {
        if (point is ResumePoint.At at)
        {
            if (at.CheckRange) await CheckInRangeAsync(partitions, at.NextOffset, ct).ConfigureAwait(false);
            return partitions.Select(p => new SourceOffsetTarget(p.Topic, p.Partition, at.NextOffset)).ToList();
        }
        var query = point switch
        {
            ResumePoint.Earliest => OffsetSpec.Earliest,
            ResumePoint.Latest => OffsetSpec.Latest,
            ResumePoint.AtTime t => OffsetSpec.AtTimestamp(t.Time),
            _ => throw new ArgumentOutOfRangeException(nameof(point)),
        };
        var offsets = await (await openSource(ct).ConfigureAwait(false)).GetOffsetsAsync(partitions, query, ct).ConfigureAwait(false);
        return partitions.Select(p => new SourceOffsetTarget(p.Topic, p.Partition, offsets[p])).ToList();
    }

    /// <summary>Refuses a resume point past a partition's end; warns where retention deleted the records before it.</summary>
    private async Task CheckInRangeAsync(IReadOnlyList<(string Topic, int Partition)> partitions, long next, CancellationToken ct)
    {
        var kafka = await openSource(ct).ConfigureAwait(false);
        var end = await kafka.GetOffsetsAsync(partitions, OffsetSpec.Latest, ct).ConfigureAwait(false); // unknown partitions fail here as NotFound
        var beyond = partitions.Where(p => next > end[p]).ToList();
        if (beyond.Count > 0)
            throw ReplicationException.Invalid(ErrorIds.OffsetBeyondEnd,
                $"-NextOffset {next} is past the end of {string.Join(", ", beyond.Take(5).Select(p => $"{p.Topic}-{p.Partition} (end {end[p]})"))}. Use -Latest to skip to the end.", beyond[0]);
        var start = await kafka.GetOffsetsAsync(partitions, OffsetSpec.Earliest, ct).ConfigureAwait(false);
        foreach (var p in partitions.Where(p => next < start[p]))
            log.Warning($"{p.Topic}-{p.Partition}: records before {start[p]} were deleted by retention; replication will resume at {start[p]}.");
    }
}
