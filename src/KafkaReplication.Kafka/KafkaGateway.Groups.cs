using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Kafka;

public sealed partial class KafkaGateway
{
    /// <summary>
    /// A consumer group's committed offset of each given partition; null where the group has none. The partitions are
    /// explicit: listing a group's partitions or groups is not done here (and crashes librdkafka's mock cluster).
    /// </summary>
    public async Task<IReadOnlyDictionary<(string Topic, int Partition), long?>> GetCommittedOffsetsAsync(
        string group, IEnumerable<(string Topic, int Partition)> partitions, CancellationToken cancellationToken = default)
    {
        ValidateGroup(group);
        ArgumentNullException.ThrowIfNull(partitions);
        var wanted = partitions.Distinct().Select(p => new TopicPartition(p.Topic, p.Partition)).ToList();
        if (wanted.Count == 0) return new Dictionary<(string, int), long?>();

        return await RunAsync($"ListConsumerGroupOffsets ({group})", async (admin, token) =>
        {
            Requests.ListGroupOffsets();
            List<ListConsumerGroupOffsetsResult> results;
            try
            {
                results = await AwaitAsync(admin.ListConsumerGroupOffsetsAsync(new[] { new ConsumerGroupTopicPartitions(group, wanted) },
                    new ListConsumerGroupOffsetsOptions { RequestTimeout = Settings.EffectiveRequestTimeout }), token).ConfigureAwait(false);
            }
            catch (ListConsumerGroupOffsetsException e)
            {
                throw GroupError(e.Results.Select(r => (r.Error, r.Partitions)), "ListConsumerGroupOffsets", group, e);
            }
            var offsets = new Dictionary<(string Topic, int Partition), long?>(wanted.Count);
            foreach (var p in results.SelectMany(r => r.Partitions))
            {
                if (p.Error.IsError) throw GroupError(new[] { (p.Error, new List<TopicPartitionOffsetError> { p }) }, "ListConsumerGroupOffsets", group, null);
                offsets[(p.Topic, p.Partition.Value)] = p.Offset.Value >= 0 ? p.Offset.Value : null;
            }
            return (IReadOnlyDictionary<(string Topic, int Partition), long?>)offsets;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long <see cref="DescribeGroupsAsync"/> waits at most (never longer than the request timeout).
    /// Group state is extra information beside the offsets, so a slow coordinator does not hold them up.</summary>
    public TimeSpan DescribeGroupsWait
    {
        get => _describeGroupsWait;
        init => _describeGroupsWait = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(DescribeGroupsWait));
    }
    private readonly TimeSpan _describeGroupsWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The state and members of explicit consumer groups, in one DescribeConsumerGroups request, one entry per group.
    /// Never throws for what the broker answers (does not serve the request, refuses it, does not answer within
    /// <see cref="DescribeGroupsWait"/>): those groups come back not reported, with the reason. Throws only on the
    /// caller's cancellation and on an invalid group id.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ConsumerGroupStatus>> DescribeGroupsAsync(IReadOnlyCollection<string> groups,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        foreach (var g in groups) ValidateGroup(g);
        var wanted = groups.Distinct(StringComparer.Ordinal).ToList();
        // Never send an empty list: librdkafka then describes every group, listing them first (which crashes the mock).
        if (wanted.Count == 0) return new Dictionary<string, ConsumerGroupStatus>(StringComparer.Ordinal);
        cancellationToken.ThrowIfCancellationRequested();

        var admin = Admin();
        var wait = DescribeGroupsWait < Settings.EffectiveRequestTimeout ? DescribeGroupsWait : Settings.EffectiveRequestTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        IEnumerable<ConsumerGroupDescription> described;
        Requests.DescribeGroups();
        try
        {
            // The native request keeps the full request timeout and only the wait is shorter: a coordinator request
            // that times out natively while its coordinator lookup is in flight can abort the process
            // (librdkafka #4605; reproduced against the mock with a 2 s timeout and 5 s round trips).
            var result = await AwaitAsync(admin.DescribeConsumerGroupsAsync(wanted,
                new DescribeConsumerGroupsOptions { RequestTimeout = Settings.RequestTimeout }), deadline.Token).ConfigureAwait(false);
            described = result.ConsumerGroupDescriptions;
        }
        catch (DescribeConsumerGroupsException e)
        {
            // Per-group errors; librdkafka's mock answers every group with Local_UnsupportedFeature at once.
            described = e.Results.ConsumerGroupDescriptions;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _faulted = true;
            throw;
        }
        catch (OperationCanceledException)
        {
            // The native request still runs: this client is not handed to a later invocation (see IsReusable).
            _faulted = true;
            return All($"the group coordinator did not answer within {wait.TotalSeconds:0.#} s");
        }
        catch (KafkaException e)
        {
            return All(ConsumerGroupStatuses.Reason(e.Error.Code, e.Error.Reason));
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            return All(e.Message);
        }

        var statuses = described.Where(d => d.GroupId is not null).Select(ConsumerGroupStatuses.From)
            .ToDictionary(s => s.Group, StringComparer.Ordinal);
        foreach (var g in wanted.Where(g => !statuses.ContainsKey(g)))
            statuses[g] = ConsumerGroupStatus.NotReported(g, "the broker's answer did not include this group");
        var missing = statuses.Values.Where(s => !s.IsReported).ToList();
        if (missing.Count > 0)
            _log.Verbose($"Kafka: {Settings.Cluster.Alias} did not describe {string.Join(", ", missing.Select(s => $"{s.Group} ({s.NotReportedReason})"))}.");
        return statuses;

        IReadOnlyDictionary<string, ConsumerGroupStatus> All(string reason)
        {
            _log.Verbose($"Kafka: DescribeConsumerGroups on {Settings.Cluster.Alias}: {reason}");
            return wanted.ToDictionary(g => g, g => ConsumerGroupStatus.NotReported(g, reason), StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Sets a consumer group's committed offsets (the offset is the next record the group will read). Kafka accepts
    /// this only while the group has no active members; otherwise PreconditionFailed ("ConsumerGroupNotEmpty").
    /// </summary>
    public async Task AlterCommittedOffsetsAsync(string group, IReadOnlyDictionary<(string Topic, int Partition), long> offsets,
        CancellationToken cancellationToken = default)
    {
        ValidateGroup(group);
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.FirstOrDefault(o => o.Value < 0) is { Key.Topic: not null } negative)
            throw ReplicationException.Invalid("InvalidOffset",
                $"Offset {negative.Value} for {negative.Key.Topic}[{negative.Key.Partition}] is negative; committed offsets start at 0.", negative.Key);
        if (offsets.Count == 0) return;

        var list = offsets.Select(o => new TopicPartitionOffset(o.Key.Topic, o.Key.Partition, o.Value)).ToList();
        await RunAsync($"AlterConsumerGroupOffsets ({group})", async (admin, token) =>
        {
            Requests.AlterGroupOffsets();
            try
            {
                var results = await AwaitAsync(admin.AlterConsumerGroupOffsetsAsync(new[] { new ConsumerGroupTopicPartitionOffsets(group, list) },
                    new AlterConsumerGroupOffsetsOptions { RequestTimeout = Settings.EffectiveRequestTimeout }), token).ConfigureAwait(false);
                _log.Verbose($"Kafka: committed offsets of group '{group}' set for {results.Sum(r => r.Partitions.Count)} partitions.");
                return true;
            }
            catch (AlterConsumerGroupOffsetsException e)
            {
                throw GroupError(e.Results.Select(r => (r.Error, r.Partitions)), "AlterConsumerGroupOffsets", group, e);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateGroup(string group)
    {
        if (string.IsNullOrWhiteSpace(group))
            throw ReplicationException.Invalid("ConsumerGroupRequired", "Give a consumer group id.");
    }

    /// <summary>The group-level error if there is one, else the first partition's.</summary>
    private ReplicationException GroupError(IEnumerable<(Error Error, List<TopicPartitionOffsetError> Partitions)> reports,
        string operation, string group, Exception? inner)
    {
        foreach (var (error, partitions) in reports)
        {
            if (error.IsError)
                return KafkaErrors.FromError(error.Code, error.Reason, Settings, operation, $"group '{group}'", _lastBrokerError, inner);
            if (partitions.FirstOrDefault(p => p.Error.IsError) is { } p)
                return KafkaErrors.FromError(p.Error.Code, p.Error.Reason, Settings, operation,
                    $"group '{group}', {p.Topic}[{p.Partition.Value}]", _lastBrokerError, inner);
        }
        return new ReplicationException(ReplicationErrorKind.OperationFailed, "KafkaOperationFailed",
            $"{operation} for group '{group}' on Kafka cluster {Settings} failed: {inner?.Message}", group, inner);
    }
}
