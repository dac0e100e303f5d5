using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Tests.Connect;

/// <summary>Faults on demand: rebalances, failures, dropped connections, slow answers, a stop that never shows.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task RebalanceFor_answers_409_to_the_next_matching_requests_only()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.RebalanceFor(2, pathContains: "/stop");

        var (list, _) = await connect.SendAsync(HttpMethod.Get, "/connectors");
        var (first, error) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/stop");
        var (second, _) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/stop");
        var targetDuringRebalance = connect.Emulator.Get("mm2-source")!.TargetState;
        var (third, _) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/stop");

        Assert.Equal(HttpStatusCode.OK, list);
        Assert.Equal(HttpStatusCode.Conflict, first);
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["error_code"] = 409,
            ["message"] = "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)",
        }, error));
        Assert.Equal(HttpStatusCode.Conflict, second);
        Assert.Equal("STARTED", targetDuringRebalance);
        Assert.Equal(HttpStatusCode.NoContent, third);
    }

    [Fact]
    public async Task FailNext_answers_500_Request_timed_out_or_the_given_status_for_the_matching_method()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.FailNext(1);
        connect.Emulator.FailNext(1, statusCode: 503, pathContains: "/status", method: "GET");

        var (timedOut, timeoutBody) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source");
        var (wrongMethod, _) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/pause");
        var (unavailable, unavailableBody) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/status");
        var (healthy, _) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/status");

        Assert.Equal(HttpStatusCode.InternalServerError, timedOut);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["error_code"] = 500, ["message"] = "Request timed out" }, timeoutBody));
        Assert.Equal(HttpStatusCode.Accepted, wrongMethod);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable);
        Assert.Equal(503, (int)unavailableBody!["error_code"]!);
        Assert.Equal(HttpStatusCode.OK, healthy);
    }

    [Fact]
    public async Task DropConnections_aborts_without_an_answer_and_the_next_request_works()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.DropConnections(1, pathContains: "/offsets");

        await Assert.ThrowsAsync<HttpRequestException>(() => connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/offsets"));
        var (after, _) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/offsets");

        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal(2, connect.Emulator.Requests.Count(r => r.Path == "/connectors/mm2-source/offsets"));
    }

    [Fact]
    public async Task DelayNext_holds_the_answer_back()
    {
        await using var connect = await ConnectServer.StartAsync();
        connect.Emulator.DelayNext(1, TimeSpan.FromMilliseconds(300), pathContains: "/connectors");
        var clock = Stopwatch.StartNew();

        var (status, _) = await connect.SendAsync(HttpMethod.Get, "/connectors");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task ClearFaults_removes_pending_faults()
    {
        await using var connect = await ConnectServer.StartAsync();
        connect.Emulator.RebalanceFor(5);
        connect.Emulator.FailNext(5);
        connect.Emulator.ClearFaults();

        var (status, _) = await connect.SendAsync(HttpMethod.Get, "/connectors");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task NeverReachStopped_leaves_the_status_running_while_the_target_state_is_STOPPED()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.NeverReachStopped("mm2-source");

        var (stop, _) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/stop");
        var (_, status) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/status");
        var snapshot = connect.Emulator.Get("mm2-source")!;
        // The herder checks the config topic (target STOPPED, no task configs), not the status: offsets may change.
        var (patched, _) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-source/offsets",
            ConnectServer.OffsetsBody((ConnectServer.Partition(), ConnectServer.Offset(1))));
        connect.Emulator.NeverReachStopped("mm2-source", false);

        Assert.Equal(HttpStatusCode.NoContent, stop);
        Assert.Equal("RUNNING", (string)status!["connector"]!["state"]!);
        Assert.Equal(2, status["tasks"]!.AsArray().Count);
        Assert.Equal(("STOPPED", "RUNNING"), (snapshot.TargetState, snapshot.ConnectorState));
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Equal("STOPPED", connect.Emulator.Get("mm2-source")!.ConnectorState);
    }

    [Fact]
    public async Task Requests_are_recorded_with_method_path_query_and_body_faulted_ones_included()
    {
        await using var connect = await ConnectServer.StartAsync();
        connect.Emulator.RebalanceFor(1);

        await connect.SendAsync(HttpMethod.Get, "/connectors?expand=status");
        await connect.SendAsync(HttpMethod.Put, "/connectors/a/config", ConnectServer.Config());
        var recorded = connect.Emulator.Requests;
        connect.Emulator.ClearRequests();

        Assert.Equal(
            [("GET", "/connectors", "expand=status", false), ("PUT", "/connectors/a/config", "", true)],
            recorded.Select(r => (r.Method, r.Path, r.Query, r.Body is not null)));
        Assert.Equal("orders.*", (string)JsonNode.Parse(recorded[1].Body!)!["topics"]!);
        Assert.Empty(connect.Emulator.Requests);
    }
}
