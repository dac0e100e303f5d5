using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Kafka;
using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>
/// Consumer group state and members (DescribeConsumerGroups). librdkafka's mock cluster does not serve the request:
/// it fails every group at once with Local_UnsupportedFeature (measured: under 100 ms, whatever the timeout), so
/// against the mock only the fallback is shown; what a real broker answers is covered by mapping Confluent's
/// description objects, built by hand.
/// </summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class ConsumerGroupStateTests
{
    private readonly KafkaClusterFixture _kafka;
    public ConsumerGroupStateTests(KafkaClusterFixture kafka) => _kafka = kafka;

    [Fact]
    public async Task The_mock_does_not_serve_DescribeConsumerGroups_so_groups_come_back_not_reported_at_once()
    {
        var log = new RecordingLog();
        using var gateway = _kafka.Gateway(log); // request timeout 20 s
        var committed = "described-" + Guid.NewGuid().ToString("N");
        await gateway.AlterCommittedOffsetsAsync(committed, new Dictionary<(string, int), long> { [("orders.eu", 0)] = 1 });
        var watch = Stopwatch.StartNew();

        var statuses = await gateway.DescribeGroupsAsync(new[] { "never-used", committed, committed });

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}"); // not the 20 s request timeout
        Assert.Equal(new[] { committed, "never-used" }, statuses.Keys.Order(StringComparer.Ordinal));
        Assert.All(statuses.Values, s =>
        {
            Assert.False(s.IsReported);
            Assert.Null(s.State);
            Assert.Null(s.Members);
            Assert.Null(s.MemberCount);
            Assert.Equal("the broker does not serve DescribeConsumerGroups: Local: Required feature not supported by broker [Local_UnsupportedFeature]",
                s.NotReportedReason);
        });
        Assert.Equal(1, gateway.Requests.DescribeConsumerGroupsCalls);
        Assert.Contains(log.Messages, m => m.Contains("did not describe") && m.Contains("never-used"));
    }

    [Fact]
    public async Task Lag_rows_keep_their_offsets_and_carry_no_state_when_the_broker_does_not_describe_groups()
    {
        using var gateway = _kafka.Gateway();
        var group = "lagstate-" + Guid.NewGuid().ToString("N");
        await gateway.AlterCommittedOffsetsAsync(group, new Dictionary<(string, int), long> { [("orders.eu", 2)] = 5 });

        var report = await ConsumerGroupLagReader.ReadWithGroupStatesAsync(gateway, new[] { group, "never-used" },
            new[] { ("orders.eu", 2), ("orders.us", 1) }, CancellationToken.None);

        Assert.Equal(4, report.Rows.Count);
        var row = report.Rows.Single(r => r.Group == group && r.Topic == "orders.eu");
        Assert.Equal((5L, 12L, 7L), (row.CommittedOffset, row.EndOffset, row.Lag));
        Assert.All(report.Rows, r => Assert.True(r.State is null && r.MemberCount is null && r.Members is null));
        Assert.Equal(new[] { group, "never-used" }, report.Groups.Select(g => g.Group));
        Assert.Equal(1, gateway.Requests.DescribeConsumerGroupsCalls);
        var summary = report.NotReportedSummary("src");
        Assert.Equal($"Kafka cluster src did not report consumer group state or members (groups {group}, never-used: the broker does not " +
            "serve DescribeConsumerGroups: Local: Required feature not supported by broker [Local_UnsupportedFeature]). " +
            "State and Members are empty; the offsets and lag are complete.", summary);
    }

    [Fact]
    public async Task A_slow_coordinator_is_waited_for_only_briefly_and_the_wait_is_cancellable()
    {
        using var cluster = new MockKafkaCluster(brokers: 1);
        cluster.CreateTopic("t", 1);
        // The native request keeps the 20 s timeout (a shorter one can abort the process: librdkafka #4605), so the
        // late answer still arrives within it; only the wait is short.
        using var gateway = new KafkaGateway(new KafkaClientSettings(KafkaClusterFixture.Reference(cluster.BootstrapServers))
        {
            RequestTimeout = TimeSpan.FromSeconds(20),
        })
        { DescribeGroupsWait = TimeSpan.FromSeconds(1) };
        await gateway.ListPartitionsAsync(new[] { "t" }); // connected before the brokers slow down
        cluster.SetRoundTripTime(-1, TimeSpan.FromSeconds(3));
        try
        {
            // No wall-clock bounds (a loaded machine stretches them): which way each call ended shows what happened.
            // Had the gateway waited for the answer, the reason would be the mock's Local_UnsupportedFeature.
            var statuses = await gateway.DescribeGroupsAsync(new[] { "g" });
            Assert.Equal("the group coordinator did not answer within 1 s", Assert.Single(statuses.Values).NotReportedReason);

            // Cancelled before the 1 s wait ends: an ignored token would have given a "not reported" result instead.
            using var cts = new CancellationTokenSource();
            var describe = gateway.DescribeGroupsAsync(new[] { "g" }, cts.Token);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => describe);
        }
        finally
        {
            cluster.SetRoundTripTime(-1, TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task No_groups_send_no_request_and_blank_group_ids_are_refused()
    {
        using var gateway = _kafka.Gateway();

        Assert.Empty(await gateway.DescribeGroupsAsync(Array.Empty<string>()));
        var blank = await Assert.ThrowsAsync<Model.ReplicationException>(() => gateway.DescribeGroupsAsync(new[] { "ok", " " }));

        Assert.Equal("ConsumerGroupRequired", blank.ErrorId);
        Assert.Equal(0, gateway.Requests.DescribeConsumerGroupsCalls);
    }

    [Fact]
    public void A_described_group_maps_to_its_state_and_members_with_their_assignments()
    {
        var d = new ConsumerGroupDescription
        {
            GroupId = "billing",
            Error = new Error(ErrorCode.NoError),
            State = ConsumerGroupState.Stable,
            Members = new List<MemberDescription>
            {
                new()
                {
                    ConsumerId = "billing-2-7f3a", ClientId = "billing-2", Host = "/10.0.0.8", GroupInstanceId = "",
                    Assignment = new MemberAssignment { TopicPartitions = new List<TopicPartition> { new("orders", 2), new("audit", 0) } },
                },
                new()
                {
                    ConsumerId = "billing-1-c01d", ClientId = "billing-1", Host = "/10.0.0.7", GroupInstanceId = "pod-1",
                    Assignment = new MemberAssignment { TopicPartitions = new List<TopicPartition> { new("orders", 1), new("orders", 0) } },
                },
            },
        };

        var s = ConsumerGroupStatuses.From(d);

        Assert.True(s.IsReported);
        Assert.Equal(("billing", "Stable", 2), (s.Group, s.State, s.MemberCount));
        var first = s.Members![0];
        Assert.Equal(("billing-1-c01d", "billing-1", "/10.0.0.7", "pod-1"), (first.MemberId, first.ClientId, first.Host, first.GroupInstanceId));
        Assert.Equal(new[] { "orders[0]", "orders[1]" }, first.AssignedPartitions.Select(p => p.ToString()));
        Assert.Null(s.Members[1].GroupInstanceId);
        Assert.Equal(new[] { new AssignedPartition("audit", 0), new AssignedPartition("orders", 2) }, s.Members[1].AssignedPartitions);
        Assert.Equal("billing-2 /10.0.0.8 (2 partitions)", s.Members[1].ToString());
    }

    [Theory]
    [InlineData(ConsumerGroupState.Empty, "Empty")]
    [InlineData(ConsumerGroupState.PreparingRebalance, "PreparingRebalance")]
    [InlineData(ConsumerGroupState.CompletingRebalance, "CompletingRebalance")]
    [InlineData(ConsumerGroupState.Dead, "Dead")]
    [InlineData((ConsumerGroupState)42, "Unknown")]
    public void Group_states_keep_Kafkas_names(ConsumerGroupState state, string expected)
    {
        var s = ConsumerGroupStatuses.From(new ConsumerGroupDescription { GroupId = "g", Error = new Error(ErrorCode.NoError), State = state, Members = new() });

        Assert.Equal((expected, 0), (s.State, s.MemberCount));
    }

    [Fact]
    public void A_groups_own_error_leaves_it_not_reported_except_an_unknown_group_which_is_Dead()
    {
        var denied = ConsumerGroupStatuses.From(new ConsumerGroupDescription
        {
            GroupId = "secret", Error = new Error(ErrorCode.GroupAuthorizationFailed, "Group authorization failed"), Members = new(),
        });
        var unknown = ConsumerGroupStatuses.From(new ConsumerGroupDescription
        {
            GroupId = "gone", Error = new Error(ErrorCode.GroupIdNotFound, "Group id not found"), Members = new(),
        });

        Assert.Equal((null, null), (denied.State, denied.MemberCount));
        Assert.Equal("not authorized to describe the group (Kafka ACL: Describe on the group): Group authorization failed [GroupAuthorizationFailed]",
            denied.NotReportedReason);
        Assert.Equal(("Dead", 0, true), (unknown.State, unknown.MemberCount, unknown.IsReported));
    }

    [Fact]
    public void Rows_take_their_groups_state_and_one_summary_names_the_groups_left_out_by_reason()
    {
        var member = new ConsumerGroupMember { MemberId = "m", ClientId = "c", Host = "/h", AssignedPartitions = new[] { new AssignedPartition("t", 0) } };
        var states = new Dictionary<string, ConsumerGroupStatus>
        {
            ["a"] = new() { Group = "a", State = "Stable", Members = new[] { member } },
            ["b"] = ConsumerGroupStatus.NotReported("b", "why-1"),
            ["c"] = ConsumerGroupStatus.NotReported("c", "why-2"),
            ["d"] = ConsumerGroupStatus.NotReported("d", "why-1"),
        };
        ConsumerGroupLag Row(string g) => new() { Cluster = "src", Group = g, Topic = "t", Partition = 0, EndOffset = 3, Lag = 3 };

        var rows = ConsumerGroupLagReader.WithStates(new[] { Row("a"), Row("b") }, states);

        Assert.Equal(("Stable", 1, "m"), (rows[0].State, rows[0].MemberCount, rows[0].Members![0].MemberId));
        Assert.Equal((null, null, 3L), (rows[1].State, rows[1].MemberCount, rows[1].Lag));
        Assert.Equal("Kafka cluster src did not report consumer group state or members (groups b, d: why-1; group c: why-2). " +
            "State and Members are empty; the offsets and lag are complete.", ConsumerGroupStatus.Summarize(states.Values, "src"));
        Assert.Null(ConsumerGroupStatus.Summarize(new[] { states["a"] }, "src"));
    }
}
