using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Kafka;
using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>Partitions and offsets read through the real Confluent.Kafka client from a seeded 3-broker mock cluster.</summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class KafkaGatewayTests
{
    private readonly KafkaClusterFixture _kafka;
    public KafkaGatewayTests(KafkaClusterFixture kafka) => _kafka = kafka;

    private static readonly (string, int)[] Seeded = KafkaClusterFixture.ExpectedEnd.Keys.ToArray();

    [Fact]
    public async Task ListPartitions_matches_whole_topic_names_and_leaves_out_internal_topics()
    {
        using var gateway = _kafka.Gateway();

        var selected = await gateway.ListPartitionsAsync(new[] { @"orders\..*", "payments" });

        Assert.Equal(Seeded.OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2), selected.Select(p => p.Key));
        Assert.All(selected, p => Assert.InRange(p.LeaderId, 1, 3));
        Assert.All(selected, p => Assert.Equal(3, p.Replicas.Count));
        Assert.Equal(1, gateway.Requests.MetadataCalls);

        // "pay" is not a prefix match, and ".*" still skips __consumer_offsets and *.internal as MirrorMaker does.
        Assert.Empty(await gateway.ListPartitionsAsync(new[] { "pay" }));
        var all = (await gateway.ListPartitionsAsync(new[] { ".*" })).Select(p => p.Topic).Distinct().ToList();
        Assert.Equal(new[] { "big", "orders-archive", "orders.eu", "orders.us", "payments" }, all);
    }

    [Fact]
    public async Task ListPartitions_refuses_an_invalid_regex_before_any_request()
    {
        using var gateway = _kafka.Gateway();
        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.ListPartitionsAsync(new[] { "orders[" }));
        Assert.Equal(("InvalidTopicRegex", ReplicationErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
        Assert.Equal(0, gateway.Requests.MetadataCalls);
    }

    [Fact]
    public async Task End_offsets_are_exact_for_every_seeded_partition()
    {
        using var gateway = _kafka.Gateway();

        var end = await gateway.GetOffsetsAsync(Seeded, OffsetSpec.Latest);

        Assert.Equal(KafkaClusterFixture.ExpectedEnd.OrderBy(kv => kv.Key), end.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task Start_offsets_are_zero_except_where_records_were_deleted()
    {
        using var gateway = _kafka.Gateway();

        var start = await gateway.GetOffsetsAsync(Seeded, OffsetSpec.Earliest);

        Assert.Equal(KafkaClusterFixture.PaymentsDeletedBefore, start[("payments", 1)]);
        Assert.All(start.Where(kv => kv.Key != ("payments", 1)), kv => Assert.Equal(0, kv.Value));
        Assert.Equal(Seeded.Length, start.Count);
    }

    [Fact]
    public async Task Offsets_for_a_timestamp_fall_back_to_the_end_where_no_record_is_that_recent()
    {
        // The mock answers every timestamp query with "no such record" (-1): what Kafka answers for a time after the
        // last record. The gateway then gives the end offset, as kafka-consumer-groups --to-datetime does.
        using var gateway = _kafka.Gateway();

        var atTime = await gateway.GetOffsetsAsync(Seeded, OffsetSpec.AtTimestamp(DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Equal(KafkaClusterFixture.ExpectedEnd.OrderBy(kv => kv.Key), atTime.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task Unknown_topics_and_partitions_are_NotFound_without_asking_for_offsets()
    {
        using var gateway = _kafka.Gateway();

        var topic = await Assert.ThrowsAsync<ReplicationException>(() => gateway.GetOffsetsAsync(new[] { ("orders.eu", 0), ("no-such-topic", 0) }, OffsetSpec.Latest));
        var partition = await Assert.ThrowsAsync<ReplicationException>(() => gateway.GetOffsetsAsync(new[] { ("orders.eu", 6) }, OffsetSpec.Latest));

        Assert.Equal(("KafkaTopicNotFound", ReplicationErrorKind.NotFound), (topic.ErrorId, topic.Kind));
        Assert.Contains("'no-such-topic'", topic.Message);
        Assert.Equal(("KafkaPartitionNotFound", ReplicationErrorKind.NotFound), (partition.ErrorId, partition.Kind));
        Assert.Contains("'orders.eu[6]'", partition.Message);
        Assert.Equal(0, gateway.Requests.ListOffsetsCalls);
    }

    [Fact]
    public async Task No_partitions_means_no_requests()
    {
        using var gateway = _kafka.Gateway();
        Assert.Empty(await gateway.GetOffsetsAsync(Array.Empty<(string, int)>(), OffsetSpec.Latest));
        Assert.Equal(0, gateway.Requests.MetadataCalls + gateway.Requests.ListOffsetsCalls);
    }

    [Theory]
    [InlineData(250)]
    [InlineData(1000)]
    public async Task Requests_for_3000_partitions_are_bounded_by_brokers_times_batches(int batch)
    {
        using var gateway = _kafka.Gateway(maxPartitionsPerRequest: batch);
        var partitions = await gateway.ListPartitionsAsync(new[] { KafkaClusterFixture.BigTopic });
        var perLeader = partitions.GroupBy(p => p.LeaderId).Select(g => g.Count()).ToList();
        var expectedCalls = perLeader.Sum(n => (n + batch - 1) / batch);
        _kafka.Cluster.StartRequestTracking();

        var end = await gateway.GetOffsetsAsync(partitions.Select(p => p.Key), OffsetSpec.Latest);
        var onTheWire = _kafka.Cluster.TakeRequests();
        _kafka.Cluster.StopRequestTracking();

        Assert.Equal(KafkaClusterFixture.BigPartitions, end.Count);
        Assert.Equal(5, end[(KafkaClusterFixture.BigTopic, 7)]);
        Assert.Equal(expectedCalls, gateway.Requests.ListOffsetsCalls);
        Assert.True(expectedCalls <= 3 * ((perLeader.Max() + batch - 1) / batch));
        Assert.Equal(1, gateway.Requests.MetadataCalls); // leaders from ListPartitions were reused
        Assert.InRange(gateway.Requests.PeakConcurrentListOffsets, 1, gateway.MaxConcurrentRequests);
        // One ListOffsets request per call, each to one leader. librdkafka looks leaders up again in its own cache and
        // may refresh it (a metadata request or two, whatever the partition count).
        Assert.Equal(expectedCalls, onTheWire.Count(r => r.ApiKey == KafkaApiKeys.ListOffsets));
        Assert.InRange(onTheWire.Count(r => r.ApiKey == KafkaApiKeys.Metadata), 0, 3);
        Assert.Equal(perLeader.Count, onTheWire.Where(r => r.ApiKey == KafkaApiKeys.ListOffsets).Select(r => r.BrokerId).Distinct().Count());
    }
}
