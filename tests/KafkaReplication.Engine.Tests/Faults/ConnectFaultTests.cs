using System.Diagnostics;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Tests.Kafka;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Faults;
using Xunit;

namespace KafkaReplication.Engine.Tests.Faults;

/// <summary>The Connect REST client against a worker (or proxy) that is silent, slow, garbled, refusing or busy.</summary>
public sealed class ConnectFaultTests : IAsyncLifetime
{
    private const string Status = "/connectors/src/status";
    private readonly RecordingLog _log = new();
    private ConnectEmulator _connect = null!;

    public async Task InitializeAsync()
    {
        _connect = await ConnectEmulator.StartAsync();
        _connect.PutConnector("src", new JsonObject { ["connector.class"] = "org.apache.kafka.connect.mirror.MirrorSourceConnector", ["tasks.max"] = "1" });
    }

    public async Task DisposeAsync() => await _connect.DisposeAsync();

    private ConnectRestClient Client(TimeSpan limit) =>
        new(new ConnectTransport(new HttpClient { BaseAddress = _connect.BaseUri }, _connect.BaseUri.Authority), _log,
            new ConnectRetryOptions(3, TimeSpan.FromMilliseconds(10)), new RequestLimits { Request = limit });

    [Fact]
    public async Task A_worker_that_never_answers_ends_in_ConnectTimeout_within_the_limit()
    {
        using var client = Client(TimeSpan.FromSeconds(1));
        _connect.Faults.Add(Fault.Hang(), count: 10, pathContains: Status);
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => client.GetStatusAsync("src", CancellationToken.None));

        FaultTable.Record("Connect: accepts, never answers (limit 1 s)", FaultTable.ConnectCalls, e.ErrorId, watch.Elapsed);
        Assert.Equal((ReplicationErrorKind.Timeout, "ConnectTimeout"), (e.Kind, e.ErrorId));
        Assert.Contains(_connect.BaseUri.Authority, e.Message);
        Assert.Contains($"GET {Status} within 1 s", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Single(_connect.Requests, r => r.Path == Status);
    }

    [Fact]
    public async Task A_slow_answer_within_the_limit_is_waited_for()
    {
        using var client = Client(TimeSpan.FromSeconds(20));
        _connect.Faults.Add(Fault.Slow(TimeSpan.FromSeconds(1)), pathContains: Status);
        var watch = Stopwatch.StartNew();

        var status = await client.GetStatusAsync("src", CancellationToken.None);

        FaultTable.Record("Connect: answers after 1 s", FaultTable.ConnectCalls, "succeeds", watch.Elapsed);
        Assert.Equal("RUNNING", (string?)status["connector"]?["state"]);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_ConnectMalformedResponse()
    {
        using var client = Client(TimeSpan.FromSeconds(20));
        _connect.Faults.Add(Fault.Malformed(), pathContains: Status);
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => client.GetStatusAsync("src", CancellationToken.None));

        FaultTable.Record("Connect: 200 with a body that is not JSON", FaultTable.ConnectCalls, e.ErrorId, watch.Elapsed);
        Assert.Equal((ReplicationErrorKind.OperationFailed, "ConnectMalformedResponse"), (e.Kind, e.ErrorId));
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData(401, ReplicationErrorKind.AuthenticationFailed, "ConnectUnauthorized")]
    [InlineData(403, ReplicationErrorKind.PermissionDenied, "ConnectForbidden")]
    public async Task Refused_credentials_are_authentication_or_permission_errors_and_not_retried(int code, ReplicationErrorKind kind, string id)
    {
        using var client = Client(TimeSpan.FromSeconds(20));
        _connect.Faults.Add(Fault.Status(code), count: 10, pathContains: Status);
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => client.GetStatusAsync("src", CancellationToken.None));

        FaultTable.Record($"Connect: HTTP {code}", FaultTable.ConnectCalls, e.ErrorId, watch.Elapsed);
        Assert.Equal((kind, id), (e.Kind, e.ErrorId));
        Assert.NotNull(e.RecommendedAction);
        Assert.Single(_connect.Requests, r => r.Path == Status);
    }

    [Fact]
    public async Task A_rebalance_that_outlasts_the_retries_is_Busy()
    {
        using var client = Client(TimeSpan.FromSeconds(20));
        _connect.RebalanceFor(10, "/offsets");
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ReplicationException>(() => client.ResetOffsetsAsync("src", CancellationToken.None));

        FaultTable.Record("Connect: 409 rebalance on every attempt", FaultTable.ConnectCalls, e.ErrorId, watch.Elapsed);
        Assert.Equal((ReplicationErrorKind.Busy, "ConnectRebalanceInProgress"), (e.Kind, e.ErrorId));
        Assert.Equal(4, _connect.Requests.Count(r => r.Path == "/connectors/src/offsets"));
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_Retry_After()
    {
        using var client = Client(TimeSpan.FromSeconds(20));
        _connect.Faults.Add(Fault.Status(429, retryAfter: TimeSpan.FromSeconds(1)), pathContains: Status);
        var watch = Stopwatch.StartNew();

        await client.GetStatusAsync("src", CancellationToken.None);

        FaultTable.Record("Connect: 429 with Retry-After 1 s", FaultTable.ConnectCalls, "retried, succeeds", watch.Elapsed);
        Assert.Contains(_log.Messages, m => m.Contains("Retrying after HTTP 429") && m.Contains("in 1000 ms"));
    }

    [Fact]
    public async Task A_restart_is_sent_again_only_when_Connect_refused_it_before_acting()
    {
        using var client = Client(TimeSpan.FromSeconds(20));
        const string restart = "/connectors/src/restart";

        // 500 may come after the restart happened: not sent again.
        _connect.FailNext(1, 500, restart);
        var e = await Assert.ThrowsAsync<ReplicationException>(() => client.RestartAsync("src", true, false, CancellationToken.None));
        Assert.Equal("ConnectRequestTimedOut", e.ErrorId);
        Assert.Single(_connect.Requests, r => r.Path == restart);

        // 409 (rebalance pending) and a dropped connection before the answer: a rebalance refusal is retried, a drop is not.
        _connect.RebalanceFor(1, restart);
        await client.RestartAsync("src", true, false, CancellationToken.None);
        Assert.Equal(3, _connect.Requests.Count(r => r.Path == restart));

        _connect.DropConnections(1, restart);
        var dropped = await Assert.ThrowsAsync<ReplicationException>(() => client.RestartAsync("src", true, false, CancellationToken.None));
        Assert.Equal((ReplicationErrorKind.Unreachable, "ConnectUnreachable"), (dropped.Kind, dropped.ErrorId));
        Assert.Equal(4, _connect.Requests.Count(r => r.Path == restart));
    }

    [Fact]
    public async Task Dropped_connections_on_reads_are_retried()
    {
        using var client = Client(TimeSpan.FromSeconds(20));
        _connect.DropConnections(2, Status);

        var status = await client.GetStatusAsync("src", CancellationToken.None);

        Assert.Equal("RUNNING", (string?)status["connector"]?["state"]);
        Assert.Equal(3, _connect.Requests.Count(r => r.Path == Status));
    }
}
