using System.Net;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Tests.Connect;

/// <summary>The API an operator emulator and tests use without HTTP, and the Changed event.</summary>
public sealed class DirectApiTests
{
    [Fact]
    public async Task PutConnector_SetTargetState_and_DeleteConnector_are_seen_through_REST_and_raise_Changed_once_per_change()
    {
        await using var connect = await ConnectServer.StartAsync();
        var changes = new List<string>();
        connect.Emulator.Changed += name =>
        {
            lock (changes)
            {
                changes.Add($"{name}:{connect.Emulator.Get(name)?.ConnectorState ?? "gone"}");
            }
        };

        connect.Emulator.PutConnector("mm2-source", ConnectServer.Config(), "PAUSED");
        connect.Emulator.PutConnector("mm2-source", ConnectServer.Config(), "PAUSED");
        var (_, status) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/status");
        connect.Emulator.SetTargetState("mm2-source", "STARTED");
        connect.Emulator.SetTargetState("mm2-source", "STARTED");
        var snapshot = connect.Emulator.Get("mm2-source")!;
        var deleted = connect.Emulator.DeleteConnector("mm2-source");
        var deletedAgain = connect.Emulator.DeleteConnector("mm2-source");

        Assert.Equal("PAUSED", (string)status!["connector"]!["state"]!);
        Assert.Equal(ConnectServer.SourceClass, snapshot.Class);
        Assert.Equal("mm2-source", (string)snapshot.Config["name"]!);
        Assert.Equal(("STARTED", "RUNNING", 2), (snapshot.TargetState, snapshot.ConnectorState, snapshot.Tasks.Count));
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.Empty(connect.Emulator.ConnectorNames);
        Assert.Equal(["mm2-source:PAUSED", "mm2-source:RUNNING", "mm2-source:gone"], changes);
    }

    [Fact]
    public async Task Changes_made_through_REST_raise_Changed()
    {
        await using var connect = await ConnectServer.StartAsync();
        connect.Emulator.PutConnector("mm2-source", ConnectServer.Config());
        var paused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connect.Emulator.Changed += name => paused.TrySetResult(connect.Emulator.Get(name)!.TargetState);

        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/pause");

        Assert.Equal("PAUSED", await paused.Task.WaitAsync(ConnectServer.Timeout));
    }

    [Fact]
    public async Task CommitOffsets_writes_as_a_task_would_and_a_null_offset_removes_the_entry()
    {
        await using var connect = await ConnectServer.StartAsync();
        connect.Emulator.PutConnector("mm2-source", ConnectServer.Config());
        var changed = 0;
        connect.Emulator.Changed += _ => Interlocked.Increment(ref changed);

        connect.Emulator.CommitOffsets("mm2-source", [(ConnectServer.Partition("orders", 0), ConnectServer.Offset(7)), (ConnectServer.Partition("orders", 1), ConnectServer.Offset(8))]);
        connect.Emulator.CommitOffsets("mm2-source", [(ConnectServer.Partition("orders", 1), null)]);
        var offsets = connect.Emulator.GetOffsets("mm2-source");
        var (_, listed) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/offsets");

        Assert.Equal(2, changed);
        var single = Assert.Single(offsets);
        Assert.Equal(7, (long)single.Offset!["offset"]!);
        Assert.Single(listed!["offsets"]!.AsArray());
        Assert.Throws<InvalidOperationException>(() => connect.Emulator.CommitOffsets("ghost", [(ConnectServer.Partition(), ConnectServer.Offset(1))]));
    }

    [Fact]
    public async Task FailConnector_and_FailTask_show_in_the_status_with_their_traces()
    {
        await using var connect = await ConnectServer.StartAsync();
        connect.Emulator.PutConnector("mm2-source", ConnectServer.Config());

        connect.Emulator.FailConnector("mm2-source", "connector trace");
        connect.Emulator.FailTask("mm2-source", 1, "task trace");
        var (status, body) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/status");
        var snapshot = connect.Emulator.Get("mm2-source")!;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("FAILED", (string)body!["connector"]!["state"]!);
        Assert.Equal("connector trace", (string)body["connector"]!["trace"]!);
        Assert.Equal("FAILED", (string)body["tasks"]![1]!["state"]!);
        Assert.Null(body["tasks"]![0]!["trace"]);
        Assert.Equal(("FAILED", "connector trace", "task trace"), (snapshot.ConnectorState, snapshot.Trace, snapshot.Tasks[1].Trace));
    }

    [Fact]
    public async Task The_direct_API_refuses_what_the_herder_would()
    {
        await using var connect = await ConnectServer.StartAsync();

        Assert.Throws<ArgumentException>(() => connect.Emulator.PutConnector("bad", new JsonObject { ["tasks.max"] = "1" }));
        Assert.Throws<ArgumentException>(() => connect.Emulator.PutConnector("bad", ConnectServer.Config(), "RUNNING"));
        Assert.Throws<InvalidOperationException>(() => connect.Emulator.SetTargetState("ghost", "PAUSED"));
        Assert.Throws<InvalidOperationException>(() => connect.Emulator.FailConnector("ghost", "x"));
        connect.Emulator.PutConnector("mm2-source", ConnectServer.Config());
        Assert.Throws<InvalidOperationException>(() => connect.Emulator.FailTask("mm2-source", 9, "x"));
        Assert.Null(connect.Emulator.Get("bad"));
        Assert.Empty(connect.Emulator.GetOffsets("ghost"));
    }

    [Fact]
    public async Task The_emulator_listens_on_loopback_at_its_EndPoint()
    {
        await using var connect = await ConnectServer.StartAsync();

        Assert.Equal(System.Net.IPAddress.Loopback, connect.Emulator.EndPoint.Address);
        Assert.Equal(connect.Emulator.EndPoint.Port, connect.Emulator.BaseUri.Port);
        Assert.Equal("10.0.0.1:8083", connect.Emulator.WorkerId);
    }
}
