using Confluent.Kafka;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>
/// Committed offsets read and set by explicit group and partitions (never by listing groups: ListConsumerGroups
/// crashes the mock). The mock only accepts AlterConsumerGroupOffsets for groups that never had a member; a real
/// broker also accepts it for a group whose members have all left.
/// </summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class ConsumerGroupOffsetsTests
{
    private readonly KafkaClusterFixture _kafka;
    public ConsumerGroupOffsetsTests(KafkaClusterFixture kafka) => _kafka = kafka;

    [Fact]
    public async Task A_group_with_no_commits_has_no_offsets()
    {
        using var gateway = _kafka.Gateway();

        var committed = await gateway.GetCommittedOffsetsAsync("never-used", new[] { ("orders.eu", 0), ("orders.eu", 1) });

        Assert.Equal(new (string, int)[] { ("orders.eu", 0), ("orders.eu", 1) }, committed.Keys.Order());
        Assert.All(committed.Values, v => Assert.Null(v));
    }

    [Fact]
    public async Task Offsets_set_on_a_group_without_members_read_back_exactly()
    {
        using var gateway = _kafka.Gateway();
        var group = "billing-" + Guid.NewGuid().ToString("N");

        await gateway.AlterCommittedOffsetsAsync(group, new Dictionary<(string, int), long> { [("orders.eu", 0)] = 4, [("payments", 3)] = 7 });
        var committed = await gateway.GetCommittedOffsetsAsync(group, new[] { ("orders.eu", 0), ("payments", 3), ("orders.us", 2) });

        Assert.Equal(4, committed[("orders.eu", 0)]);
        Assert.Equal(7, committed[("payments", 3)]);
        Assert.Null(committed[("orders.us", 2)]);
        Assert.Equal((1, 1), (gateway.Requests.AlterConsumerGroupOffsetsCalls, gateway.Requests.ListConsumerGroupOffsetsCalls));
    }

    [Fact]
    public async Task Negative_offsets_and_empty_group_ids_are_refused_before_any_request()
    {
        using var gateway = _kafka.Gateway();

        var negative = await Assert.ThrowsAsync<ReplicationException>(() =>
            gateway.AlterCommittedOffsetsAsync("g", new Dictionary<(string, int), long> { [("orders.eu", 0)] = -1 }));
        var noGroup = await Assert.ThrowsAsync<ReplicationException>(() => gateway.GetCommittedOffsetsAsync(" ", new[] { ("orders.eu", 0) }));

        Assert.Equal("InvalidOffset", negative.ErrorId);
        Assert.Equal("ConsumerGroupRequired", noGroup.ErrorId);
        Assert.Equal(0, gateway.Requests.AlterConsumerGroupOffsetsCalls + gateway.Requests.ListConsumerGroupOffsetsCalls);
    }

    [Fact]
    public async Task Committing_to_an_unknown_topic_is_NotFound()
    {
        using var gateway = _kafka.Gateway();

        var e = await Assert.ThrowsAsync<ReplicationException>(() =>
            gateway.AlterCommittedOffsetsAsync("g-unknown-topic", new Dictionary<(string, int), long> { [("no-such-topic", 0)] = 1 }));

        Assert.Equal(("KafkaTopicNotFound", ReplicationErrorKind.NotFound), (e.ErrorId, e.Kind));
    }

    [Fact]
    public async Task Setting_offsets_of_a_group_with_an_active_member_is_a_failed_precondition()
    {
        var group = "active-" + Guid.NewGuid().ToString("N");
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = _kafka.Cluster.BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe("orders.us");
        var joined = DateTime.UtcNow.AddSeconds(15);
        while (consumer.Assignment.Count == 0 && DateTime.UtcNow < joined)
            consumer.Consume(TimeSpan.FromMilliseconds(50)); // serves the join and sync of the group
        Assert.NotEmpty(consumer.Assignment);
        using var gateway = _kafka.Gateway();

        var e = await Assert.ThrowsAsync<ReplicationException>(() =>
            gateway.AlterCommittedOffsetsAsync(group, new Dictionary<(string, int), long> { [("orders.us", 1)] = 2 }));

        Assert.Equal(("ConsumerGroupNotEmpty", ReplicationErrorKind.PreconditionFailed), (e.ErrorId, e.Kind));
        Assert.Contains(group, e.Message);
        consumer.Close();
    }
}
