using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Kubernetes;

namespace KafkaReplication.TestBed.Tests.Strimzi;

/// <summary>A new KafkaConnect generation rolls the pods one by one before the status catches up.</summary>
public sealed class RollingRestartTests
{
    private static Task WaitForObservedGenerationAsync(OperatorCluster cluster, long generation)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(JsonObject? connect)
        {
            if (connect?["status"]?["observedGeneration"] is JsonValue v && v.GetValue<long>() == generation)
            {
                reached.TrySetResult();
            }
        }

        void OnChanged(WatchEventRecord e)
        {
            if (e.Object["kind"]?.ToString() == "KafkaConnect")
            {
                Check(e.Object);
            }
        }

        cluster.Kubernetes.Emulator.Changed += OnChanged;
        Check(cluster.Kubernetes.Emulator.Get(OperatorCluster.ApiVersion, "KafkaConnect", OperatorCluster.Ns, "mm2"));
        return reached.Task.WaitAsync(Kubernetes.EmulatedCluster.Timeout)
            .ContinueWith(t =>
            {
                cluster.Kubernetes.Emulator.Changed -= OnChanged;
                t.GetAwaiter().GetResult();
            }, TaskScheduler.Default);
    }

    private const string Revision = "strimzi.io/revision";

    private static string? Str(JsonObject obj, string a, string b) => obj[a]?[b]?.ToString();

    private static string? Annotation(JsonObject obj, string key) => obj["metadata"]?["annotations"]?[key]?.ToString();

    private static JsonObject WorkerConfig(string key, string value) =>
        new() { ["spec"] = new JsonObject { ["config"] = new JsonObject { [key] = value } } };

    [Fact]
    public async Task A_config_change_deletes_and_recreates_each_pod_in_turn_then_reports_the_generation()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connect("mm2", replicas: 2));
        await cluster.CreateAsync(OperatorCluster.Connector("source", "mm2", state: "paused"));
        var seen = new List<string>();
        cluster.Kubernetes.Emulator.Changed += e =>
        {
            var kind = e.Object["kind"]!.ToString();
            var line = kind switch
            {
                "Pod" => $"{e.Type} {Str(e.Object, "metadata", "name")} revision={Annotation(e.Object, Revision)}",
                "KafkaConnect" => $"{e.Type} KafkaConnect generation={e.Object["metadata"]!["generation"]} observed={e.Object["status"]?["observedGeneration"]}",
                _ => null,
            };
            if (line is not null)
            {
                lock (seen)
                {
                    seen.Add(line);
                }
            }
        };
        var before = cluster.Kubernetes.Emulator.List("v1", "Pod", OperatorCluster.Ns).Select(p => Str(p, "metadata", "uid")).ToList();

        await cluster.PatchAsync("kafkaconnects", "mm2", WorkerConfig("exactly.once.source.support", "preparing"), reconcile: false);
        await WaitForObservedGenerationAsync(cluster, 2);
        var after = cluster.Kubernetes.Emulator.List("v1", "Pod", OperatorCluster.Ns);
        var connect = await cluster.GetAsync("kafkaconnects", "mm2");

        lock (seen)
        {
            Assert.Equal(
                [
                    "MODIFIED KafkaConnect generation=2 observed=1",
                    "DELETED mm2-connect-0 revision=1",
                    "ADDED mm2-connect-0 revision=2",
                    "DELETED mm2-connect-1 revision=1",
                    "ADDED mm2-connect-1 revision=2",
                    "MODIFIED KafkaConnect generation=2 observed=2",
                ],
                seen);
        }

        Assert.Empty(after.Select(p => Str(p, "metadata", "uid")).Intersect(before));
        Assert.Equal("True", OperatorCluster.Condition(connect, "Ready")!["status"]!.ToString());
        Assert.Equal("PAUSED", cluster.ConnectFor("mm2").Get("source")!.TargetState);
    }

    [Fact]
    public async Task Enabling_exactly_once_goes_preparing_then_enabled_each_with_a_roll()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        cluster.Strimzi.RollingRestartStepDelay = TimeSpan.FromMilliseconds(10);
        await cluster.CreateAsync(OperatorCluster.Connect("mm2", replicas: 3));
        await cluster.CreateAsync(OperatorCluster.Connector("source", "mm2"));

        await cluster.PatchAsync("kafkaconnects", "mm2", WorkerConfig("exactly.once.source.support", "preparing"), reconcile: false);
        await WaitForObservedGenerationAsync(cluster, 2);
        var preparing = cluster.ConnectFor("mm2").WorkerConfig["exactly.once.source.support"]?.ToString();
        await cluster.PatchAsync("kafkaconnects", "mm2", WorkerConfig("exactly.once.source.support", "enabled"), reconcile: false);
        await WaitForObservedGenerationAsync(cluster, 3);
        await cluster.Strimzi.ReconcileNowAsync();

        Assert.Equal("preparing", preparing);
        Assert.Equal("enabled", cluster.ConnectFor("mm2").WorkerConfig["exactly.once.source.support"]?.ToString());
        Assert.All(cluster.Kubernetes.Emulator.List("v1", "Pod", OperatorCluster.Ns), p => Assert.Equal("3", Annotation(p, Revision)));
        Assert.Equal("RUNNING", cluster.ConnectFor("mm2").Get("source")!.ConnectorState);
    }

    [Fact]
    public async Task Scaling_up_rolls_the_existing_pods_and_adds_the_new_one()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connect("mm2", replicas: 1));

        await cluster.PatchAsync("kafkaconnects", "mm2", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 2 } }, reconcile: false);
        await WaitForObservedGenerationAsync(cluster, 2);
        var connect = await cluster.GetAsync("kafkaconnects", "mm2");

        Assert.Equal(["mm2-connect-0", "mm2-connect-1"], cluster.Kubernetes.Emulator.List("v1", "Pod", OperatorCluster.Ns).Select(p => Str(p, "metadata", "name")));
        Assert.Equal(2, (int)connect["status"]!["replicas"]!);
    }
}
