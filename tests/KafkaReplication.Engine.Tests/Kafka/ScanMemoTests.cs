using Confluent.Kafka;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Kafka;
using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>
/// Issue 11: a gateway remembers the ranges a scan found to hold only transaction markers, and the records it read,
/// and does not read a range they answer again; everything else is read on every call. Reads are observed through the gateway's count of scanned
/// partitions and its verbose lines. Own mock cluster, so offsets stay exact.
/// </summary>
public sealed class ScanMemoTests : IDisposable
{
    private const string Known = "not read again:";
    private readonly MockKafkaCluster _cluster = new(brokers: 1);
    private readonly RecordingLog _log = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _cluster.Dispose();

    private KafkaGateway Gateway() =>
        new(new KafkaClientSettings(KafkaClusterFixture.Reference(_cluster.BootstrapServers)) { RequestTimeout = TimeSpan.FromSeconds(8) }, _log)
        {
            TimeProvider = _clock,
        };

    private static Dictionary<(string, int), (long, long)> Ranges(params (string Topic, int Partition, long From, long To)[] ranges) =>
        ranges.ToDictionary(r => (r.Topic, r.Partition), r => (r.From, r.To));

    private int KnownLines => _log.Messages.Count(m => m.Contains(Known, StringComparison.Ordinal));

    [Fact]
    public async Task A_second_call_over_the_same_marker_only_ranges_reads_nothing()
    {
        _cluster.CreateTopic("tx", 2);
        _cluster.ProduceInTransaction("tx", 0, 3); // records 0..2, marker 3
        _cluster.ProduceInTransaction("tx", 1, 2); // records 0..1, marker 2
        using var gateway = Gateway();
        var ranges = Ranges(("tx", 0, 3, 4), ("tx", 1, 2, 3));

        Assert.Empty(await gateway.PartitionsWithRecordsAsync(ranges));
        Assert.Equal(2, gateway.Requests.ScannedPartitions);
        Assert.Equal(0, KnownLines);

        Assert.Empty(await gateway.PartitionsWithRecordsAsync(ranges));
        Assert.Equal(2, gateway.Requests.ScannedPartitions);
        Assert.Contains(_log.Messages, m => m.EndsWith("Kafka: 2 of 2 partitions not read again: 2 known to hold only transaction markers, 0 a record.", StringComparison.Ordinal));

        // A range inside a remembered one is answered too.
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 0, 3, 4))));
        Assert.Equal(2, gateway.Requests.ScannedPartitions);
    }

    [Fact]
    public async Task A_record_read_answers_later_ranges_that_contain_it_and_no_other()
    {
        _cluster.CreateTopic("plain", 1);
        _cluster.Produce("plain", 0, 5); // records 0..4
        using var gateway = Gateway();

        Assert.Equal(new[] { ("plain", 0) }, await gateway.PartitionsWithRecordsAsync(Ranges(("plain", 0, 3, 5))));
        Assert.Equal((1, 1L), (gateway.ScanMemoEntries, gateway.Requests.ScannedPartitions));

        // The record read was 3: a range that still holds it is answered, wider or narrower.
        Assert.Equal(new[] { ("plain", 0) }, await gateway.PartitionsWithRecordsAsync(Ranges(("plain", 0, 3, 5))));
        Assert.Equal(new[] { ("plain", 0) }, await gateway.PartitionsWithRecordsAsync(Ranges(("plain", 0, 2, 4))));
        Assert.Equal(1, gateway.Requests.ScannedPartitions);
        Assert.Contains(_log.Messages, m => m.EndsWith("Kafka: 1 of 1 partitions not read again: 0 known to hold only transaction markers, 1 a record.", StringComparison.Ordinal));

        // Past it (the connector moved on), the range is read: record 4 is there, and is remembered instead.
        Assert.Equal(new[] { ("plain", 0) }, await gateway.PartitionsWithRecordsAsync(Ranges(("plain", 0, 4, 5))));
        Assert.Equal(2, gateway.Requests.ScannedPartitions);
        Assert.Equal(new[] { ("plain", 0) }, await gateway.PartitionsWithRecordsAsync(Ranges(("plain", 0, 4, 5))));
        Assert.Equal(2, gateway.Requests.ScannedPartitions);

        // Ending before it: read again.
        Assert.Equal(new[] { ("plain", 0) }, await gateway.PartitionsWithRecordsAsync(Ranges(("plain", 0, 1, 4))));
        Assert.Equal(3, gateway.Requests.ScannedPartitions);
    }

    [Fact]
    public async Task A_range_past_a_marker_only_one_with_a_new_record_is_read_and_reported()
    {
        _cluster.CreateTopic("tx", 1);
        _cluster.ProduceInTransaction("tx", 0, 2); // records 0..1, marker 2
        using var gateway = Gateway();
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 0, 2, 3))));

        _cluster.ProduceInTransaction("tx", 0, 1); // record 3, marker 4
        Assert.Equal(new[] { ("tx", 0) }, await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 0, 2, 5))));
        Assert.Equal(2, gateway.Requests.ScannedPartitions);
        Assert.Equal(0, KnownLines);
    }

    [Fact]
    public async Task A_range_with_records_of_an_open_transaction_has_records_before_and_after_the_commit()
    {
        _cluster.CreateTopic("open", 1);
        _cluster.ProduceInTransaction("open", 0, 3); // records 0..2, marker 3
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
            {
                BootstrapServers = _cluster.BootstrapServers,
                TransactionalId = $"memo-test-{Guid.NewGuid():N}",
            })
            .SetLogHandler((_, _) => { }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        for (var i = 0; i < 2; i++) producer.Produce(new TopicPartition("open", 0), new Message<Null, byte[]> { Value = new byte[10] });
        producer.Flush(TimeSpan.FromSeconds(30)); // records 4..5 in the log, their transaction open
        using var gateway = Gateway();
        var ranges = Ranges(("open", 0, 3, 6));

        // Records of an open transaction count as records. The mock broker delivers them (its last stable offset is the
        // end offset), so here they are also remembered as records; a real broker's read stops at the open
        // transaction, which is the read ending before To, never remembered (the test below).
        Assert.Equal(new[] { ("open", 0) }, await gateway.PartitionsWithRecordsAsync(ranges));

        producer.CommitTransaction(TimeSpan.FromSeconds(30)); // marker 6
        Assert.Equal(new[] { ("open", 0) }, await gateway.PartitionsWithRecordsAsync(ranges));
        Assert.Equal(new[] { ("open", 0) }, await gateway.PartitionsWithRecordsAsync(Ranges(("open", 0, 3, 7))));
    }

    [Fact]
    public async Task A_range_reaching_outside_a_remembered_one_is_read()
    {
        _cluster.CreateTopic("grow", 2);
        _cluster.ProduceInTransaction("grow", 0, 3); // records 0..2, marker 3
        _cluster.ProduceInTransaction("grow", 1, 3);
        using var gateway = Gateway();
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("grow", 0, 3, 4), ("grow", 1, 3, 4))));
        _cluster.ProduceInTransaction("grow", 0, 1); // record 4, marker 5

        // Ending later (a record after the marker), starting earlier (record 2).
        Assert.Equal(new[] { ("grow", 0), ("grow", 1) },
            (await gateway.PartitionsWithRecordsAsync(Ranges(("grow", 0, 3, 6), ("grow", 1, 2, 4)))).Order());
        Assert.Equal(4, gateway.Requests.ScannedPartitions);
        Assert.Equal(0, KnownLines);
    }

    [Fact]
    public async Task A_read_that_ends_before_To_is_not_remembered()
    {
        // The mock broker's last stable offset is its end offset (an open transaction does not stop a read there), so
        // the read is made to end early by a To past the end offset, as an open transaction would.
        _cluster.CreateTopic("short", 1);
        _cluster.ProduceInTransaction("short", 0, 3); // records 0..2, marker 3
        using var gateway = Gateway();
        var ranges = Ranges(("short", 0, 3, 6));

        Assert.Equal(new[] { ("short", 0) }, await gateway.PartitionsWithRecordsAsync(ranges));
        Assert.Equal(0, gateway.ScanMemoEntries);

        _cluster.ProduceInTransaction("short", 0, 1); // record 4, marker 5
        Assert.Equal(new[] { ("short", 0) }, await gateway.PartitionsWithRecordsAsync(ranges));
        Assert.Equal(2, gateway.Requests.ScannedPartitions);
    }

    [Fact]
    public async Task Partitions_a_call_did_not_ask_about_stay_remembered_until_they_expire()
    {
        // Several flows of one source cluster share the Kafka client: a call for one flow must not make the next call
        // for another read its partitions again.
        _cluster.CreateTopic("tx", 3);
        for (var p = 0; p < 3; p++) _cluster.ProduceInTransaction("tx", p, 2); // records 0..1, marker 2
        using var gateway = Gateway();

        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 0, 2, 3), ("tx", 1, 2, 3))));
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 2, 2, 3))));
        Assert.Equal((3, 3L), (gateway.ScanMemoEntries, gateway.Requests.ScannedPartitions));

        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 0, 2, 3), ("tx", 1, 2, 3))));
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 2, 2, 3))));
        Assert.Equal((3, 3L), (gateway.ScanMemoEntries, gateway.Requests.ScannedPartitions));
        Assert.Contains(_log.Messages, m => m.EndsWith("Kafka: 1 of 1 partitions not read again: 1 known to hold only transaction markers, 0 a record.", StringComparison.Ordinal));

        // Expired: read again, and only what was read is remembered.
        _clock.Advance(gateway.ScanMemoLifetime);
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 2, 2, 3))));
        Assert.Equal((1, 4L), (gateway.ScanMemoEntries, gateway.Requests.ScannedPartitions));
    }

    [Fact]
    public async Task A_remembered_range_is_read_again_once_its_lifetime_is_over_even_when_used_meanwhile()
    {
        _cluster.CreateTopic("tx", 1);
        _cluster.ProduceInTransaction("tx", 0, 2);
        using var gateway = Gateway();
        var ranges = Ranges(("tx", 0, 2, 3));
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(ranges));

        _clock.Advance(gateway.ScanMemoLifetime - TimeSpan.FromSeconds(1));
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(ranges));
        Assert.Equal(1, gateway.Requests.ScannedPartitions);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(ranges));
        Assert.Equal(2, gateway.Requests.ScannedPartitions);
        Assert.Equal(1, gateway.ScanMemoEntries); // remembered anew, from now
    }

    [Fact]
    public async Task Nothing_is_remembered_with_a_zero_lifetime()
    {
        _cluster.CreateTopic("tx", 1);
        _cluster.ProduceInTransaction("tx", 0, 2);
        using var gateway = new KafkaGateway(new KafkaClientSettings(KafkaClusterFixture.Reference(_cluster.BootstrapServers)), _log)
        {
            ScanMemoLifetime = TimeSpan.Zero,
        };
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 0, 2, 3))));
        Assert.Empty(await gateway.PartitionsWithRecordsAsync(Ranges(("tx", 0, 2, 3))));
        Assert.Equal((0, 2L), (gateway.ScanMemoEntries, gateway.Requests.ScannedPartitions));
    }

    [Fact]
    public void A_newer_fact_replaces_the_older_one_of_its_partition()
    {
        var memo = new ScanMemo();
        var now = DateTimeOffset.UnixEpoch;
        var life = TimeSpan.FromMinutes(5);
        memo.Remember(Ranges(("t", 0, 2, 3)), now, life);
        memo.Remember(Ranges(), now, life, new Dictionary<(string, int), long> { [("t", 0)] = 5 });

        Assert.Equal(1, memo.Count);
        Assert.Empty(memo.Answer(Ranges(("t", 0, 2, 3)), now, life).Entries); // the marker-only range was replaced
        Assert.Equal(new[] { ("t", 0) }, memo.Answer(Ranges(("t", 0, 4, 7)), now, life).KnownWithRecords);
        Assert.Empty(memo.Answer(Ranges(("t", 0, 4, 7)), now + life, life).Entries); // expired
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
