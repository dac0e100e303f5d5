using Confluent.Kafka;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Kafka;

public sealed partial class KafkaGateway
{
    /// <summary>
    /// Every committed record of a topic from its start to the end offsets taken when the call starts (records written
    /// later are not waited for). A partition is done when the consumer's position reaches its end offset, not when the
    /// record at end − 1 arrives: a partition written in transactions ends in a commit marker that no consumer receives.
    /// Assign-only consumer: no group joins, nothing is committed. A missing topic fails with KafkaTopicNotFound.
    /// Bounded by the request timeout per poll without progress, and cancellable.
    /// </summary>
    public async Task<IReadOnlyList<KafkaRecordBytes>> ReadTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        var partitions = await ListPartitionsExactAsync(topic, cancellationToken).ConfigureAwait(false);
        var ends = await GetOffsetsAsync(partitions, OffsetSpec.Latest, cancellationToken).ConfigureAwait(false);
        var starts = await GetOffsetsAsync(partitions, OffsetSpec.Earliest, cancellationToken).ConfigureAwait(false);
        var records = new List<KafkaRecordBytes>();
        await ScanAsync($"reading topic '{topic}'", partitions.ToDictionary(p => p, p => (starts[p], ends[p])), r =>
        {
            records.Add(new KafkaRecordBytes(r.Topic, r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Value, r.Message.Timestamp.UtcDateTime));
            return false;
        }, cancellationToken).ConfigureAwait(false);
        return records;
    }

    /// <summary>
    /// The partitions that hold at least one committed record in [From, To). Offsets there may be only transaction
    /// markers (or records of aborted transactions), which no read_committed consumer, MirrorMaker's included, ever
    /// receives: such a partition has nothing left to replicate although its end offset is past the last record.
    /// Reads at most one record per partition. Records of a transaction still open count as records (they will be
    /// replicated once committed).
    /// <para>What a scan finds is remembered (see <see cref="ScanMemo"/>; for <see cref="ScanMemoLifetime"/> at most,
    /// one entry per partition): a range read to its end without a record holds only markers for
    /// good, and a committed record read at R answers every later range that contains R. A later call asking about
    /// such a range does not read it again. Ranges cut short by an open transaction are always read. A From below
    /// the partition's start offset is read from the start, but the caller passes From no lower than the start
    /// offset it read, so that a remembered record that retention deleted is never used.</para>
    /// </summary>
    public async Task<IReadOnlySet<(string Topic, int Partition)>> PartitionsWithRecordsAsync(
        IReadOnlyDictionary<(string Topic, int Partition), (long From, long To)> ranges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var lifetime = ScanMemoLifetime;
        var question = _scanMemo.Answer(ranges, TimeProvider.GetUtcNow(), lifetime);
        var toRead = ranges;
        var found = new HashSet<(string, int)>();
        if (question.Entries.Count > 0)
        {
            var asked = ranges.Count(r => r.Value.To > r.Value.From);
            var withRecords = question.KnownWithRecords;
            _log.Verbose($"Kafka: {question.Entries.Count} of {asked} partitions not read again: {question.Entries.Count - withRecords.Count} known to hold only transaction markers, {withRecords.Count} a record.");
            found.UnionWith(withRecords);
            toRead = ranges.Where(r => !question.Entries.ContainsKey(r.Key)).ToDictionary(r => r.Key, r => r.Value);
        }
        var records = new Dictionary<(string, int), long>();
        var open = await ScanAsync("looking for records past the replicated offsets", toRead, r =>
        {
            records[(r.Topic, r.Partition.Value)] = r.Offset.Value;
            return true;
        }, cancellationToken).ConfigureAwait(false);
        found.UnionWith(records.Keys);
        found.UnionWith(open);
        // Read to To without a record, and not cut short by an open transaction: only markers, for good.
        _scanMemo.Remember(toRead.Where(r => r.Value.To > r.Value.From && !found.Contains(r.Key)), TimeProvider.GetUtcNow(), lifetime, records);
        return found;
    }

    /// <summary>How long what a scan found is remembered, used or not (zero: never). Bounds how long a topic deleted
    /// and created again under the same name can be answered from the old log.</summary>
    public TimeSpan ScanMemoLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock of <see cref="ScanMemoLifetime"/> (tests replace it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Partitions with a remembered scan result now.</summary>
    internal int ScanMemoEntries => _scanMemo.Count;

    private readonly ScanMemo _scanMemo = new();

    /// <summary>
    /// Reads each partition from From with a read_committed consumer until its position reaches To, the partition's
    /// end is reported (EOF: under read_committed that is the last stable offset, so an open transaction ends the read
    /// early), or <paramref name="onRecord"/> returns true. Returns the partitions whose read ended before To because
    /// of an open transaction.
    /// </summary>
    private async Task<IReadOnlySet<(string Topic, int Partition)>> ScanAsync(string what,
        IReadOnlyDictionary<(string Topic, int Partition), (long From, long To)> ranges,
        Func<ConsumeResult<byte[], byte[]>, bool> onRecord, CancellationToken cancellationToken)
    {
        var pending = ranges.Where(r => r.Value.To > r.Value.From).ToDictionary(r => r.Key, r => r.Value);
        if (pending.Count == 0) return new HashSet<(string, int)>();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var count = pending.Count;
        Requests.Scanned(count);
        // Consumers of at most ScanPartitionsPerConsumer partitions, a few at a time: one consumer over tens of
        // thousands of partitions slowed down far more than linearly (48,000 partitions: 17.6 s, in the cmdlet
        // benchmark), as every fetch request carries every assigned partition of its broker.
        var gate = new object();
        bool OnRecord(ConsumeResult<byte[], byte[]> r) { lock (gate) return onRecord(r); }
        var chunks = pending.Chunk(ScanPartitionsPerConsumer).Select(c => c.ToDictionary(p => p.Key, p => p.Value)).ToList();
        var read = Task.Run(async () =>
        {
            using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var slots = new SemaphoreSlim(MaxScanConsumers);
            var scans = chunks.Select(chunk => Task.Run(async () =>
            {
                await slots.WaitAsync(stopAll.Token).ConfigureAwait(false);
                try
                {
                    // A thread of its own: a scan blocks in Consume until it is done, and 3–4 of them on the thread
                    // pool of a 2-core machine wait for the pool to add threads (in a test of 3 scans, the third
                    // started 150 ms late).
                    return await Task.Factory.StartNew(() => ScanChunk(what, chunk, OnRecord, stopAll.Token),
                        CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
                }
                catch { stopAll.Cancel(); throw; }
                finally { slots.Release(); }
            }, CancellationToken.None)).ToList();
            try
            {
                await Task.WhenAll(scans).ConfigureAwait(false);
            }
            catch
            {
                // The first real failure, not the cancellations it caused in the other chunks.
                var failed = scans.FirstOrDefault(t => t.IsFaulted && t.Exception!.InnerException is not OperationCanceledException);
                if (failed is not null) await failed.ConfigureAwait(false);
                throw;
            }
            var endedEarly = new HashSet<(string, int)>();
            foreach (var t in scans) endedEarly.UnionWith(t.Result);
            return (IReadOnlySet<(string, int)>)endedEarly;
        }, cancellationToken);
        // A cancelled caller stops waiting at once; the consumer closes on its own thread (its close can take seconds).
        try
        {
            var result = await AwaitAsync(read, cancellationToken).ConfigureAwait(false);
            _log.Verbose($"Kafka: {what} in {count} partitions, {clock.ElapsedMilliseconds} ms.");
            return result;
        }
        catch (Exception e) when (e is not ReplicationException and not OperationCanceledException)
        {
            _faulted = true;
            throw KafkaErrors.Map(e, Settings, what, _lastBrokerError);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    /// <summary>Most partitions one scan consumer is assigned.</summary>
    internal const int ScanPartitionsPerConsumer = 2_000;

    /// <summary>Most scan consumers at once.</summary>
    internal const int MaxScanConsumers = 4;

    private IReadOnlySet<(string Topic, int Partition)> ScanChunk(string what, Dictionary<(string Topic, int Partition), (long From, long To)> pending,
        Func<ConsumeResult<byte[], byte[]>, bool> onRecord, CancellationToken cancellationToken)
    {
        var endedEarly = new HashSet<(string, int)>();
        // A consumer per chunk: one reused across scans stalled for about 1 s on most re-assigns (librdkafka 2.16,
        // seen in the cmdlet benchmark), more than a new client costs.
        var consumer = BuildScanner();
        try
        {
            consumer.Assign(pending.Select(p => new TopicPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value.From)));
            var idleSince = DateTime.UtcNow;
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r is null)
                {
                    if (DateTime.UtcNow - idleSince > Settings.EffectiveRequestTimeout)
                        throw KafkaErrors.DeadlineExceeded(Settings, what, _lastBrokerError, Settings.EffectiveRequestTimeout, reachedBefore: true);
                    continue;
                }
                idleSince = DateTime.UtcNow;
                var key = (r.Topic, r.Partition.Value);
                if (!pending.TryGetValue(key, out var range)) continue;
                if (r.IsPartitionEOF)
                {
                    // At the end there is nothing more to read now: past To, or an open transaction holds the rest.
                    if (r.Offset.Value < range.To) endedEarly.Add(key);
                    pending.Remove(key);
                    continue;
                }
                if (r.Offset.Value >= range.To) { pending.Remove(key); continue; }
                var stop = onRecord(r);
                // A finished partition is not paused (a pause costs about 0.1 ms each, too much for thousands of
                // partitions): whatever it still delivers is skipped above.
                if (stop || r.Offset.Value + 1 >= range.To) pending.Remove(key);
            }
            return (IReadOnlySet<(string, int)>)endedEarly;
        }
        finally
        {
            // Assign-only: no group to leave and nothing to commit, so no Close(); destroying the client takes a
            // few hundred ms (its threads end), which the caller does not wait for.
            CloseInBackground(consumer);
        }
    }

    /// <summary>An assign-only read_committed consumer for one scan.</summary>
    private IConsumer<byte[], byte[]> BuildScanner()
    {
        var config = new Dictionary<string, string>(Settings.Build())
        {
            // group.id is only there because the client wants one; assign() never joins and nothing is committed.
            ["group.id"] = "kafkareplication-reader",
            ["enable.auto.commit"] = "false",
            // EOF carries the fetch position, which moves past transaction markers; a record's offset never does.
            ["enable.partition.eof"] = "true",
            // Skip aborted transactions, as MirrorMaker's consumers do with exactly-once
            // (apache/kafka connect/mirror/.../MirrorSourceConnector.java requires read_committed for it).
            ["isolation.level"] = "read_committed",
            // A range of only transaction markers returns no record: the broker would hold such a fetch for
            // fetch.wait.max.ms (500 ms by default) before answering (librdkafka CONFIGURATION.md).
            ["fetch.wait.max.ms"] = "10",
            // A From below the log start (records deleted by retention since the offsets were read) reads from the
            // start; librdkafka's default (latest) would skip to the end, past records, and the range would look
            // marker-only (and be remembered as such).
            ["auto.offset.reset"] = "earliest",
            // Scans read a record or two per partition over thousands of partitions: small fetches.
            ["max.partition.fetch.bytes"] = "65536",
        };
        return new ConsumerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, m) => OnLog(m))
            .SetErrorHandler((_, e) => OnError(e))
            .Build();
    }

    /// <summary>librdkafka's destroy waits for its threads (a few hundred ms): never on the caller's path.</summary>
    private void CloseInBackground(IConsumer<byte[], byte[]> consumer) =>
        Closing.InBackground(() =>
        {
            try { consumer.Dispose(); }
            catch (Exception e) { _log.Verbose($"Kafka: closing the reader of {Settings.Cluster.Alias} failed: {e.Message}"); }
        });

    /// <summary>The partitions of exactly this topic (internal topics included, unlike <see cref="ListPartitionsAsync"/>).</summary>
    public async Task<IReadOnlyList<(string Topic, int Partition)>> ListPartitionsExactAsync(string topic, CancellationToken cancellationToken = default)
    {
        var snapshot = await RunAsync("a metadata request", RefreshMetadataAsync, cancellationToken).ConfigureAwait(false);
        if (!snapshot.Topics.TryGetValue(topic, out var partitions) || partitions.Count == 0)
            throw new ReplicationException(ReplicationErrorKind.NotFound, "KafkaTopicNotFound", $"Kafka cluster {Settings} has no topic '{topic}'.", topic);
        return partitions.Select(p => p.Key).ToList();
    }
}
