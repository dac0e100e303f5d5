using System.Text.RegularExpressions;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Offsets;

namespace KafkaReplication.Engine.Monitoring;

/// <summary>
/// The guide's "Checking the state of data replication" in one call: the source connectors' stored offsets (one
/// Connect GET each) against the source partitions' start and end offsets (batched ListOffsets), per partition.
/// The stored offset is the last replicated one, so lag = end − (stored + 1) (MirrorSourceTask.java seeks to stored + 1), except where the offsets
/// from stored + 1 to the end are only transaction markers: that partition is caught up, with lag 0.
/// </summary>
public sealed partial class ReplicationStateReader(KubeGateway kube, IConnectorOffsets offsets, ISourceKafka kafka, IOperationLog log)
{
    [GeneratedRegex(@"^\$\{cfmap:([^/}]+)/([^:}]+):([^}]+)\}$")]
    private static partial Regex ConfigMapRef();

    public async Task<IReadOnlyList<ReplicationPartitionState>> ReadAsync(FlowHandle flow, Func<string, bool>? topicFilter, CancellationToken ct)
    {
        var rows = new List<ReplicationPartitionState>();
        foreach (var connector in flow.SourceConnectors)
        {
            var regexes = await TopicRegexesAsync(kube, flow.Namespace, connector, ct).ConfigureAwait(false);
            log.Progress(12, $"Replication state of flow '{flow.Name}'", $"offsets of {connector.Name}", 10);
            var stored = (await offsets.ListAsync(connector.Name, ct).ConfigureAwait(false))
                .Select(o => OffsetChangeWorkflow.ToSourceOffset(flow, connector.Name, o))
                .Where(o => o is not null && o.SourceAlias == flow.SourceAlias)
                .ToDictionary(o => (o!.Topic, o.Partition), o => o!.StoredOffset);
            log.Progress(12, $"Replication state of flow '{flow.Name}'", "source partitions", 30);
            var partitions = (await kafka.ListPartitionsAsync(regexes, ct).ConfigureAwait(false))
                .Concat(stored.Keys).Distinct()
                .Where(p => topicFilter is null || topicFilter(p.Item1))
                .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2).ToList();
            log.Progress(12, $"Replication state of flow '{flow.Name}'", $"start and end offsets of {partitions.Count} partitions", 50);
            var start = await kafka.GetOffsetsAsync(partitions, OffsetSpec.Earliest, ct).ConfigureAwait(false);
            var end = await kafka.GetOffsetsAsync(partitions, OffsetSpec.Latest, ct).ConfigureAwait(false);
            var next = new Dictionary<(string, int), long>();
            foreach (var p in partitions)
            {
                // Records below the start offset were deleted by retention: replication cannot resume before it.
                next[p] = stored.GetValueOrDefault(p) is { } l ? Math.Max(l + 1, start.GetValueOrDefault(p)) : start.GetValueOrDefault(p);
            }
            var markersOnly = await MarkersOnlyAsync(partitions, next, end, ct).ConfigureAwait(false);
            foreach (var p in partitions)
            {
                var last = stored.GetValueOrDefault(p);
                var s = start.GetValueOrDefault(p);
                var e = end.GetValueOrDefault(p);
                var caughtUp = markersOnly.Contains(p);
                var lag = caughtUp ? 0 : Math.Max(0, e - next[p]);
                rows.Add(new ReplicationPartitionState
                {
                    Flow = flow.Name,
                    Namespace = flow.Namespace,
                    Connector = connector.Name,
                    SourceAlias = flow.SourceAlias,
                    Topic = p.Item1,
                    Partition = p.Item2,
                    TargetTopic = flow.TargetTopicFor(p.Item1),
                    LastReplicatedOffset = last,
                    NextOffset = next[p],
                    StartOffset = s,
                    EndOffset = e,
                    Lag = lag,
                    State = caughtUp || lag == 0 ? PartitionReplicationState.CaughtUp
                        : last is null && e > s ? PartitionReplicationState.NotStarted : PartitionReplicationState.Lagging,
                });
            }
        }
        log.Progress(12, $"Replication state of flow '{flow.Name}'", "done", 100, completed: true);
        return rows;
    }

    /// <summary>
    /// At most this many offsets between the next offset and the end are read to tell transaction markers from
    /// records. A partition written in transactions ends in a commit marker, which MirrorMaker's read_committed
    /// consumer never receives, so after its last record is replicated end − next stays 1 (or a few, after aborted
    /// transactions); a larger gap is lag whatever it holds.
    /// </summary>
    public const long MarkerGapLimit = 16;

    /// <summary>The partitions whose offsets between next and end hold no record, only transaction markers.</summary>
    private async Task<IReadOnlySet<(string, int)>> MarkersOnlyAsync(IReadOnlyList<(string, int)> partitions,
        Dictionary<(string, int), long> next, IReadOnlyDictionary<(string Topic, int Partition), long> end, CancellationToken ct)
    {
        var gaps = partitions.Where(p => end.GetValueOrDefault(p) - next[p] is > 0 and <= MarkerGapLimit)
            .ToDictionary(p => p, p => (next[p], end.GetValueOrDefault(p)));
        if (gaps.Count == 0) return new HashSet<(string, int)>();
        var withRecords = await kafka.PartitionsWithRecordsAsync(gaps, ct).ConfigureAwait(false);
        return gaps.Keys.Where(p => !withRecords.Contains(p)).ToHashSet();
    }

    public static IReadOnlyList<ReplicationStateSummary> Summarize(IEnumerable<ReplicationPartitionState> rows, bool perTopic) =>
        rows.GroupBy(r => (r.Flow, r.Namespace, Topic: perTopic ? r.Topic : null))
            .Select(g => new ReplicationStateSummary
            {
                Flow = g.Key.Flow,
                Namespace = g.Key.Namespace,
                Topic = g.Key.Topic,
                Partitions = g.Count(),
                CaughtUp = g.Count(r => r.State == PartitionReplicationState.CaughtUp),
                Lagging = g.Count(r => r.State == PartitionReplicationState.Lagging),
                NotStarted = g.Count(r => r.State == PartitionReplicationState.NotStarted),
                Lag = g.Sum(r => r.Lag),
            }).ToList();

    /// <summary>
    /// The connector's topic filter: its "topics" value, following a ${cfmap:...} reference to the ConfigMap. Only
    /// references into the flow's own namespace are followed: the flow's objects live there, and a live connector
    /// config edited to point elsewhere must not make the module read (and show) another namespace's ConfigMap.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TopicRegexesAsync(KubeGateway kube, string flowNamespace, FlowConnector connector, CancellationToken ct)
    {
        var value = connector.Config["topics"]?.ToString() ?? ".*";
        var parts = new List<string>();
        foreach (var piece in SplitRefs(value))
        {
            var m = ConfigMapRef().Match(piece);
            if (!m.Success) { parts.Add(piece); continue; }
            if (m.Groups[1].Value != flowNamespace)
                throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "TopicsConfigMapOutsideFlow",
                    $"Connector '{connector.Name}' reads its topics from ConfigMap {m.Groups[1].Value}/{m.Groups[2].Value}, outside the flow's namespace '{flowNamespace}'; the module follows only references into the flow's namespace.", connector.Name)
                {
                    RecommendedAction = "Apply the flow again with New-ReplicationFlow, which writes the topics into the flow's own ConfigMap.",
                };
            var cm = await kube.GetAsync("v1", Kinds.ConfigMap, m.Groups[1].Value, m.Groups[2].Value, ct).ConfigureAwait(false);
            parts.Add((string?)cm?["data"]?[m.Groups[3].Value] ?? throw new ReplicationException(ReplicationErrorKind.NotFound, "TopicsConfigMissing",
                $"Connector '{connector.Name}' reads its topics from ConfigMap {m.Groups[1].Value}/{m.Groups[2].Value} key '{m.Groups[3].Value}', which does not exist.", connector.Name));
        }
        return parts.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }

    /// <summary>Splits "a,${cfmap:x/y:z},b" on commas outside placeholders.</summary>
    private static IEnumerable<string> SplitRefs(string value)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '{') depth++;
            else if (value[i] == '}') depth--;
            else if (value[i] == ',' && depth == 0)
            {
                yield return value[start..i].Trim();
                start = i + 1;
            }
        }
        yield return value[start..].Trim();
    }
}
