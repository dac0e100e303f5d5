using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Kafka;
using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>Slow, unreachable and misconfigured clusters: the gateway stops promptly and says why, without secrets.</summary>
public sealed class KafkaGatewayFaultTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public KafkaGatewayFaultTests(TestFiles files) => _f = files;

    [Fact]
    public async Task Cancelling_a_slow_offsets_query_stops_it_promptly()
    {
        using var cluster = new MockKafkaCluster(brokers: 3);
        cluster.CreateTopic("slow", 30);
        using var gateway = new KafkaGateway(new KafkaClientSettings(KafkaClusterFixture.Reference(cluster.BootstrapServers)));
        var partitions = (await gateway.ListPartitionsAsync(new[] { "slow" })).Select(p => p.Key).ToList();
        cluster.SetRoundTripTime(-1, TimeSpan.FromSeconds(20));
        using var cts = new CancellationTokenSource();

        var query = gateway.GetOffsetsAsync(partitions, OffsetSpec.Latest, cts.Token);
        var watch = Stopwatch.StartNew();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {watch.Elapsed}");
        cluster.SetRoundTripTime(-1, TimeSpan.Zero);
    }

    [Fact]
    public async Task A_cluster_that_does_not_answer_in_time_is_Unreachable()
    {
        using var cluster = new MockKafkaCluster(brokers: 1);
        cluster.CreateTopic("slow", 1);
        cluster.SetRoundTripTime(-1, TimeSpan.FromSeconds(20));
        using var gateway = new KafkaGateway(new KafkaClientSettings(KafkaClusterFixture.Reference(cluster.BootstrapServers))
        {
            RequestTimeout = TimeSpan.FromSeconds(1),
        });
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.ListPartitionsAsync(new[] { ".*" }));

        Assert.Equal(("KafkaUnreachable", ReplicationErrorKind.Unreachable), (e.ErrorId, e.Kind));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        cluster.SetRoundTripTime(-1, TimeSpan.Zero);
    }

    [Fact]
    public async Task An_unreachable_bootstrap_is_reported_without_any_secret()
    {
        var log = new RecordingLog();
        var settings = new KafkaClientSettings(_f.Cluster("src", SecurityProtocol.SaslPlaintext, SaslMechanism.Plain))
        {
            BootstrapServersOverride = $"127.0.0.1:{ClosedPort()}",
            BootstrapServersParameter = "-SourceBootstrapServers",
            RequestTimeout = TimeSpan.FromSeconds(1),
        };
        using var gateway = new KafkaGateway(settings, log);

        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.GetOffsetsAsync(new[] { ("orders", 0) }, OffsetSpec.Latest));

        Assert.Equal(("KafkaUnreachable", ReplicationErrorKind.Unreachable), (e.ErrorId, e.Kind));
        Assert.Contains(settings.BootstrapServers, e.Message);
        Assert.Contains("-SourceBootstrapServers", e.RecommendedAction);
        Assert.Contains(log.Messages, m => m.Contains(settings.BootstrapServers) && m.Contains("SASL_PLAINTEXT"));
        foreach (var text in new[] { e.ToString(), e.RecommendedAction!, log.All })
            Assert.DoesNotContain(TestFiles.SourcePassword, text);
    }

    [Fact]
    public async Task An_unknown_extra_setting_is_an_invalid_argument()
    {
        using var gateway = new KafkaGateway(new KafkaClientSettings(_f.Cluster("src", SecurityProtocol.Plaintext))
        {
            ExtraConfig = new Dictionary<string, string> { ["no.such.setting"] = "1" },
        });

        var e = await Assert.ThrowsAsync<ReplicationException>(() => gateway.ListPartitionsAsync(new[] { ".*" }));

        Assert.Equal(("InvalidKafkaConfig", ReplicationErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
        Assert.Contains("no.such.setting", e.Message);
    }

    [Fact]
    public void The_mock_binds_to_the_librdkafka_file_the_client_loaded()
    {
        using var cluster = new MockKafkaCluster(brokers: 1);
        Assert.Contains("librdkafka", Path.GetFileName(cluster.NativeLibraryPath));
        Assert.Matches(@"^127\.0\.0\.1:\d+$", cluster.BootstrapServers);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed
    }
}
