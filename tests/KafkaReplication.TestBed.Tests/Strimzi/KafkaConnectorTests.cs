using k8s;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Tests.Strimzi;

/// <summary>KafkaConnector reconciliation: registration, spec.state, ownership of the connectors, restart annotations.</summary>
public sealed class KafkaConnectorTests
{
    private static async Task<OperatorCluster> WithConnectorAsync(string? state = "running")
    {
        var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connect("mm2"));
        await cluster.CreateAsync(OperatorCluster.Connector("source", "mm2", state));
        return cluster;
    }

    private static JsonObject Annotate(string key, string? value) =>
        new() { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } };

    [Fact]
    public async Task A_KafkaConnector_is_registered_with_its_class_tasksMax_and_config_and_reports_the_Connect_status()
    {
        await using var cluster = await WithConnectorAsync();

        var snapshot = cluster.ConnectFor("mm2").Get("source")!;
        var connector = await cluster.GetAsync("kafkaconnectors", "source");
        var status = connector["status"]!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"source.cluster.alias":"source","target.cluster.alias":"target","topics":"orders.*","replication.factor":"3",
             "tasks.max":"2","name":"source","connector.class":"org.apache.kafka.connect.mirror.MirrorSourceConnector"}
            """), snapshot.Config));
        Assert.Equal(("STARTED", "RUNNING", 2), (snapshot.TargetState, snapshot.ConnectorState, snapshot.Tasks.Count));
        Assert.Equal("True", OperatorCluster.Condition(connector, "Ready")!["status"]!.ToString());
        Assert.Equal(1, (long)status["observedGeneration"]!);
        Assert.Equal(2, (int)status["tasksMax"]!);
        Assert.Empty(status["topics"]!.AsArray());
        Assert.Equal("source", status["connectorStatus"]!["name"]!.ToString());
        Assert.Equal("RUNNING", status["connectorStatus"]!["connector"]!["state"]!.ToString());
        Assert.Equal("source", status["connectorStatus"]!["type"]!.ToString());
        Assert.Equal(2, status["connectorStatus"]!["tasks"]!.AsArray().Count);
    }

    [Fact]
    public async Task Spec_state_drives_the_connector_and_the_status_follows()
    {
        await using var cluster = await WithConnectorAsync();
        var seen = new List<string>();

        foreach (var state in new[] { "paused", "stopped", "running", "stopped", "paused" })
        {
            await cluster.PatchAsync("kafkaconnectors", "source", new JsonObject { ["spec"] = new JsonObject { ["state"] = state } });
            var connector = await cluster.GetAsync("kafkaconnectors", "source");
            var snapshot = cluster.ConnectFor("mm2").Get("source")!;
            var reported = connector["status"]!["connectorStatus"]!;
            seen.Add($"{state}: {snapshot.TargetState} {reported["connector"]!["state"]} tasks={reported["tasks"]!.AsArray().Count} gen={connector["status"]!["observedGeneration"]}");
        }

        Assert.Equal(
            [
                "paused: PAUSED PAUSED tasks=2 gen=2",
                "stopped: STOPPED STOPPED tasks=0 gen=3",
                "running: STARTED RUNNING tasks=2 gen=4",
                "stopped: STOPPED STOPPED tasks=0 gen=5",
                "paused: PAUSED PAUSED tasks=0 gen=6",
            ],
            seen);
    }

    [Fact]
    public async Task The_deprecated_pause_flag_pauses_and_loses_to_state_with_a_warning()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connect("mm2"));
        var paused = OperatorCluster.Connector("source", "mm2", state: null);
        paused["spec"]!["pause"] = true;
        await cluster.CreateAsync(paused);
        var pausedTarget = cluster.ConnectFor("mm2").Get("source")!.TargetState;

        await cluster.PatchAsync("kafkaconnectors", "source", new JsonObject { ["spec"] = new JsonObject { ["state"] = "running" } });
        var connector = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.Equal("PAUSED", pausedTarget);
        Assert.Equal("STARTED", cluster.ConnectFor("mm2").Get("source")!.TargetState);
        var warning = OperatorCluster.Condition(connector, "Warning")!;
        Assert.Equal("UpdateState", warning["reason"]!.ToString());
        Assert.Equal("Both pause and state are set. Since pause is deprecated, state takes precedence so the connector will be running", warning["message"]!.ToString());
    }

    [Fact]
    public async Task A_pause_made_through_REST_is_reverted()
    {
        await using var cluster = await WithConnectorAsync();
        var connect = cluster.ConnectFor("mm2");
        using var http = new HttpClient { BaseAddress = connect.BaseUri };
        // Two changes to the connector after the pause: the pause itself and the operator's resume.
        var changes = 0;
        var reverted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connect.Changed += name =>
        {
            if (name == "source" && Interlocked.Increment(ref changes) == 2)
            {
                reverted.TrySetResult();
            }
        };

        using var paused = await http.PutAsync("connectors/source/pause", null);
        await reverted.Task.WaitAsync(Kubernetes.EmulatedCluster.Timeout);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, paused.StatusCode);
        Assert.Equal(("STARTED", "RUNNING"), (connect.Get("source")!.TargetState, connect.Get("source")!.ConnectorState));
    }

    [Fact]
    public async Task A_config_change_made_through_REST_is_reverted()
    {
        await using var cluster = await WithConnectorAsync();
        var connect = cluster.ConnectFor("mm2");
        using var http = new HttpClient { BaseAddress = connect.BaseUri };
        var changed = (JsonObject)connect.Get("source")!.Config.DeepClone();
        changed["topics"] = "everything.*";

        using var put = await http.PutAsJsonAsync("connectors/source/config", changed);
        await cluster.Strimzi.ReconcileNowAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("orders.*", connect.Get("source")!.Config["topics"]!.ToString());
    }

    [Fact]
    public async Task A_connector_without_a_KafkaConnector_is_deleted_and_so_is_one_whose_KafkaConnector_goes()
    {
        await using var cluster = await WithConnectorAsync();
        var connect = cluster.ConnectFor("mm2");
        using var http = new HttpClient { BaseAddress = connect.BaseUri };

        using var created = await http.PostAsJsonAsync("connectors", new JsonObject
        {
            ["name"] = "rogue",
            ["config"] = new JsonObject { ["connector.class"] = OperatorCluster.SourceClass },
        });
        await cluster.Strimzi.ReconcileNowAsync();
        var afterOrphan = connect.ConnectorNames;
        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(OperatorCluster.Group, OperatorCluster.Version, OperatorCluster.Ns, "kafkaconnectors", "source");
        await cluster.Strimzi.ReconcileNowAsync();

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["source"], afterOrphan);
        Assert.Empty(connect.ConnectorNames);
    }

    [Fact]
    public async Task The_restart_annotation_restarts_the_connector_and_is_removed()
    {
        await using var cluster = await WithConnectorAsync();
        var connect = cluster.ConnectFor("mm2");
        connect.FailConnector("source", "java.lang.RuntimeException: boom");
        await cluster.Strimzi.ReconcileNowAsync();
        var failed = await cluster.GetAsync("kafkaconnectors", "source");

        await cluster.PatchAsync("kafkaconnectors", "source", Annotate("strimzi.io/restart", "true"));
        var restarted = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.Equal("Connector has failed, see connectorStatus for more details.", OperatorCluster.Condition(failed, "NotReady")!["message"]!.ToString());
        Assert.Equal("RUNNING", connect.Get("source")!.ConnectorState);
        Assert.Null(restarted["metadata"]!["annotations"]?["strimzi.io/restart"]);
        Assert.Equal("True", OperatorCluster.Condition(restarted, "Ready")!["status"]!.ToString());
    }

    [Fact]
    public async Task The_restart_task_annotation_restarts_one_task_and_is_removed_and_an_unknown_task_warns()
    {
        await using var cluster = await WithConnectorAsync();
        var connect = cluster.ConnectFor("mm2");
        connect.FailTask("source", 1, "boom");

        await cluster.PatchAsync("kafkaconnectors", "source", Annotate("strimzi.io/restart-task", "1"));
        var restarted = await cluster.GetAsync("kafkaconnectors", "source");
        var tasks = connect.Get("source")!.Tasks.Select(t => t.State).ToList();
        await cluster.PatchAsync("kafkaconnectors", "source", Annotate("strimzi.io/restart-task", "5"));
        var unknown = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.Equal(["RUNNING", "RUNNING"], tasks);
        Assert.Null(restarted["metadata"]!["annotations"]?["strimzi.io/restart-task"]);
        Assert.Equal("5", unknown["metadata"]!["annotations"]!["strimzi.io/restart-task"]!.ToString());
        Assert.Equal("Failed to restart connector task source:5. Unknown task: source-5", OperatorCluster.Condition(unknown, "Warning")!["message"]!.ToString());
    }

    [Fact]
    public async Task A_connector_for_a_cluster_scaled_to_zero_is_NotReady()
    {
        await using var cluster = await WithConnectorAsync();

        await cluster.PatchAsync("kafkaconnects", "mm2", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 0 } });
        var connector = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.Equal("Kafka Connect cluster 'mm2' in namespace kafka has 0 replicas.", OperatorCluster.Condition(connector, "NotReady")!["message"]!.ToString());
    }
}
