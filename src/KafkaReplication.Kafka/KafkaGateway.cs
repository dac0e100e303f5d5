using System.Diagnostics;
using Confluent.Kafka;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Kafka;

/// <summary>
/// The engine's access to one Kafka cluster: topic partitions, offsets and consumer-group offsets, through one
/// admin client created on first use. Every operation is bounded by <see cref="KafkaClientSettings.EffectiveRequestTimeout"/>
/// and cancellable; errors come out as <see cref="ReplicationException"/>. Safe for concurrent use.
/// </summary>
public sealed partial class KafkaGateway : IKafkaGateway
{
    private readonly object _gate = new();
    private readonly IOperationLog _log;
    private IAdminClient? _admin;
    private volatile bool _faulted;
    private int _inFlight;
    private MetadataSnapshot? _metadata;
    private volatile string? _lastBrokerError;
    private volatile bool _reached;
    private bool _disposed;

    /// <param name="limits">The module's per-request limit; when given it replaces the settings' request timeout (<see cref="KafkaClientSettings.WithLimits"/>).</param>
    public KafkaGateway(KafkaClientSettings settings, IOperationLog? log = null, RequestLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = limits is null ? settings : settings.WithLimits(limits);
        _log = log ?? NullOperationLog.Instance;
    }

    public KafkaClientSettings Settings { get; }

    /// <summary>Requests this gateway has made (for tests and benchmarks).</summary>
    public KafkaRequestCounters Requests { get; } = new();

    /// <summary>Most partitions in one ListOffsets call (1-1000). Small calls are cheaper in librdkafka; see docs/performance.md.</summary>
    public int MaxPartitionsPerRequest
    {
        get => _maxPartitionsPerRequest;
        init => _maxPartitionsPerRequest = value is >= 1 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPartitionsPerRequest), "1-1000");
    }
    private readonly int _maxPartitionsPerRequest = 250;

    /// <summary>Most ListOffsets calls in flight at once. High enough that a query of some 10,000 partitions goes out
    /// in one wave (each wave costs a network round trip); still a bound for very large clusters.</summary>
    public int MaxConcurrentRequests
    {
        get => _maxConcurrentRequests;
        init => _maxConcurrentRequests = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRequests));
    }
    private readonly int _maxConcurrentRequests = 64;

    /// <summary>How long partition leaders learnt from a metadata response are reused to split offset queries.
    /// Stale leaders cost extra requests, never wrong answers (librdkafka routes each partition itself).</summary>
    public TimeSpan MetadataMaxAge { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Partitions of the topics MirrorMaker 2 would select with these <c>topics</c> entries: each entry is a regex
    /// matched against the whole topic name, and internal topics (__consumer_offsets, *.internal, ...) are left out.
    /// One metadata request. Ordered by topic, then partition.
    /// </summary>
    public async Task<IReadOnlyList<KafkaPartitionInfo>> ListPartitionsAsync(IEnumerable<string> topicRegexes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicRegexes);
        var filter = TopicFilter.Create(topicRegexes);
        var snapshot = await RunAsync("a metadata request", RefreshMetadataAsync, cancellationToken).ConfigureAwait(false);
        return snapshot.Topics
            .Where(t => filter.Selects(t.Key))
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .SelectMany(t => t.Value)
            .ToList();
    }

    public void Dispose()
    {
        IAdminClient? admin;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            admin = _admin;
            _admin = null;
        }
        // librdkafka's destroy waits for requests in flight (up to their timeout): never on the caller's thread.
        if (admin is not null)
            Closing.InBackground(() =>
            {
                try { admin.Dispose(); }
                catch (Exception e) { _log.Verbose($"Kafka: closing the admin client of {Settings.Cluster.Alias} failed: {e.Message}"); }
            });
    }

    /// <summary>Runs one operation under the request timeout; maps errors, keeps the caller's cancellation as is.</summary>
    private async Task<T> RunAsync<T>(string operation, Func<IAdminClient, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var limit = _reached ? Settings.EffectiveRequestTimeout : Settings.FirstContactTimeout;
        var admin = Admin();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var result = await work(admin, deadline.Token).ConfigureAwait(false);
            _reached = true;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _faulted = true;
            throw;
        }
        catch (OperationCanceledException)
        {
            _faulted = true;
            throw KafkaErrors.DeadlineExceeded(Settings, operation, _lastBrokerError, limit, _reached);
        }
        catch (Exception e) when (e is not ReplicationException)
        {
            _faulted = true;
            throw KafkaErrors.Map(e, Settings, operation, _lastBrokerError);
        }
        catch
        {
            _faulted = true;
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>
    /// Whether a later invocation may use this gateway: not disposed, nothing in flight, and no call failed, timed out
    /// or was cancelled (a native request may still be running, or the client may be in a state nobody checked).
    /// </summary>
    public bool IsReusable
    {
        get { lock (_gate) return !_disposed && !_faulted && Volatile.Read(ref _inFlight) == 0; }
    }

    /// <summary>Awaits a Confluent task that takes no token: the wait stops on cancellation, the native request runs
    /// out on its own timeout, and its late failure is observed so it never surfaces as an unobserved exception.</summary>
    private static async Task<T> AwaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        if (!task.IsCompleted)
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private IAdminClient Admin()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_admin is not null) return _admin;
            _log.Verbose($"Kafka: connecting an admin client to {Settings}.");
            var config = Settings.Build();
            try
            {
                _admin = new AdminClientBuilder(config)
                    .SetLogHandler((_, m) => OnLog(m))
                    .SetErrorHandler((_, e) => OnError(e))
                    .Build();
            }
            catch (Exception e) when (e is not ReplicationException)
            {
                throw new ReplicationException(ReplicationErrorKind.InvalidArgument, "InvalidKafkaConfig",
                    $"Kafka client settings for cluster {Settings} were refused: {e.Message}", Settings.Cluster.Alias, e);
            }
            return _admin;
        }
    }

    // librdkafka would write these to stderr; the messages name brokers and errors, never credentials.
    private void OnLog(LogMessage m)
    {
        if (m.Level <= SyslogLevel.Warning) _log.Verbose($"librdkafka {m.Level} {m.Facility}: {m.Message}");
    }

    private void OnError(Error e)
    {
        // "N/M brokers are down" follows the error that says why (e.g. "Connect to ... failed: Connection refused"): keep that one.
        if (e.Code != ErrorCode.Local_AllBrokersDown || _lastBrokerError is null)
            _lastBrokerError = e.Reason;
        _log.Verbose($"Kafka: {e.Reason} [{e.Code}]");
    }

    private async Task<MetadataSnapshot> RefreshMetadataAsync(IAdminClient admin, CancellationToken cancellationToken)
    {
        Requests.Metadata();
        var timeout = _reached ? Settings.EffectiveRequestTimeout : Settings.FirstContactTimeout;
        var metadata = await AwaitAsync(Task.Run(() => admin.GetMetadata(timeout), CancellationToken.None), cancellationToken).ConfigureAwait(false);
        var snapshot = MetadataSnapshot.From(metadata);
        _reached = true;
        Volatile.Write(ref _metadata, snapshot);
        _log.Verbose($"Kafka: metadata of {Settings.Cluster.Alias}: {snapshot.BrokerCount} brokers, {snapshot.Topics.Count} topics.");
        return snapshot;
    }

    /// <summary>The latest metadata if it is recent enough and knows every partition asked about; else a fresh one.</summary>
    private async Task<MetadataSnapshot> MetadataForAsync(IAdminClient admin, IEnumerable<(string Topic, int Partition)> wanted, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _metadata);
        if (current is not null && current.Age < MetadataMaxAge && wanted.All(p => current.Find(p.Topic, p.Partition) is not null))
            return current;
        return await RefreshMetadataAsync(admin, cancellationToken).ConfigureAwait(false);
    }

    private sealed class MetadataSnapshot
    {
        private readonly long _taken = Stopwatch.GetTimestamp();

        public required int BrokerCount { get; init; }
        public required IReadOnlyDictionary<string, IReadOnlyList<KafkaPartitionInfo>> Topics { get; init; }
        public TimeSpan Age => Stopwatch.GetElapsedTime(_taken);

        public KafkaPartitionInfo? Find(string topic, int partition)
        {
            if (!Topics.TryGetValue(topic, out var partitions)) return null;
            // Partition ids are 0..n-1 in practice; the scan only covers an unusual layout.
            if (partition >= 0 && partition < partitions.Count && partitions[partition].Partition == partition) return partitions[partition];
            return partitions.FirstOrDefault(p => p.Partition == partition);
        }

        public static MetadataSnapshot From(Metadata m) => new()
        {
            BrokerCount = m.Brokers.Count,
            Topics = m.Topics
                .Where(t => t.Error.Code != ErrorCode.UnknownTopicOrPart)
                .ToDictionary(t => t.Topic, t => (IReadOnlyList<KafkaPartitionInfo>)t.Partitions
                    .OrderBy(p => p.PartitionId)
                    .Select(p => new KafkaPartitionInfo(t.Topic, p.PartitionId, p.Leader, p.Replicas, p.InSyncReplicas))
                    .ToList(), StringComparer.Ordinal),
        };
    }
}
