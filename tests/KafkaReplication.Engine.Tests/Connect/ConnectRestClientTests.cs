using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;
using KafkaReplication.TestBed.Connect;
using Xunit;

namespace KafkaReplication.Engine.Tests.Connect;

/// <summary>The typed Connect client over a direct URL (-ConnectUri): retries, and Connect's errors as typed errors.</summary>
public sealed class ConnectRestClientTests : IAsyncLifetime
{
    private ConnectEmulator _connect = null!;
    private ConnectRestClient _client = null!;
    private readonly List<string> _log = new();

    private sealed class ListLog(List<string> lines) : IOperationLog
    {
        public void Verbose(string message) { lock (lines) lines.Add(message); }
        public void Warning(string message) { }
        public void Progress(int activityId, string activity, string status, int percent, bool completed = false) { }
    }

    public async Task InitializeAsync()
    {
        _connect = await ConnectEmulator.StartAsync();
        _connect.PutConnector("src", new JsonObject { ["connector.class"] = "org.apache.kafka.connect.mirror.MirrorSourceConnector", ["tasks.max"] = "1" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var transport = await ConnectTransportFactory.CreateAsync(null!, "ns", "c", ConnectAccess.Direct, _connect.BaseUri, new ListLog(_log), cts.Token);
        _client = new ConnectRestClient(transport, new ListLog(_log), new ConnectRetryOptions(3, TimeSpan.FromMilliseconds(10)));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _connect.DisposeAsync();
    }

    [Fact]
    public async Task Stored_offsets_read_in_one_pass_are_the_parsed_entries_and_are_retried_alike()
    {
        _connect.CommitOffsets("src", new[]
        {
            (new JsonObject { ["cluster"] = "a", ["partition"] = 1, ["topic"] = "t" }, (JsonObject?)new JsonObject { ["offset"] = 5 }),
            (new JsonObject { ["partition"] = 0, ["topic"] = "u" }, (JsonObject?)new JsonObject { ["offset"] = 9_007_199_254_740_993 }),
        });
        _connect.FailNext(1, 503, "/offsets");

        var stored = await _client.GetStoredOffsetsAsync("src", CancellationToken.None);

        Assert.Equal((await _client.GetOffsetsAsync("src", CancellationToken.None)).Select(StoredConnectOffset.From), stored);
        Assert.Equal(2, stored.Count);
        Assert.Equal(1, _log.Count(l => l.StartsWith("Retrying after HTTP 503", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_until_they_pass()
    {
        _connect.FailNext(2, 500, "status");
        var status = await _client.GetStatusAsync("src", CancellationToken.None);
        Assert.Equal("RUNNING", (string?)status["connector"]?["state"]);
        Assert.Equal(3, _connect.Requests.Count(r => r.Path == "/connectors/src/status"));
        Assert.Equal(2, _log.Count(l => l.StartsWith("Retrying after HTTP 500", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Errors_that_persist_or_are_final_become_typed_errors_without_retry()
    {
        _connect.FailNext(10, 500, "status");
        var e = await Assert.ThrowsAsync<ReplicationException>(() => _client.GetStatusAsync("src", CancellationToken.None));
        Assert.Equal("ConnectRequestTimedOut", e.ErrorId); // Connect answers 500 "Request timed out" (apache/kafka connect/runtime/.../rest/HerderRequestHandler.java)
        Assert.Equal(ReplicationErrorKind.Timeout, e.Kind);
        Assert.Equal(4, _connect.Requests.Count(r => r.Path == "/connectors/src/status")); // 1 + 3 retries
        _connect.ClearFaults();

        var missing = await Assert.ThrowsAsync<ReplicationException>(() => _client.GetStatusAsync("nope", CancellationToken.None));
        Assert.Equal("ConnectorNotFound", missing.ErrorId);
        Assert.Single(_connect.Requests, r => r.Path == "/connectors/nope/status"); // 404 is final

        var running = await Assert.ThrowsAsync<ReplicationException>(() => _client.PatchOffsetsAsync("src",
            new[] { new ConnectOffset(new JsonObject { ["cluster"] = "a", ["topic"] = "t", ["partition"] = 0 }, new JsonObject { ["offset"] = 1 }) }, CancellationToken.None));
        Assert.Equal("ConnectorNotStopped", running.ErrorId);
        Assert.Equal(ReplicationErrorKind.PreconditionFailed, running.Kind);
    }
}
