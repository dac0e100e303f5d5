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

    /// <summary>One row per source partition of the flow's source connectors.</summary>
    public async Task<IReadOnlyList<ReplicationPartitionState>> ReadAsync(FlowHandle flow, Func<string, bool>? topicFilter, CancellationToken ct)
    {
        var rows = new List<ReplicationPartitionState>();
        await VisitAsync(flow, topicFilter, (connector, p) => rows.Add(new ReplicationPartitionState
        {
            Flow = flow.Name,
            Namespace = flow.Namespace,
            Connector = connector,
            SourceAlias = flow.SourceAlias,
            Topic = p.Topic,
            Partition = p.Partition,
            TargetTopic = flow.TargetTopicFor(p.Topic),
            LastReplicatedOffset = p.Last,
            NextOffset = p.Next,
            StartOffset = p.Start,
            EndOffset = p.End,
            Lag = p.Lag,
            State = p.State,
        }), ct).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// Totals per topic (in topic order), then the flow's total: the same reads as <see cref="ReadAsync"/>, without
    /// a row object per partition.
    /// </summary>
    public async Task<IReadOnlyList<ReplicationStateSummary>> SummarizeAsync(FlowHandle flow, Func<string, bool>? topicFilter, CancellationToken ct)
    {
        var topics = new List<SummaryTotals>();
        var byTopic = new Dictionary<string, SummaryTotals>(StringComparer.Ordinal);
        var total = new SummaryTotals(null);
        await VisitAsync(flow, topicFilter, (_, p) =>
        {
            if (!byTopic.TryGetValue(p.Topic, out var t)) topics.Add(byTopic[p.Topic] = t = new SummaryTotals(p.Topic));
            t.Add(p);
            total.Add(p);
        }, ct).ConfigureAwait(false);
        var result = topics.Select(t => t.ToSummary(flow)).ToList();
        if (total.Partitions > 0) result.Add(total.ToSummary(flow));
        return result;
    }

    /// <summary>One source partition's figures, before any output object is made.</summary>
    private readonly record struct PartitionFigures(string Topic, int Partition, long? Last, long Next, long Start, long End, long Lag,
        PartitionReplicationState State);

    /// <summary>
    /// Per source connector: its stored offsets (Connect) are read while the source partitions and their start and end
    /// offsets are (Kafka), then each partition is visited in topic and partition order. A Connect failure wins over a
    /// Kafka one (it is the first question: is the connector there), and cancels the Kafka reads.
    /// </summary>
    private async Task VisitAsync(FlowHandle flow, Func<string, bool>? topicFilter, Action<string, PartitionFigures> visit, CancellationToken ct)
    {
        var activity = $"Replication state of flow '{flow.Name}'";
        foreach (var connector in flow.SourceConnectors)
        {
            log.Progress(12, activity, $"offsets of {connector.Name} and the source partitions", 10);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var storedTask = StoredOffsetsAsync(flow, connector.Name, both.Token);
            var kafkaTask = SourceOffsetsAsync(flow, connector, topicFilter, both.Token);
            Dictionary<(string, int), long?> stored;
            try
            {
                stored = await storedTask.ConfigureAwait(false);
            }
            catch
            {
                both.Cancel();
                _ = kafkaTask.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                throw;
            }
            var (partitions, start, end) = await kafkaTask.ConfigureAwait(false);
            // Stored offsets of partitions the metadata no longer lists (a deleted topic, a narrowed filter) are shown too.
            var listed = partitions.ToHashSet();
            var missing = stored.Keys.Where(p => (topicFilter is null || topicFilter(p.Item1)) && !listed.Contains(p)).ToList();
            if (missing.Count > 0)
            {
                var (s, e) = await StartAndEndAsync(missing, ct).ConfigureAwait(false);
                partitions = partitions.Concat(missing).OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2).ToList();
                start = Merge(start, s);
                end = Merge(end, e);
            }
            log.Progress(12, activity, $"{partitions.Count} partitions", 80);
            var next = new Dictionary<(string, int), long>(partitions.Count);
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
                visit(connector.Name, new PartitionFigures(p.Item1, p.Item2, last, next[p], s, e, lag,
                    caughtUp || lag == 0 ? PartitionReplicationState.CaughtUp
                        : last is null && e > s ? PartitionReplicationState.NotStarted : PartitionReplicationState.Lagging));
            }
        }
        log.Progress(12, activity, "done", 100, completed: true);
    }

    private async Task<Dictionary<(string, int), long?>> StoredOffsetsAsync(FlowHandle flow, string connector, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stored = new Dictionary<(string, int), long?>();
        foreach (var o in await offsets.ListStoredAsync(connector, ct).ConfigureAwait(false))
        {
            if (OffsetChangeWorkflow.KeyOf(flow, o) is { } k && k.SourceAlias == flow.SourceAlias) stored[(k.Topic, k.Partition)] = k.StoredOffset;
        }
        log.Verbose($"{stored.Count} stored offsets of {connector}, {clock.ElapsedMilliseconds} ms.");
        return stored;
    }

    /// <summary>The connector's source partitions (one metadata request), then their start and end offsets at once.</summary>
    private async Task<(IReadOnlyList<(string, int)> Partitions, IReadOnlyDictionary<(string Topic, int Partition), long> Start,
        IReadOnlyDictionary<(string Topic, int Partition), long> End)> SourceOffsetsAsync(FlowHandle flow, FlowConnector connector,
        Func<string, bool>? topicFilter, CancellationToken ct)
    {
        var regexes = await TopicRegexesAsync(kube, flow.Namespace, connector, ct).ConfigureAwait(false);
        var partitions = (await kafka.ListPartitionsAsync(regexes, ct).ConfigureAwait(false))
            .Where(p => topicFilter is null || topicFilter(p.Item1))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2).ToList();
        var (start, end) = await StartAndEndAsync(partitions, ct).ConfigureAwait(false);
        return (partitions, start, end);
    }

    private async Task<(IReadOnlyDictionary<(string Topic, int Partition), long> Start, IReadOnlyDictionary<(string Topic, int Partition), long> End)>
        StartAndEndAsync(IReadOnlyCollection<(string, int)> partitions, CancellationToken ct)
    {
        var start = kafka.GetOffsetsAsync(partitions, OffsetSpec.Earliest, ct);
        var end = kafka.GetOffsetsAsync(partitions, OffsetSpec.Latest, ct);
        try
        {
            await Task.WhenAll(start, end).ConfigureAwait(false);
        }
        catch
        {
            // The first failure (in start, end order) is the one reported, whatever finished first.
            if (start.IsFaulted || start.IsCanceled) await start.ConfigureAwait(false);
            throw;
        }
        return (start.Result, end.Result);
    }

    private static IReadOnlyDictionary<(string Topic, int Partition), long> Merge(IReadOnlyDictionary<(string Topic, int Partition), long> a,
        IReadOnlyDictionary<(string Topic, int Partition), long> b)
    {
        var merged = new Dictionary<(string Topic, int Partition), long>(a);
        foreach (var (k, v) in b) merged[k] = v;
        return merged;
    }

    /// <summary>Running totals of one topic (or, with a null topic, of the flow).</summary>
    private sealed class SummaryTotals(string? topic)
    {
        public string? Topic { get; } = topic;
        public int Partitions { get; private set; }
        private int _caughtUp, _lagging, _notStarted;
        private long _lag;

        public void Add(PartitionFigures p)
        {
            Partitions++;
            _lag += p.Lag;
            switch (p.State)
            {
                case PartitionReplicationState.CaughtUp: _caughtUp++; break;
                case PartitionReplicationState.Lagging: _lagging++; break;
                default: _notStarted++; break;
            }
        }

        public ReplicationStateSummary ToSummary(FlowHandle flow) => new()
        {
            Flow = flow.Name, Namespace = flow.Namespace, Topic = Topic, Partitions = Partitions,
            CaughtUp = _caughtUp, Lagging = _lagging, NotStarted = _notStarted, Lag = _lag,
        };
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
