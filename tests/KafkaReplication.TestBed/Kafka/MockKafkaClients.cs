using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaReplication.TestBed.Kafka;

/// <summary>What tests do to a mock cluster through real clients: raw records, committed offsets of member-less groups.</summary>
public static class MockKafkaClients
{
    public static void ProduceRaw(this MockKafkaCluster cluster, string topic, int partition, byte[]? key, byte[]? value, Headers? headers = null)
    {
        using var p = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = false })
            .SetLogHandler((_, _) => { }).Build();
        p.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers ?? new Headers() })
            .GetAwaiter().GetResult();
    }

    /// <summary>
    /// Writes records to one partition in one transaction, as an exactly-once producer (or MirrorMaker with
    /// exactly-once) does: the commit (or abort) marker takes the next offset, so the partition's end offset is one
    /// past the last record and no consumer ever receives a record at end − 1.
    /// </summary>
    public static void ProduceInTransaction(this MockKafkaCluster cluster, string topic, int partition, IEnumerable<(byte[]? Key, byte[]? Value)> records, bool commit = true)
    {
        using var p = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                TransactionalId = $"testbed-{Guid.NewGuid():N}",
            })
            .SetLogHandler((_, _) => { }).Build();
        p.InitTransactions(TimeSpan.FromSeconds(30));
        p.BeginTransaction();
        foreach (var (key, value) in records)
            p.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value });
        p.Flush(TimeSpan.FromSeconds(30));
        if (commit) p.CommitTransaction(TimeSpan.FromSeconds(30));
        else p.AbortTransaction(TimeSpan.FromSeconds(30));
    }

    /// <summary><paramref name="count"/> records of 100 zero bytes in one committed transaction.</summary>
    public static void ProduceInTransaction(this MockKafkaCluster cluster, string topic, int partition, int count) =>
        cluster.ProduceInTransaction(topic, partition, Enumerable.Range(0, count).Select(_ => ((byte[]?)null, (byte[]?)new byte[100])));

    /// <summary>Commits offsets for a group without members (the mock refuses it for a group that has or had members).</summary>
    public static void CommitGroup(this MockKafkaCluster cluster, string group, params (string Topic, int Partition, long Offset)[] offsets)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        admin.AlterConsumerGroupOffsetsAsync(new[]
        {
            new ConsumerGroupTopicPartitionOffsets(group, offsets.Select(o => new TopicPartitionOffset(o.Topic, o.Partition, o.Offset)).ToList()),
        }).GetAwaiter().GetResult();
    }

    /// <summary>A group's committed offsets on explicit partitions (null where none).</summary>
    public static IReadOnlyDictionary<(string, int), long?> Committed(this MockKafkaCluster cluster, string group, params (string Topic, int Partition)[] partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var r = admin.ListConsumerGroupOffsetsAsync(new[]
        {
            new ConsumerGroupTopicPartitions(group, partitions.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList()),
        }).GetAwaiter().GetResult();
        return r.SelectMany(x => x.Partitions).ToDictionary(p => (p.Topic, p.Partition.Value), p => p.Offset.Value >= 0 ? (long?)p.Offset.Value : null);
    }
}

public static class MockKafkaWatermarks
{
    /// <summary>The partition's end offset (high watermark).</summary>
    public static long EndOffset(this MockKafkaCluster cluster, string topic, int partition)
    {
        using var c = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "watermarks" })
            .SetLogHandler((_, _) => { }).Build();
        return c.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value;
    }
}
