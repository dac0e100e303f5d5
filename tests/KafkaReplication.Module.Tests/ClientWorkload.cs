using System.Collections.Concurrent;
using Confluent.Kafka;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// The applications a failover moves: one producer writing numbered records ("r0", "r1", …) to topic 'orders', and one
/// consumer of group billing that commits after every poll. Both are real Confluent.Kafka clients; the runbook's hooks
/// call Start*/Stop* to move them between clusters. The consumer assigns partitions itself (no group membership: the
/// mock cannot alter offsets of a group that had members, and MirrorMaker would skip an active group anyway).
/// </summary>
public sealed class ClientWorkload : IDisposable
{
    public const string Group = "billing";
    private readonly ConcurrentQueue<string> _produced = new();
    private readonly ConcurrentQueue<string> _consumed = new();
    private (CancellationTokenSource Stop, Task Loop)? _producer;
    private (CancellationTokenSource Stop, Task Loop)? _consumer;
    private int _next;

    public IReadOnlyList<string> Produced => _produced.ToList();
    public IReadOnlyList<string> Consumed => _consumed.ToList();
    public int ConsumedCount => _consumed.Count;
    public int ConsumedDistinct => _consumed.Distinct().Count();
    private readonly object _logGate = new();
    private string _log = "";
    /// <summary>What the clients did, for failure messages (written from the hooks and the consumer loop).</summary>
    public string Log { get { lock (_logGate) return _log; } }
    private void Note(string line) { lock (_logGate) _log += line + "; "; }
    /// <summary>Per consumer session: where each partition started (committed offset; null: none) and where it stopped.</summary>
    public List<(Dictionary<(string Topic, int Partition), long?> From, Dictionary<(string Topic, int Partition), long> To)> Sessions { get; } = new();

    /// <summary>Produces to 'orders' on <paramref name="bootstrap"/>, round robin over 3 partitions, each record acknowledged.</summary>
    public void StartProducing(string bootstrap)
    {
        StopProducing();
        Note($"produce on {bootstrap}");
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            using var p = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = false, LingerMs = 0 })
                .SetLogHandler((_, _) => { }).Build();
            while (!stop.IsCancellationRequested)
            {
                var value = $"r{_next}";
                await p.ProduceAsync(new TopicPartition("orders", _next % 3), new Message<string, string> { Key = "w", Value = value });
                _produced.Enqueue(value);
                _next++;
                await Task.Delay(2); // pacing of the workload, not a wait for anything
            }
        });
        _producer = (stop, loop);
    }

    public void StopProducing() => Stop(ref _producer);

    /// <summary>Consumes the topics' 3 partitions from the group's committed offsets (earliest where none), committing after each poll.</summary>
    public void StartConsuming(string bootstrap, params string[] topics)
    {
        StopConsuming();
        Note($"consume {string.Join(",", topics)} on {bootstrap}");
        var stop = new CancellationTokenSource();
        var loop = Task.Run(() =>
        {
            using var c = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = bootstrap, GroupId = Group, EnableAutoCommit = false,
                AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoOffsetStore = true,
            }).SetLogHandler((_, _) => { }).Build();
            var partitions = topics.SelectMany(t => Enumerable.Range(0, 3).Select(p => new TopicPartition(t, p))).ToList();
            var from = c.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(o => (o.Topic, o.Partition.Value), o => o.Offset.Value >= 0 ? (long?)o.Offset.Value : null);
            Note("from " + string.Join(",", from.Select(o => $"{o.Key.Topic}[{o.Key.Value}]@{o.Value}")));
            c.Assign(partitions);
            var uncommitted = 0;
            while (!stop.IsCancellationRequested)
            {
                var r = c.Consume(TimeSpan.FromMilliseconds(50));
                if (r is not null && !r.IsPartitionEOF)
                {
                    if (r.Message.Key == "w") _consumed.Enqueue(r.Message.Value);
                    if (++uncommitted < 50) continue;
                }
                if (uncommitted > 0) { c.Commit(); uncommitted = 0; }
            }
            if (uncommitted > 0) c.Commit(); // a graceful stop commits the final position, as the guide asks
            var to = c.Assignment.ToDictionary(tp => (tp.Topic, tp.Partition.Value), tp => c.Position(tp).Value);
            Sessions.Add((from, to));
            Note("stopped at " + string.Join(",", to.Select(o => $"{o.Key.Topic}[{o.Key.Value}]@{o.Value}")));
            c.Close();
        });
        _consumer = (stop, loop);
    }

    public void StopConsuming() => Stop(ref _consumer);

    private static void Stop(ref (CancellationTokenSource Stop, Task Loop)? client)
    {
        if (client is not { } c) return;
        client = null;
        c.Stop.Cancel();
        c.Loop.GetAwaiter().GetResult(); // surfaces a client failure in the hook that stopped it
        c.Stop.Dispose();
    }

    public void Dispose()
    {
        try { StopProducing(); } catch (Exception) { /* the test already failed */ }
        try { StopConsuming(); } catch (Exception) { }
    }
}
