using KafkaReplication.Engine.Errors;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// A Kafka client as <see cref="KafkaClients"/> hands it out: every exception that leaves it is a new one, thrown here.
/// An exception thrown through code of a collectible context keeps that context alive for as long as it lives (the
/// runtime records the context with the stack trace), and PowerShell keeps error records well beyond $Error (a
/// terminating error caught by a script's catch kept it in a real pwsh 7.6.10): the Kafka client's context could then
/// never be collected after the module's removal, nor librdkafka freed.
/// </summary>
internal sealed class DetachedKafkaGateway(IKafkaGateway inner) : IKafkaGateway
{
    /// <summary>The client in the Kafka client's context (tests find the context through it).</summary>
    internal IKafkaGateway Inner => inner;

    public KafkaClientSettings Settings => inner.Settings;
    public KafkaRequestCounters Requests => inner.Requests;
    public bool IsReusable => inner.IsReusable;

    public Task<IReadOnlyList<KafkaPartitionInfo>> ListPartitionsAsync(IEnumerable<string> topicRegexes, CancellationToken cancellationToken = default) =>
        Call(() => inner.ListPartitionsAsync(topicRegexes, cancellationToken));

    public Task<IReadOnlyList<(string Topic, int Partition)>> ListPartitionsExactAsync(string topic, CancellationToken cancellationToken = default) =>
        Call(() => inner.ListPartitionsExactAsync(topic, cancellationToken));

    public Task<IReadOnlyDictionary<(string Topic, int Partition), long>> GetOffsetsAsync(IEnumerable<(string Topic, int Partition)> partitions,
        OffsetSpec spec, CancellationToken cancellationToken = default) =>
        Call(() => inner.GetOffsetsAsync(partitions, spec, cancellationToken));

    public Task<IReadOnlyList<KafkaRecordBytes>> ReadTopicAsync(string topic, CancellationToken cancellationToken = default) =>
        Call(() => inner.ReadTopicAsync(topic, cancellationToken));

    public Task<IReadOnlySet<(string Topic, int Partition)>> PartitionsWithRecordsAsync(
        IReadOnlyDictionary<(string Topic, int Partition), (long From, long To)> ranges, CancellationToken cancellationToken = default) =>
        Call(() => inner.PartitionsWithRecordsAsync(ranges, cancellationToken));

    public Task<IReadOnlyDictionary<(string Topic, int Partition), long?>> GetCommittedOffsetsAsync(string group,
        IEnumerable<(string Topic, int Partition)> partitions, CancellationToken cancellationToken = default) =>
        Call(() => inner.GetCommittedOffsetsAsync(group, partitions, cancellationToken));

    public Task<IReadOnlyDictionary<string, ConsumerGroupStatus>> DescribeGroupsAsync(IReadOnlyCollection<string> groups,
        CancellationToken cancellationToken = default) =>
        Call(() => inner.DescribeGroupsAsync(groups, cancellationToken));

    public Task AlterCommittedOffsetsAsync(string group, IReadOnlyDictionary<(string Topic, int Partition), long> offsets,
        CancellationToken cancellationToken = default) =>
        Call(async () => { await inner.AlterCommittedOffsetsAsync(group, offsets, cancellationToken).ConfigureAwait(false); return true; });

    public void Dispose()
    {
        try { inner.Dispose(); }
        catch (Exception e) { throw Detach(e); }
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try { return await call().ConfigureAwait(false); }
        catch (Exception e) { throw Detach(e); }
    }

    /// <summary>The same error as new objects, down the inner chain (which holds engine exceptions only, see <see cref="ClientErrorScrubber"/>).</summary>
    internal static Exception Detach(Exception e) => e switch
    {
        ReplicationException r => new ReplicationException(r.Kind, r.ErrorId, r.Message, r.Target, DetachInner(r.InnerException))
        {
            RecommendedAction = r.RecommendedAction,
        },
        ClientError c => new ClientError(c.ClientType, c.StatusCode, c.ErrorCode, c.Message, c.ClientStackTrace ?? c.StackTrace, DetachInner(c.InnerException)),
        OperationCanceledException o => new OperationCanceledException(o.Message, o.CancellationToken),
        _ => Detach(ClientErrorScrubber.SafeInner(e)!),
    };

    private static Exception? DetachInner(Exception? e) => e is null ? null : Detach(e);
}
