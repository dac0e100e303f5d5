using KafkaReplication.Engine.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>MirrorMaker's topic selection and the split of offset queries into calls, without a cluster.</summary>
public sealed class OffsetQueryPlanningTests
{
    [Theory]
    [InlineData("orders", "orders", true)]
    [InlineData("orders", "orders-eu", false)]       // whole-name match, not a prefix
    [InlineData("orders.*", "orders-eu", true)]
    [InlineData(@"orders\..*", "orders-eu", false)]
    [InlineData(".*", "__consumer_offsets", false)]   // Kafka internal
    [InlineData(".*", "__strimzi_canary", false)]
    [InlineData(".*", "mm2-offset-syncs.tgt.internal", false)]
    [InlineData(".*", "src.checkpoints.internal", false)]
    [InlineData(".*", "connect-offsets-internal", false)]
    [InlineData(".*", "orders.replica", false)]
    [InlineData(".*", "heartbeats", true)]           // MirrorMaker replicates heartbeats
    public void Topic_filter_follows_MirrorMaker(string regex, string topic, bool selected) =>
        Assert.Equal(selected, TopicFilter.Create(new[] { regex }).Selects(topic));

    [Fact]
    public void Topic_filter_is_the_union_of_its_entries() =>
        Assert.True(TopicFilter.Create(new[] { "a", "b|c" }).Selects("c"));

    [Fact]
    public void Batches_hold_one_leader_each_and_at_most_the_batch_size()
    {
        var partitions = Enumerable.Range(0, 2500).Select(i => ("t", i, i < 1200 ? 1 : i < 2100 ? 2 : 3)).ToList();

        var batches = ListOffsetsPlan.Split(partitions, 500);

        var leaderOf = partitions.ToDictionary(p => (p.Item1, p.Item2), p => p.Item3);
        Assert.Equal(3 + 2 + 1, batches.Count); // ⌈1200/500⌉ + ⌈900/500⌉ + ⌈400/500⌉
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 500));
        Assert.All(batches, b => Assert.Single(b.Select(p => leaderOf[p]).Distinct()));
        Assert.Equal(partitions.Select(p => (p.Item1, p.Item2)).Order(), batches.SelectMany(b => b).Order());
        // Leaders interleaved, so that the first concurrent calls go to different brokers.
        Assert.Equal(new[] { 1, 2, 3 }, batches.Take(3).Select(b => leaderOf[b[0]]));
        // Balanced: 1200 → 400+400+400 rather than 500+500+200.
        Assert.Equal(new[] { 400, 400, 400 }, batches.Where(b => leaderOf[b[0]] == 1).Select(b => b.Count));
    }
}
