using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Kafka;
using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>
/// One 3-broker mock cluster for the Kafka test classes, seeded once with records whose offsets the tests know exactly.
/// </summary>
public sealed class KafkaClusterFixture : IDisposable
{
    public const string BigTopic = "big";
    public const int BigPartitions = 3000;
    /// <summary>payments[1] had its first records deleted (retention): its start offset is this.</summary>
    public const long PaymentsDeletedBefore = 3;

    public KafkaClusterFixture()
    {
        Cluster = new MockKafkaCluster(brokers: 3);
        Cluster.CreateTopic("orders.eu", 6);
        Cluster.CreateTopic("orders.us", 3);
        Cluster.CreateTopic("orders-archive", 2);
        Cluster.CreateTopic("payments", 4);
        Cluster.CreateTopic("__consumer_offsets", 3);
        Cluster.CreateTopic("mm2-offset-syncs.tgt.internal", 1);
        Cluster.CreateTopic(BigTopic, BigPartitions);

        foreach (var (key, end) in ExpectedEnd)
            if (end > 0) Cluster.Produce(key.Topic, key.Partition, (int)end, payloadBytes: 50);
        Cluster.Produce(BigTopic, 7, 5); // so the big topic's offsets are not all zero
        Cluster.DeleteRecords("payments", 1, PaymentsDeletedBefore);
    }

    public MockKafkaCluster Cluster { get; }

    /// <summary>End offset of every seeded partition of orders.eu, orders.us and payments.</summary>
    public static IReadOnlyDictionary<(string Topic, int Partition), long> ExpectedEnd { get; } = BuildExpectedEnd();

    public static ReplicationClusterReference Reference(string bootstrap) => ClusterReferenceFactory.Create(new()
    {
        Alias = "src",
        BootstrapServers = bootstrap,
        SecurityProtocol = SecurityProtocol.Plaintext,
    });

    public KafkaGateway Gateway(IOperationLog? log = null, int maxPartitionsPerRequest = 250) =>
        new(new KafkaClientSettings(Reference(Cluster.BootstrapServers)) { RequestTimeout = TimeSpan.FromSeconds(20) }, log)
        {
            MaxPartitionsPerRequest = maxPartitionsPerRequest,
        };

    public void Dispose() => Cluster.Dispose();

    private static Dictionary<(string, int), long> BuildExpectedEnd()
    {
        var end = new Dictionary<(string, int), long>();
        for (var p = 0; p < 6; p++) end[("orders.eu", p)] = 10 + p;
        for (var p = 0; p < 3; p++) end[("orders.us", p)] = 5 * p; // orders.us[0] stays empty
        for (var p = 0; p < 4; p++) end[("payments", p)] = 7;
        return end;
    }
}

[CollectionDefinition(Name)]
public sealed class KafkaClusterCollection : ICollectionFixture<KafkaClusterFixture>
{
    public const string Name = "Kafka mock cluster";
}
