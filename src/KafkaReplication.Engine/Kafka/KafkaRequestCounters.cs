namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// Requests one gateway has made, so tests and benchmarks can check that work stays bounded
/// (e.g. ListOffsets calls ≤ brokers × batches) rather than growing with partitions. Thread-safe.
/// </summary>
public sealed class KafkaRequestCounters
{
    private long _metadata, _listOffsets, _listGroupOffsets, _alterGroupOffsets, _describeGroups, _scannedPartitions;
    private int _inFlight, _peakInFlight;

    public long MetadataCalls => Interlocked.Read(ref _metadata);
    /// <summary>Admin ListOffsets calls; each covers partitions of one leader, so it is one request on the wire.</summary>
    public long ListOffsetsCalls => Interlocked.Read(ref _listOffsets);
    public long ListConsumerGroupOffsetsCalls => Interlocked.Read(ref _listGroupOffsets);
    public long AlterConsumerGroupOffsetsCalls => Interlocked.Read(ref _alterGroupOffsets);
    /// <summary>DescribeConsumerGroups calls (each covers all the groups asked about).</summary>
    public long DescribeConsumerGroupsCalls => Interlocked.Read(ref _describeGroups);
    /// <summary>Partitions read by record scans (read_committed consumers fetching them), summed over scans.</summary>
    public long ScannedPartitions => Interlocked.Read(ref _scannedPartitions);
    /// <summary>Most ListOffsets calls that were in flight at once.</summary>
    public int PeakConcurrentListOffsets => Volatile.Read(ref _peakInFlight);

    public void Reset()
    {
        Interlocked.Exchange(ref _metadata, 0);
        Interlocked.Exchange(ref _listOffsets, 0);
        Interlocked.Exchange(ref _listGroupOffsets, 0);
        Interlocked.Exchange(ref _alterGroupOffsets, 0);
        Interlocked.Exchange(ref _describeGroups, 0);
        Interlocked.Exchange(ref _scannedPartitions, 0);
        Interlocked.Exchange(ref _peakInFlight, 0);
    }

    public override string ToString() =>
        $"metadata {MetadataCalls}, ListOffsets {ListOffsetsCalls} (peak {PeakConcurrentListOffsets} concurrent), " +
        $"ListConsumerGroupOffsets {ListConsumerGroupOffsetsCalls}, AlterConsumerGroupOffsets {AlterConsumerGroupOffsetsCalls}, " +
        $"DescribeConsumerGroups {DescribeConsumerGroupsCalls}, partitions scanned {ScannedPartitions}";

    internal void Metadata() => Interlocked.Increment(ref _metadata);
    internal void ListGroupOffsets() => Interlocked.Increment(ref _listGroupOffsets);
    internal void AlterGroupOffsets() => Interlocked.Increment(ref _alterGroupOffsets);
    internal void DescribeGroups() => Interlocked.Increment(ref _describeGroups);
    internal void Scanned(int partitions) => Interlocked.Add(ref _scannedPartitions, partitions);

    internal void ListOffsetsStarted()
    {
        Interlocked.Increment(ref _listOffsets);
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak) { }
    }

    internal void ListOffsetsEnded() => Interlocked.Decrement(ref _inFlight);
}
