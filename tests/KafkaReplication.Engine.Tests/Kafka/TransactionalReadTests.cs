using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Kafka;
using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>
/// Reads of partitions that end in a transaction marker (what an exactly-once producer, MirrorMaker's included, leaves):
/// the marker takes an offset that no consumer receives. Own mock cluster, so the shared fixture's offsets stay exact.
/// </summary>
public sealed class TransactionalReadTests : IDisposable
{
    private readonly MockKafkaCluster _cluster = new(brokers: 1);

    public void Dispose() => _cluster.Dispose();

    // A short timeout: before the fix the read waited for a record at end − 1 that never comes, and timed out.
    private KafkaGateway Gateway() =>
        new(new KafkaClientSettings(KafkaClusterFixture.Reference(_cluster.BootstrapServers)) { RequestTimeout = TimeSpan.FromSeconds(8) });

    [Fact]
    public async Task A_topic_that_ends_in_a_commit_marker_is_read_to_its_end()
    {
        _cluster.CreateTopic("tx", 2);
        _cluster.ProduceInTransaction("tx", 0, 3);
        _cluster.ProduceInTransaction("tx", 1, 2);
        _cluster.ProduceInTransaction("tx", 1, 1);
        Assert.Equal(4, _cluster.EndOffset("tx", 0)); // 3 records and the commit marker
        Assert.Equal(5, _cluster.EndOffset("tx", 1)); // 2 + marker, 1 + marker
        using var gateway = Gateway();

        var records = await gateway.ReadTopicAsync("tx");

        Assert.Equal(new long[] { 0, 1, 2 }, records.Where(r => r.Partition == 0).Select(r => r.Offset));
        Assert.Equal(new long[] { 0, 1, 3 }, records.Where(r => r.Partition == 1).Select(r => r.Offset));
    }

    [Fact]
    public async Task Only_partitions_with_records_past_the_given_offset_are_reported_markers_do_not_count()
    {
        _cluster.CreateTopic("mixed", 3);
        _cluster.ProduceInTransaction("mixed", 0, 3);  // 0..2 records, 3 marker
        _cluster.ProduceInTransaction("mixed", 1, 3);
        _cluster.ProduceInTransaction("mixed", 1, 2);  // 4..5 records, 6 marker
        _cluster.Produce("mixed", 2, 5);               // plain records 0..4
        using var gateway = Gateway();

        var withRecords = await gateway.PartitionsWithRecordsAsync(new Dictionary<(string, int), (long, long)>
        {
            [("mixed", 0)] = (3, 4),   // only the marker after the last record
            [("mixed", 1)] = (3, 7),   // a marker, then two records and a marker
            [("mixed", 2)] = (4, 5),   // the last plain record
        });

        Assert.Equal(new[] { ("mixed", 1), ("mixed", 2) }, withRecords.Order());
    }

    [Fact]
    public async Task A_range_starting_below_the_log_start_is_read_from_the_start()
    {
        _cluster.CreateTopic("retained", 1);
        _cluster.Produce("retained", 0, 5);
        _cluster.DeleteRecords("retained", 0, 3); // as retention would between reading the offsets and the scan
        using var gateway = Gateway();

        var withRecords = await gateway.PartitionsWithRecordsAsync(new Dictionary<(string, int), (long, long)> { [("retained", 0)] = (1, 5) });

        Assert.Equal(new[] { ("retained", 0) }, withRecords);
    }

    [Fact]
    public async Task A_missing_topic_is_NotFound()
    {
        using var gateway = Gateway();
        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.ReadTopicAsync("none"));
        Assert.Equal("KafkaTopicNotFound", e.ErrorId);
    }
}
