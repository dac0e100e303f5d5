using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaReplication.TestBed.Kafka;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock cluster, started by a producer configured with
/// <c>test.mock.num.brokers</c> and living as long as that producer. Other clients reach it through
/// <see cref="BootstrapServers"/> as they would a real cluster. Broker ids are 1..<see cref="BrokerCount"/>.
/// The requests it serves are in confluentinc/librdkafka src/rdkafka_mock_handlers.c; it does not honour read_committed,
/// and ListConsumerGroups crashes the process: never call it on the mock (docs/failover.md: what the tests cannot show).
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly IProducer<Null, byte[]> _owner;
    private readonly MockClusterNative _native;
    private readonly IntPtr _cluster;
    private readonly int[] _ports;
    private readonly object _produceLock = new();
    private int _wakeUps;
    private bool _disposed;

    public MockKafkaCluster(int brokers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        BrokerCount = brokers;
        _owner = new ProducerBuilder<Null, byte[]>(new Dictionary<string, string>
            {
                ["test.mock.num.brokers"] = brokers.ToString(),
                ["linger.ms"] = "5",
                ["batch.num.messages"] = "10000",
                ["queue.buffering.max.messages"] = "1000000",
                ["enable.idempotence"] = "false",
            })
            .SetLogHandler((_, _) => { }) // librdkafka would print to stderr
            .Build();
        _native = MockClusterNative.Get();
        _cluster = _native.HandleMockClusterOf(LibrdkafkaHandle(_owner));
        if (_cluster == IntPtr.Zero) throw new InvalidOperationException("The client did not start a mock cluster.");
        BootstrapServers = Marshal.PtrToStringUTF8(_native.Bootstraps(_cluster))!;
        _ports = BootstrapServers.Split(',').Select(hp => int.Parse(hp[(hp.LastIndexOf(':') + 1)..])).ToArray();

        // Admin calls hang while the mock reports no controller; the first group join waits 3 s without the delay set to 0.
        _native.SetControllerId(_cluster, 1);
        _native.SetInitialRebalanceDelayMs(_cluster, 0);
    }

    /// <summary>host:port list of the mock brokers (127.0.0.1, ephemeral ports).</summary>
    public string BootstrapServers { get; }
    public int BrokerCount { get; }
    /// <summary>The librdkafka file the mock API is bound to (the one Confluent.Kafka loaded).</summary>
    public string NativeLibraryPath => _native.LibraryPath;
    /// <summary>Times a mock-API call stalled and the mock thread had to be woken (see <see cref="Call"/>).</summary>
    public int WakeUps => Volatile.Read(ref _wakeUps);

    /// <summary>Creates a topic (CreateTopics is not served by the mock). Replication factor defaults to min(3, brokers).</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 0)
    {
        var rf = replicationFactor > 0 ? replicationFactor : Math.Min(3, BrokerCount);
        Check(Call(() => _native.CreateTopic(_cluster, name, partitions, rf)), $"create topic '{name}'");
    }

    /// <summary>
    /// Appends <paramref name="count"/> records of <paramref name="payloadBytes"/> bytes to one partition and waits
    /// until all are acknowledged. Offsets therefore advance by exactly <paramref name="count"/>.
    /// </summary>
    public void Produce(string topic, int partition, int count, int payloadBytes = 100, DateTimeOffset? timestamp = null)
    {
        var message = new Message<Null, byte[]>
        {
            Value = new byte[payloadBytes],
            Timestamp = timestamp is { } t ? new Timestamp(t) : Timestamp.Default,
        };
        var target = new TopicPartition(topic, partition);
        Error? failure = null;
        void Report(DeliveryReport<Null, byte[]> r) { if (r.Error.IsError) failure ??= r.Error; }

        lock (_produceLock)
        {
            for (var i = 0; i < count; i++)
            {
                while (true)
                {
                    try { _owner.Produce(target, message, Report); break; }
                    catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        _owner.Poll(TimeSpan.FromMilliseconds(50)); // serves delivery reports, which frees queue space
                    }
                }
            }
            var left = _owner.Flush(TimeSpan.FromSeconds(30));
            if (left > 0) throw new TimeoutException($"{left} records to {target} were not acknowledged within 30 s.");
        }
        if (failure is not null) throw new InvalidOperationException($"Producing to {target} failed: {failure.Reason} [{failure.Code}]");
    }

    /// <summary>Moves the partition's start offset to <paramref name="beforeOffset"/>, as retention would.</summary>
    public void DeleteRecords(string topic, int partition, long beforeOffset) =>
        Check(Call(() => _native.DeleteRecordsBefore(_cluster, topic, partition, beforeOffset)), $"delete records of {topic}[{partition}]");

    /// <summary>Delays every response of a broker (-1: all brokers).</summary>
    public void SetRoundTripTime(int brokerId, TimeSpan rtt) =>
        Check(Call(() => _native.SetRtt(_cluster, brokerId, (int)rtt.TotalMilliseconds)), $"set RTT of broker {brokerId}");

    /// <summary>Disconnects a broker and refuses new connections (-1: all brokers); no leader change.</summary>
    public void SetBrokerDown(int brokerId) => Check(Call(() => _native.SetDown(_cluster, brokerId)), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(Call(() => _native.SetUp(_cluster, brokerId)), $"set broker {brokerId} up");

    /// <summary>Starts recording the requests the brokers receive, dropping any recorded before.</summary>
    public void StartRequestTracking()
    {
        Call(() => { _native.ClearRequests(_cluster); _native.StartTracking(_cluster); return 0; });
    }

    public void StopRequestTracking() => Call(() => { _native.StopTracking(_cluster); return 0; });

    /// <summary>The requests recorded since tracking started or since the last call, then forgets them.</summary>
    public IReadOnlyList<MockRequest> TakeRequests()
    {
        var result = new List<MockRequest>();
        Call(() =>
        {
            var array = _native.Requests(_cluster, out var count);
            try
            {
                for (var i = 0; i < (int)count; i++)
                {
                    var request = Marshal.ReadIntPtr(array, i * IntPtr.Size);
                    result.Add(new MockRequest(_native.ApiKeyOf(request), _native.BrokerIdOf(request)));
                }
            }
            finally
            {
                if (array != IntPtr.Zero) _native.DestroyRequestArray(array, count);
            }
            _native.ClearRequests(_cluster);
            return 0;
        });
        return result;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _owner.Dispose(); // destroys the mock cluster with its owner
    }

    /// <summary>
    /// Runs a mock-API call. These are handed to the mock cluster's thread, which now and then misses the wake-up
    /// and only serves them when its 1 s poll times out; a TCP connection to a mock broker wakes it at once.
    /// </summary>
    private T Call<T>(Func<T> call)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var task = Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (!task.Wait(TimeSpan.FromMilliseconds(20)))
        {
            Interlocked.Increment(ref _wakeUps);
            WakeMockThread();
        }
        return task.Result;
    }

    private void WakeMockThread()
    {
        foreach (var port in _ports)
        {
            try
            {
                using var poke = new TcpClient();
                poke.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException) { } // a broker set down refuses; try the next one
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0) throw new InvalidOperationException($"Mock cluster could not {what}: {(ErrorCode)error}");
    }

    // Handle.LibrdkafkaHandle (the rd_kafka_t*) is internal to Confluent.Kafka.
    private static IntPtr LibrdkafkaHandle(IClient client)
    {
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("Confluent.Kafka.Handle.LibrdkafkaHandle not found (Confluent.Kafka version changed?).");
        var handle = (SafeHandle)property.GetValue(client.Handle)!;
        return handle.DangerousGetHandle();
    }
}
