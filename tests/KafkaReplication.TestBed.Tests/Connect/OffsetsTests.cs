using System.Net;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Tests.Connect;

/// <summary>GET, PATCH and DELETE /connectors/{c}/offsets: the order of the checks and what each answers.</summary>
public sealed class OffsetsTests
{
    private const string NotStopped =
        "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/mm2-source/stop' endpoint";

    private static async Task<ConnectServer> StoppedSourceAsync(JsonObject? config = null)
    {
        var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source", config);
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/stop");
        return connect;
    }

    [Fact]
    public async Task Get_lists_the_committed_offsets_in_any_state()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.CommitOffsets("mm2-source", [(ConnectServer.Partition("orders", 0), ConnectServer.Offset(99)), (ConnectServer.Partition("orders", 1), ConnectServer.Offset(5))]);

        var (running, runningBody) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/offsets");
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/pause");
        var (paused, _) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/offsets");

        Assert.Equal(HttpStatusCode.OK, running);
        Assert.Equal(HttpStatusCode.OK, paused);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"offsets":[{"partition":{"cluster":"source","topic":"orders","partition":0},"offset":{"offset":99}},
                        {"partition":{"cluster":"source","topic":"orders","partition":1},"offset":{"offset":5}}]}
            """), runningBody));
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Running_or_paused_connectors_refuse_offset_changes_with_400(string method)
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        var body = ConnectServer.OffsetsBody((ConnectServer.Partition(), ConnectServer.Offset(1))).ToJsonString();

        var (running, error) = await connect.SendAsync(new HttpMethod(method), "/connectors/mm2-source/offsets", method == "PATCH" ? body : null);
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/pause");
        var (paused, _) = await connect.SendAsync(new HttpMethod(method), "/connectors/mm2-source/offsets", method == "PATCH" ? body : null);

        Assert.Equal(HttpStatusCode.BadRequest, running);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["error_code"] = 400, ["message"] = NotStopped }, error));
        Assert.Equal(HttpStatusCode.BadRequest, paused);
        Assert.Empty(connect.Emulator.GetOffsets("mm2-source"));
    }

    [Fact]
    public async Task The_checks_come_in_order_rebalance_then_unknown_then_not_stopped_then_the_connector()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        var invalid = ConnectServer.OffsetsBody((new JsonObject { ["topic"] = "orders" }, ConnectServer.Offset(-1)));

        connect.Emulator.RebalanceFor(1);
        var (rebalancing, _) = await connect.SendAsync(HttpMethod.Patch, "/connectors/ghost/offsets", invalid);
        var (unknown, _) = await connect.SendAsync(HttpMethod.Patch, "/connectors/ghost/offsets", invalid);
        var (running, runningError) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-source/offsets", invalid);
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/stop");
        var (stopped, validationError) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-source/offsets", invalid);

        Assert.Equal(HttpStatusCode.Conflict, rebalancing);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.BadRequest, running);
        Assert.Equal(NotStopped, (string)runningError!["message"]!);
        Assert.Equal(HttpStatusCode.InternalServerError, stopped);
        Assert.Equal("Source partition {topic=orders} is missing the 'cluster' key, which is required", (string)validationError!["message"]!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"offsets":[]}""")]
    [InlineData("""{"offsets":null}""")]
    public async Task An_empty_patch_is_400_before_the_herder_looks_at_the_connector(string body)
    {
        // ConnectorsResource.alterConnectorOffsets checks the body first: even an unknown connector gets this 400.
        await using var connect = await ConnectServer.StartAsync();
        connect.Emulator.RebalanceFor(1);

        var (status, error) = await connect.SendAsync(HttpMethod.Patch, "/connectors/ghost/offsets", body);
        var (afterwards, _) = await connect.SendAsync(HttpMethod.Get, "/connectors");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["error_code"] = 400, ["message"] = "Partitions / offsets need to be provided for an alter offsets request" }, error));
        Assert.Equal(HttpStatusCode.Conflict, afterwards);
    }

    [Fact]
    public async Task Patch_merges_into_the_stored_offsets_and_a_null_offset_removes_an_entry()
    {
        await using var connect = await StoppedSourceAsync();
        connect.Emulator.CommitOffsets("mm2-source", [(ConnectServer.Partition("orders", 0), ConnectServer.Offset(10)), (ConnectServer.Partition("orders", 1), ConnectServer.Offset(20))]);

        var (status, body) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-source/offsets", ConnectServer.OffsetsBody(
            (ConnectServer.Partition("orders", 0), ConnectServer.Offset(4)),
            (ConnectServer.Partition("orders", 1), null),
            (ConnectServer.Partition("payments", 0), ConnectServer.Offset(0))));
        var (_, listed) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/offsets");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["message"] = "The offsets for this connector have been altered successfully" }, body));
        Assert.Equal(["orders/0=4", "payments/0=0"], listed!["offsets"]!.AsArray().Select(o => $"{o!["partition"]!["topic"]}/{o["partition"]!["partition"]}={o["offset"]!["offset"]}"));
    }

    [Fact]
    public async Task Delete_resets_every_offset()
    {
        await using var connect = await StoppedSourceAsync();
        connect.Emulator.CommitOffsets("mm2-source", [(ConnectServer.Partition("orders", 0), ConnectServer.Offset(10))]);

        var (status, body) = await connect.SendAsync(HttpMethod.Delete, "/connectors/mm2-source/offsets");
        var (again, _) = await connect.SendAsync(HttpMethod.Delete, "/connectors/mm2-source/offsets");
        var (_, listed) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/offsets");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["message"] = "The offsets for this connector have been reset successfully" }, body));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"offsets":[]}"""), listed));
    }

    [Theory]
    [InlineData("""{"topic":"orders","partition":0}""", """{"offset":1}""", "Source partition {topic=orders, partition=0} is missing the 'cluster' key, which is required")]
    [InlineData("""{"cluster":"source","partition":0}""", """{"offset":1}""", "Source partition {cluster=source, partition=0} is missing the 'topic' key, which is required")]
    [InlineData("""{"cluster":"source","topic":"orders"}""", """{"offset":1}""", "Source partition {cluster=source, topic=orders} is missing the 'partition' key, which is required")]
    [InlineData("""{"cluster":1,"topic":"orders","partition":0}""", """{"offset":1}""", "Source partition {cluster=1, topic=orders, partition=0} has an invalid value 1 for the 'cluster' key, which must be a string")]
    [InlineData("""{"cluster":"source","topic":"orders","partition":"0"}""", """{"offset":1}""", "Source partition {cluster=source, topic=orders, partition=0} has an invalid value 0 for the 'partition' key, which must be an integer")]
    [InlineData("""{"cluster":"source","topic":"orders","partition":-1}""", """{"offset":1}""", "Source partition {cluster=source, topic=orders, partition=-1} has an invalid value -1 for the 'partition' key, which cannot be negative")]
    [InlineData("""{"cluster":"source","topic":"orders","partition":0}""", """{"position":1}""", "Source offset {position=1} for source partition {cluster=source, topic=orders, partition=0} is missing the 'offset' key, which is required")]
    [InlineData("""{"cluster":"source","topic":"orders","partition":0}""", """{"offset":"1"}""", "Source offset {offset=1} for source partition {cluster=source, topic=orders, partition=0} has an invalid value 1 for the 'offset' key, which must be an integer")]
    [InlineData("""{"cluster":"source","topic":"orders","partition":0}""", """{"offset":1.5}""", "Source offset {offset=1.5} for source partition {cluster=source, topic=orders, partition=0} has an invalid value 1.5 for the 'offset' key, which must be an integer")]
    [InlineData("""{"cluster":"source","topic":"orders","partition":0}""", """{"offset":-2}""", "Source offset {offset=-2} for source partition {cluster=source, topic=orders, partition=0} has an invalid value -2 for the 'offset' key, which cannot be negative")]
    [InlineData("null", """{"offset":1}""", "Source partitions may not be null")]
    public async Task MirrorSourceConnector_rejects_bad_offsets_with_500_naming_the_key(string partition, string offset, string message)
    {
        await using var connect = await StoppedSourceAsync();
        var body = ConnectServer.OffsetsBody((ConnectServer.Partition(), ConnectServer.Offset(3)), (JsonNode.Parse(partition), JsonNode.Parse(offset)));

        var (status, error) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-source/offsets", body);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["error_code"] = 500, ["message"] = message }, error));
        Assert.Empty(connect.Emulator.GetOffsets("mm2-source"));
    }

    [Fact]
    public async Task A_tombstone_is_accepted_whatever_its_partition_looks_like()
    {
        await using var connect = await StoppedSourceAsync();

        var (status, _) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-source/offsets",
            ConnectServer.OffsetsBody((new JsonObject { ["garbage"] = true }, null)));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Checkpoint_and_heartbeat_connectors_accept_only_offset_zero_under_their_own_keys()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-checkpoint", ConnectServer.Config(ConnectServer.CheckpointClass, 1));
        await connect.CreateAsync("mm2-heartbeat", ConnectServer.Config(ConnectServer.HeartbeatClass, 1));
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-checkpoint/stop");
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-heartbeat/stop");
        var group = new JsonObject { ["group"] = "billing", ["topic"] = "source.orders", ["partition"] = 0 };
        var aliases = new JsonObject { ["sourceClusterAlias"] = "source", ["targetClusterAlias"] = "target" };

        var (checkpointOk, _) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-checkpoint/offsets", ConnectServer.OffsetsBody((group, ConnectServer.Offset(0))));
        var (checkpointBad, checkpointError) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-checkpoint/offsets", ConnectServer.OffsetsBody((group, ConnectServer.Offset(7))));
        var (sourceKeys, sourceKeysError) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-checkpoint/offsets", ConnectServer.OffsetsBody((ConnectServer.Partition(), ConnectServer.Offset(0))));
        var (heartbeatOk, _) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-heartbeat/offsets", ConnectServer.OffsetsBody((aliases, ConnectServer.Offset(0))));
        var (heartbeatBad, heartbeatError) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-heartbeat/offsets",
            ConnectServer.OffsetsBody((new JsonObject { ["sourceClusterAlias"] = "source" }, ConnectServer.Offset(0))));

        Assert.Equal(HttpStatusCode.OK, checkpointOk);
        Assert.Equal(HttpStatusCode.InternalServerError, checkpointBad);
        Assert.Equal("Source offset {offset=7} for source partition {group=billing, topic=source.orders, partition=0} has an invalid value 7 for the 'offset' key; the only accepted value is 0", (string)checkpointError!["message"]!);
        Assert.Equal(HttpStatusCode.InternalServerError, sourceKeys);
        Assert.Contains("is missing the 'group' key", (string)sourceKeysError!["message"]!);
        Assert.Equal(HttpStatusCode.OK, heartbeatOk);
        Assert.Equal(HttpStatusCode.InternalServerError, heartbeatBad);
        Assert.Equal("Source partition {sourceClusterAlias=source} is missing the 'targetClusterAlias' key, which is required", (string)heartbeatError!["message"]!);
    }

    [Fact]
    public async Task Other_connector_classes_take_any_offsets_with_the_framework_message()
    {
        await using var connect = await StoppedSourceAsync(ConnectServer.Config("org.apache.kafka.connect.file.FileStreamSourceConnector", 1));

        var (altered, alteredBody) = await connect.SendAsync(HttpMethod.Patch, "/connectors/mm2-source/offsets",
            ConnectServer.OffsetsBody((new JsonObject { ["filename"] = "/tmp/in.txt" }, new JsonObject { ["position"] = 12 })));
        var (_, resetBody) = await connect.SendAsync(HttpMethod.Delete, "/connectors/mm2-source/offsets");

        Assert.Equal(HttpStatusCode.OK, altered);
        Assert.StartsWith("The Connect framework-managed offsets for this connector have been altered successfully. However,", (string)alteredBody!["message"]!);
        Assert.StartsWith("The Connect framework-managed offsets for this connector have been reset successfully. However,", (string)resetBody!["message"]!);
    }
}
