namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// Splits the partitions of one offsets query into admin calls. librdkafka's cost per ListOffsets call grows much
/// faster than the partitions in it (it groups by leader and merges responses with linear searches), so calls stay
/// small; each call holds partitions of a single leader, so it is exactly one request on the wire.
/// </summary>
internal static class ListOffsetsPlan
{
    /// <summary>Batches of at most <paramref name="maxPerCall"/> partitions, one leader each, leaders interleaved
    /// so that concurrent calls spread over the brokers. Partitions without a known leader form their own batches.</summary>
    public static List<List<(string Topic, int Partition)>> Split(
        IEnumerable<(string Topic, int Partition, int Leader)> partitions, int maxPerCall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerCall, 1);
        var perLeader = partitions
            .GroupBy(p => p.Leader)
            .OrderBy(g => g.Key)
            .Select(g => Chunk(g.Select(p => (p.Topic, p.Partition)).ToList(), maxPerCall))
            .ToList();

        var batches = new List<List<(string, int)>>();
        for (var round = 0; perLeader.Any(l => round < l.Count); round++)
            batches.AddRange(perLeader.Where(l => round < l.Count).Select(l => l[round]));
        return batches;
    }

    /// <summary>The fewest chunks of at most <paramref name="max"/> items, with sizes differing by at most one.</summary>
    private static List<List<T>> Chunk<T>(List<T> items, int max)
    {
        var count = (items.Count + max - 1) / max;
        var chunks = new List<List<T>>(count);
        for (int i = 0, start = 0; i < count; i++)
        {
            var size = items.Count / count + (i < items.Count % count ? 1 : 0);
            chunks.Add(items.GetRange(start, size));
            start += size;
        }
        return chunks;
    }
}
