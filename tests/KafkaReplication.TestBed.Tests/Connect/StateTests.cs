using System.Net;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Tests.Connect;

/// <summary>Pause, resume, stop and the restart variants, seen through the status endpoint.</summary>
public sealed class StateTests
{
    /// <summary>"CONNECTOR: TASK0 TASK1 ..." as GET .../status reports them.</summary>
    private static async Task<string> StatesAsync(ConnectServer connect, string name)
    {
        var (_, status) = await connect.SendAsync(HttpMethod.Get, $"/connectors/{name}/status");
        return $"{status!["connector"]!["state"]}:" + string.Concat(status["tasks"]!.AsArray().Select(t => $" {t!["state"]}"));
    }

    [Fact]
    public async Task Pause_and_resume_answer_202_and_move_connector_and_tasks()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");

        var (paused, pauseBody) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/pause");
        var afterPause = await StatesAsync(connect, "mm2-source");
        var target = connect.Emulator.Get("mm2-source")!.TargetState;
        var (resumed, _) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/resume");
        var afterResume = await StatesAsync(connect, "mm2-source");

        Assert.Equal(HttpStatusCode.Accepted, paused);
        Assert.Null(pauseBody);
        Assert.Equal("PAUSED: PAUSED PAUSED", afterPause);
        Assert.Equal("PAUSED", target);
        Assert.Equal(HttpStatusCode.Accepted, resumed);
        Assert.Equal("RUNNING: RUNNING RUNNING", afterResume);
    }

    [Fact]
    public async Task Stop_answers_204_and_a_stopped_connector_has_no_tasks_until_resumed()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");

        var (stopped, _) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/stop");
        var afterStop = await StatesAsync(connect, "mm2-source");
        var targetAfterStop = connect.Emulator.Get("mm2-source")!.TargetState;
        var (_, taskConfigs) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/tasks");
        var (_, info) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source");
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/pause");
        var pausedFromStopped = await StatesAsync(connect, "mm2-source");
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/resume");
        var afterResume = await StatesAsync(connect, "mm2-source");

        Assert.Equal(HttpStatusCode.NoContent, stopped);
        Assert.Equal("STOPPED:", afterStop);
        Assert.Empty(taskConfigs!.AsArray());
        Assert.Empty(info!["tasks"]!.AsArray());
        Assert.Equal("STOPPED", targetAfterStop);
        Assert.Equal("PAUSED:", pausedFromStopped);
        Assert.Equal("RUNNING: RUNNING RUNNING", afterResume);
    }

    [Fact]
    public async Task Post_with_initial_state_creates_the_connector_in_that_state()
    {
        await using var connect = await ConnectServer.StartAsync();

        var (created, _) = await connect.SendAsync(HttpMethod.Post, "/connectors",
            new JsonObject { ["name"] = "later", ["config"] = ConnectServer.Config(), ["initial_state"] = "STOPPED" });

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("STOPPED:", await StatesAsync(connect, "later"));
    }

    [Fact]
    public async Task A_plain_restart_is_204_without_a_body_and_restarts_only_the_connector()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.FailConnector("mm2-source", "java.lang.RuntimeException: boom");
        connect.Emulator.FailTask("mm2-source", 1, "org.apache.kafka.connect.errors.ConnectException: task boom");
        var (_, failed) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/status");

        var (restarted, body) = await connect.SendAsync(HttpMethod.Post, "/connectors/mm2-source/restart");
        var after = await StatesAsync(connect, "mm2-source");

        Assert.Equal("java.lang.RuntimeException: boom", (string)failed!["connector"]!["trace"]!);
        Assert.Equal("org.apache.kafka.connect.errors.ConnectException: task boom", (string)failed["tasks"]![1]!["trace"]!);
        Assert.Equal(HttpStatusCode.NoContent, restarted);
        Assert.Null(body);
        Assert.Equal("RUNNING: RUNNING FAILED", after);
    }

    [Fact]
    public async Task Restart_with_includeTasks_and_onlyFailed_is_202_and_names_what_restarts()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.FailTask("mm2-source", 1, "boom");

        var (accepted, plan) = await connect.SendAsync(HttpMethod.Post, "/connectors/mm2-source/restart?includeTasks=true&onlyFailed=true");
        var after = await StatesAsync(connect, "mm2-source");

        Assert.Equal(HttpStatusCode.Accepted, accepted);
        Assert.Equal("RUNNING", (string)plan!["connector"]!["state"]!);
        Assert.Equal(["RUNNING", "RESTARTING"], plan["tasks"]!.AsArray().Select(t => (string)t!["state"]!));
        Assert.Equal("RUNNING: RUNNING RUNNING", after);
    }

    [Fact]
    public async Task Restart_with_includeTasks_restarts_everything_and_onlyFailed_alone_only_a_failed_connector()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");

        var (all, allPlan) = await connect.SendAsync(HttpMethod.Post, "/connectors/mm2-source/restart?includeTasks=true");
        var (onlyFailed, healthyPlan) = await connect.SendAsync(HttpMethod.Post, "/connectors/mm2-source/restart?onlyFailed=true");
        connect.Emulator.FailConnector("mm2-source", "boom");
        var (_, failedPlan) = await connect.SendAsync(HttpMethod.Post, "/connectors/mm2-source/restart?onlyFailed=true");

        Assert.Equal(HttpStatusCode.Accepted, all);
        Assert.Equal("RESTARTING", (string)allPlan!["connector"]!["state"]!);
        Assert.All(allPlan["tasks"]!.AsArray(), t => Assert.Equal("RESTARTING", (string)t!["state"]!));
        Assert.Equal(HttpStatusCode.Accepted, onlyFailed);
        Assert.Equal("RUNNING", (string)healthyPlan!["connector"]!["state"]!);
        Assert.Equal("RESTARTING", (string)failedPlan!["connector"]!["state"]!);
        Assert.All(failedPlan["tasks"]!.AsArray(), t => Assert.Equal("RUNNING", (string)t!["state"]!));
        Assert.Equal("RUNNING", connect.Emulator.Get("mm2-source")!.ConnectorState);
    }

    [Fact]
    public async Task A_task_restart_is_204_and_an_unknown_task_is_404()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.FailTask("mm2-source", 0, "boom");

        var (restarted, _) = await connect.SendAsync(HttpMethod.Post, "/connectors/mm2-source/tasks/0/restart");
        var (unknown, error) = await connect.SendAsync(HttpMethod.Post, "/connectors/mm2-source/tasks/7/restart");

        Assert.Equal(HttpStatusCode.NoContent, restarted);
        Assert.Equal("RUNNING", connect.Emulator.Get("mm2-source")!.Tasks[0].State);
        Assert.Null(connect.Emulator.Get("mm2-source")!.Tasks[0].Trace);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("Unknown task: mm2-source-7", (string)error!["message"]!);
    }

    [Fact]
    public async Task Failures_survive_pause_and_resume_until_a_restart()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.FailTask("mm2-source", 0, "boom");

        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/pause");
        var paused = await StatesAsync(connect, "mm2-source");
        await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/resume");
        var resumed = await StatesAsync(connect, "mm2-source");

        Assert.Equal("PAUSED: FAILED PAUSED", paused);
        Assert.Equal("RUNNING: FAILED RUNNING", resumed);
    }
}
