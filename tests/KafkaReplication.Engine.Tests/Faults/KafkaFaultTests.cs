using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Tests.Kafka;
using KafkaReplication.Kafka;
using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Faults;

/// <summary>
/// Kafka that cannot be reached: an address that refuses, a broker that stops answering. The call fails within the
/// limit the user set (or 10 s), names the broker's error, and a cancellation returns at once, the client's
/// disposal included (librdkafka finishes its native work in the background).
/// </summary>
public sealed class KafkaFaultTests
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static KafkaClientSettings Refused(Dictionary<string, string>? extra = null) =>
        new(KafkaClusterFixture.Reference($"127.0.0.1:{ClosedPort()}")) { ExtraConfig = extra ?? new Dictionary<string, string>() };

    [Fact]
    public async Task A_refused_address_fails_within_10_s_by_default_with_the_brokers_error()
    {
        using var gateway = new KafkaGateway(Refused());
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.ListPartitionsAsync(new[] { ".*" }));

        FaultTable.Record("Kafka: address refuses connections (default limit)", FaultTable.KafkaCalls, e.ErrorId, watch.Elapsed);
        Assert.Equal((ReplicationErrorKind.Unreachable, "KafkaUnreachable"), (e.Kind, e.ErrorId));
        Assert.True(e.Message.Contains("Connection refused"), e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task The_users_socket_timeout_shortens_the_wait()
    {
        using var gateway = new KafkaGateway(Refused(new() { ["socket.timeout.ms"] = "2000" }));
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.GetOffsetsAsync(new[] { ("t", 0) }, OffsetSpec.Latest));

        FaultTable.Record("Kafka: address refuses, -KafkaConfig socket.timeout.ms=2000", FaultTable.KafkaCalls, e.ErrorId, watch.Elapsed);
        // Either the gateway's deadline (now 2 s) or librdkafka's own request timeout ends it first: both say why.
        Assert.True(e.ErrorId == "KafkaUnreachable" && e.Message.Contains("Connection refused"), $"{e.ErrorId}: {e.Message}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(7), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task The_modules_request_limit_bounds_a_refused_address_too()
    {
        using var gateway = new KafkaGateway(Refused(), null, new RequestLimits { Request = TimeSpan.FromSeconds(2) });
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.ListPartitionsAsync(new[] { ".*" }));

        FaultTable.Record("Kafka: address refuses (-RequestTimeout 2 s)", FaultTable.KafkaCalls, e.ErrorId, watch.Elapsed);
        // The gateway's deadline or librdkafka's own metadata timeout (both 2 s) ends it first.
        Assert.True(e.ErrorId == "KafkaUnreachable", $"{e.ErrorId}: {e.Message}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(7), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_limit_the_user_chose_also_bounds_the_first_contact_and_the_default_keeps_10_s()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), Refused().WithLimits(new RequestLimits { Request = TimeSpan.FromSeconds(45) }).FirstContactTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), Refused().WithLimits(RequestLimits.Default).FirstContactTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), Refused(new() { ["request.timeout.ms"] = "1000" }).WithLimits(RequestLimits.Default).FirstContactTimeout);
    }

    [Fact]
    public void An_unreadable_timeout_setting_is_an_invalid_argument()
    {
        var e = Assert.Throws<ReplicationException>(() => Refused(new() { ["socket.timeout.ms"] = "soon" }).EffectiveRequestTimeout);

        Assert.Equal(("InvalidKafkaConfig", ReplicationErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
        Assert.Contains("socket.timeout.ms", e.Message);
    }

    [Fact]
    public async Task Cancelling_a_call_to_a_refused_address_returns_at_once_and_disposal_does_not_wait_for_librdkafka()
    {
        var gateway = new KafkaGateway(new KafkaClientSettings(KafkaClusterFixture.Reference($"127.0.0.1:{ClosedPort()}")) { RequestTimeout = TimeSpan.FromSeconds(30) });
        using var cts = new CancellationTokenSource();
        var call = gateway.ListPartitionsAsync(new[] { ".*" }, cts.Token);
        await Task.WhenAny(call, Task.Delay(1000)); // let the native metadata request start
        var watch = Stopwatch.StartNew();

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        gateway.Dispose();

        FaultTable.Record("Kafka: address refuses connections (default limit)", FaultTable.KafkaCalls, "stopped", watch.Elapsed, stop: true);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"cancel and dispose took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_mock_broker_that_stops_answering_fails_within_the_limit()
    {
        using var cluster = new MockKafkaCluster(brokers: 1);
        cluster.CreateTopic("orders", 2);
        using var gateway = new KafkaGateway(new KafkaClientSettings(KafkaClusterFixture.Reference(cluster.BootstrapServers)) { RequestTimeout = TimeSpan.FromSeconds(3) });
        var partitions = (await gateway.ListPartitionsAsync(new[] { "orders" })).Select(p => p.Key).ToList();
        cluster.SetBrokerDown(1);
        cluster.SetRoundTripTime(-1, TimeSpan.FromSeconds(20)); // whatever the down broker still answers, it answers late
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.GetOffsetsAsync(partitions, OffsetSpec.Latest));

        FaultTable.Record("Kafka: mock broker stops answering (limit 3 s)", FaultTable.KafkaCalls, "KafkaTimeout / KafkaNotAvailable / KafkaUnreachable", watch.Elapsed);
        // Which error comes first depends on when librdkafka notices: no leader left (KafkaNotAvailable), its own
        // request timeout (KafkaUnreachable), or the gateway's deadline (KafkaTimeout, as the cluster answered before).
        Assert.True(e.Kind is ReplicationErrorKind.Timeout or ReplicationErrorKind.Unreachable
            && e.ErrorId is "KafkaTimeout" or "KafkaNotAvailable" or "KafkaUnreachable", $"{e.ErrorId}: {e.Message}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        cluster.SetRoundTripTime(-1, TimeSpan.Zero);
        cluster.SetBrokerUp(1);
    }
}
