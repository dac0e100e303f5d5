using System.Net;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Tests.Connect;

/// <summary>Creating, reading, reconfiguring, listing and deleting connectors through the REST API.</summary>
public sealed class ConnectorLifecycleTests
{
    [Fact]
    public async Task Post_creates_a_connector_with_201_and_a_Location_and_a_second_post_is_409()
    {
        await using var connect = await ConnectServer.StartAsync();
        var body = new JsonObject { ["name"] = "mm2-source", ["config"] = ConnectServer.Config() };

        using var created = await connect.Http.PostAsync("connectors", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var info = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var (duplicate, error) = await connect.SendAsync(HttpMethod.Post, "/connectors", body);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(new Uri(connect.Emulator.BaseUri, "connectors/mm2-source"), created.Headers.Location);
        Assert.Equal("mm2-source", (string)info["name"]!);
        Assert.Equal("mm2-source", (string)info["config"]!["name"]!);
        Assert.Equal("source", (string)info["type"]!);
        Assert.Empty(info["tasks"]!.AsArray());
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["error_code"] = 409, ["message"] = "Connector mm2-source already exists" }, error));
    }

    [Fact]
    public async Task Put_config_answers_201_when_it_creates_and_200_when_it_updates()
    {
        await using var connect = await ConnectServer.StartAsync();

        var (first, _) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/config", ConnectServer.Config(tasksMax: 1));
        var (second, info) = await connect.SendAsync(HttpMethod.Put, "/connectors/mm2-source/config", ConnectServer.Config(tasksMax: 3));
        var (_, config) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/config");
        var (_, tasks) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/tasks");

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal("3", (string)info!["config"]!["tasks.max"]!);
        Assert.Equal("3", (string)config!["tasks.max"]!);
        Assert.Equal("mm2-source", (string)config["name"]!);
        Assert.Equal([0, 1, 2], tasks!.AsArray().Select(t => (int)t!["id"]!["task"]!));
        Assert.Equal("org.apache.kafka.connect.mirror.MirrorSourceTask", (string)tasks[0]!["config"]!["task.class"]!);
    }

    [Fact]
    public async Task Config_values_become_strings_and_invalid_configs_are_400()
    {
        await using var connect = await ConnectServer.StartAsync();
        var numeric = ConnectServer.Config();
        numeric["tasks.max"] = 2;
        var renamed = ConnectServer.Config();
        renamed["name"] = "other";
        var classless = new JsonObject { ["tasks.max"] = "1" };
        var badTasks = ConnectServer.Config();
        badTasks["tasks.max"] = "many";

        var (created, info) = await connect.SendAsync(HttpMethod.Put, "/connectors/a/config", numeric);
        var (mismatch, mismatchError) = await connect.SendAsync(HttpMethod.Put, "/connectors/b/config", renamed);
        var (noClass, noClassError) = await connect.SendAsync(HttpMethod.Put, "/connectors/c/config", classless);
        var (invalid, invalidError) = await connect.SendAsync(HttpMethod.Put, "/connectors/d/config", badTasks);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("2", (string)info!["config"]!["tasks.max"]!);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch);
        Assert.Equal("Connector name configuration (other) doesn't match connector name in the URL (b)", (string)mismatchError!["message"]!);
        Assert.Equal(HttpStatusCode.BadRequest, noClass);
        Assert.Equal("Connector config {tasks.max=1, name=c} contains no connector type", (string)noClassError!["message"]!);
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Contains("Invalid value many for configuration tasks.max", (string)invalidError!["message"]!);
        Assert.Equal(["a"], connect.Emulator.ConnectorNames);
    }

    [Fact]
    public async Task The_list_is_an_array_of_names_and_expand_gives_an_object_keyed_by_name()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("b-checkpoint", ConnectServer.Config(ConnectServer.CheckpointClass, 1));
        await connect.CreateAsync("a-source");

        var (_, names) = await connect.SendAsync(HttpMethod.Get, "/connectors");
        var (_, expanded) = await connect.SendAsync(HttpMethod.Get, "/connectors?expand=status&expand=info");
        var (_, statusOnly) = await connect.SendAsync(HttpMethod.Get, "/connectors?expand=status");

        Assert.Equal(["a-source", "b-checkpoint"], names!.AsArray().Select(n => (string)n!));
        Assert.Equal(["a-source", "b-checkpoint"], expanded!.AsObject().Select(p => p.Key).Order());
        Assert.Equal("RUNNING", (string)expanded["a-source"]!["status"]!["connector"]!["state"]!);
        Assert.Equal(ConnectServer.CheckpointClass, (string)expanded["b-checkpoint"]!["info"]!["config"]!["connector.class"]!);
        Assert.Null(statusOnly!["a-source"]!["info"]);
        Assert.NotNull(statusOnly["a-source"]!["status"]);
    }

    [Fact]
    public async Task Info_and_status_of_a_running_connector()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");

        var (_, info) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source");
        var (_, status) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/status");
        var (_, task) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/tasks/1/status");

        Assert.True(JsonNode.DeepEquals(new JsonArray(
            new JsonObject { ["connector"] = "mm2-source", ["task"] = 0 },
            new JsonObject { ["connector"] = "mm2-source", ["task"] = 1 }), info!["tasks"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"name":"mm2-source","connector":{"state":"RUNNING","worker_id":"10.0.0.1:8083"},
             "tasks":[{"id":0,"state":"RUNNING","worker_id":"10.0.0.1:8083"},{"id":1,"state":"RUNNING","worker_id":"10.0.0.1:8083"}],
             "type":"source"}
            """), status));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"id":1,"state":"RUNNING","worker_id":"10.0.0.1:8083"}"""), task));
    }

    [Theory]
    [InlineData("GET", "/connectors/ghost", "Connector ghost not found")]
    [InlineData("GET", "/connectors/ghost/config", "Connector ghost not found")]
    [InlineData("GET", "/connectors/ghost/tasks", "Connector ghost not found")]
    [InlineData("GET", "/connectors/ghost/status", "No status found for connector ghost")]
    [InlineData("GET", "/connectors/ghost/offsets", "Connector ghost not found")]
    [InlineData("PUT", "/connectors/ghost/pause", "Unknown connector ghost")]
    [InlineData("PUT", "/connectors/ghost/resume", "Unknown connector ghost")]
    [InlineData("PUT", "/connectors/ghost/stop", "Unknown connector ghost")]
    [InlineData("POST", "/connectors/ghost/restart", "Unknown connector: ghost")]
    [InlineData("POST", "/connectors/ghost/restart?includeTasks=true", "Unknown connector: ghost")]
    [InlineData("POST", "/connectors/ghost/tasks/0/restart", "Unknown connector: ghost")]
    [InlineData("DELETE", "/connectors/ghost", "Connector ghost not found")]
    [InlineData("DELETE", "/connectors/ghost/offsets", "Connector ghost not found")]
    public async Task An_unknown_connector_is_404_with_the_herder_message(string method, string path, string message)
    {
        await using var connect = await ConnectServer.StartAsync();

        var (status, body) = await connect.SendAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["error_code"] = 404, ["message"] = message }, body));
    }

    [Fact]
    public async Task Delete_answers_204_and_the_offsets_outlive_the_connector()
    {
        await using var connect = await ConnectServer.StartAsync();
        await connect.CreateAsync("mm2-source");
        connect.Emulator.CommitOffsets("mm2-source", [(ConnectServer.Partition(), ConnectServer.Offset(41))]);

        var (deleted, body) = await connect.SendAsync(HttpMethod.Delete, "/connectors/mm2-source");
        var (_, names) = await connect.SendAsync(HttpMethod.Get, "/connectors");
        await connect.CreateAsync("mm2-source");
        var (_, offsets) = await connect.SendAsync(HttpMethod.Get, "/connectors/mm2-source/offsets");

        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Null(body);
        Assert.Empty(names!.AsArray());
        Assert.Equal(41, (long)offsets!["offsets"]![0]!["offset"]!["offset"]!);
    }

    [Fact]
    public async Task Unknown_paths_are_404_and_wrong_methods_405_in_the_error_format()
    {
        await using var connect = await ConnectServer.StartAsync();

        var (missing, missingBody) = await connect.SendAsync(HttpMethod.Get, "/nothing/here");
        var (wrong, wrongBody) = await connect.SendAsync(HttpMethod.Post, "/connectors/x/pause");
        var (_, root) = await connect.SendAsync(HttpMethod.Get, "/");

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(404, (int)missingBody!["error_code"]!);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong);
        Assert.Equal(405, (int)wrongBody!["error_code"]!);
        Assert.Equal("3.8.0", (string)root!["version"]!);
    }
}
