using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>The real KubernetesClient, through the engine's gateway, against the Kubernetes API emulator.</summary>
public sealed class DeploymentTests : EmulatedClusterTests
{
    public DeploymentTests(TestFiles files) : base(files) { }

    [Fact]
    public async Task Applying_twice_changes_nothing_the_second_time()
    {
        var flow = _f.GuideFlow();
        var first = await DeployAsync(flow);
        Assert.All(first, c => Assert.Equal(ManifestAction.Create, c.Action));
        var versions = FlowManifestBuilder.Build(flow).ToDictionary(o => o.DisplayName,
            o => (string?)_k8s.Get(o.ApiVersion, o.Kind, o.Namespace, o.Name)!["metadata"]!["resourceVersion"]);
        _k8s.ClearRequests();

        var second = await DeployAsync(flow);
        Assert.All(second, c => Assert.Equal(ManifestAction.Unchanged, c.Action));
        Assert.DoesNotContain(_k8s.Requests, r => r.IsWrite);
        foreach (var o in FlowManifestBuilder.Build(flow))
            Assert.Equal(versions[o.DisplayName], (string?)_k8s.Get(o.ApiVersion, o.Kind, o.Namespace, o.Name)!["metadata"]!["resourceVersion"]);

        // The applied objects are the built ones, Secret values included.
        var pass = (string)_k8s.Get("v1", "Secret", "repl-ns", "uswest-to-useast-target-password")!["data"]!["pass"]!;
        Assert.Equal(TestFiles.TargetPassword, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(pass)));
    }

    [Fact]
    public async Task A_changed_definition_updates_only_the_objects_it_touches_and_names_the_paths()
    {
        await DeployAsync(_f.GuideFlow());
        var changed = _f.GuideFlow() with { ConnectReplicas = 5, Topics = new[] { "test.*", "audit" } };
        var plan = await new FlowDeployment(_kube, NullOperationLog.Instance).PlanAsync(changed.Name, FlowManifestBuilder.Build(changed), CancellationToken.None);
        var updates = plan.Where(p => p.Action == ManifestAction.Update).ToDictionary(p => p.Object.DisplayName, p => p.ChangedPaths);
        Assert.Equal(new[] { "ConfigMap repl-ns/uswest-to-useast-replication", "KafkaConnect repl-ns/repl-uswest-useast" }, updates.Keys.Order());
        Assert.Equal(new[] { "spec.replicas" }, updates["KafkaConnect repl-ns/repl-uswest-useast"]);
        Assert.Equal(new[] { "data.topics" }, updates["ConfigMap repl-ns/uswest-to-useast-replication"]);
    }

    [Fact]
    public async Task A_failure_half_way_is_repaired_by_running_again()
    {
        var flow = _f.GuideFlow();
        _k8s.FailWritesAfter(4);
        var e = await Assert.ThrowsAsync<ReplicationException>(() => DeployAsync(flow));
        Assert.Equal(ReplicationErrorKind.OperationFailed, e.Kind);
        Assert.Null(_k8s.Get(FlowManifestBuilder.StrimziApiVersion, "KafkaConnect", "repl-ns", "repl-uswest-useast"));
        _k8s.ClearFaults();

        var rerun = await DeployAsync(flow);
        Assert.Equal(4, rerun.Count(c => c.Action == ManifestAction.Unchanged));
        Assert.All(FlowManifestBuilder.Build(flow), o => Assert.NotNull(_k8s.Get(o.ApiVersion, o.Kind, o.Namespace, o.Name)));
        Assert.All(await DeployAsync(flow), c => Assert.Equal(ManifestAction.Unchanged, c.Action));
    }

    [Fact]
    public async Task Get_finds_flows_by_label_and_remove_deletes_exactly_their_objects()
    {
        var a = _f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext), "flow-a", "shared");
        var b = _f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext), "flow-b", "shared") with { ConnectClusterName = "repl-b" };
        await DeployAsync(a);
        await DeployAsync(b);
        _k8s.Upsert(System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"unrelated","namespace":"shared"},"data":{"x":"1"}}""")!.AsObject());

        var inventory = new FlowInventory(_kube, NullOperationLog.Instance);
        _k8s.ClearRequests();
        var flows = await inventory.GetFlowsAsync("shared", null, CancellationToken.None);
        Assert.Equal(2, _k8s.Requests.Count); // one list call per kind
        Assert.Equal(new[] { "flow-a", "flow-b" }, flows.Select(f => f.Name));
        Assert.Equal(new[] { "source", "checkpoint", "heartbeat" }, flows[0].Connectors.Select(c => c.Role));
        Assert.Equal("src", flows[0].SourceAlias);
        Assert.Equal(ReplicationPolicy.Default, flows[0].ReplicationPolicy);

        var objects = await inventory.GetFlowObjectsAsync("flow-a", "shared", CancellationToken.None);
        Assert.Equal(FlowManifestBuilder.Build(a).Count(o => o.Kind != "Namespace"), objects.Count);
        foreach (var (apiVersion, kind, name) in objects) await inventory.DeleteAsync(apiVersion, kind, "shared", name, CancellationToken.None);

        Assert.Empty(await inventory.GetFlowObjectsAsync("flow-a", "shared", CancellationToken.None));
        Assert.Equal(FlowManifestBuilder.Build(b).Count(o => o.Kind != "Namespace"), (await inventory.GetFlowObjectsAsync("flow-b", "shared", CancellationToken.None)).Count);
        Assert.NotNull(_k8s.Get("v1", "ConfigMap", "shared", "unrelated"));
        Assert.NotNull(_k8s.Get("v1", "Namespace", null, "shared"));
    }

    [Fact]
    public async Task An_existing_namespace_stays_the_users_and_another_flows_object_is_not_taken_over()
    {
        _k8s.Upsert(System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"repl-ns"}}""")!.AsObject());
        var changes = await DeployAsync(_f.GuideFlow());
        var ns = changes.Single(c => c.Kind == "Namespace");
        Assert.Equal(ManifestAction.Unchanged, ns.Action);
        Assert.Null(_k8s.Get("v1", "Namespace", null, "repl-ns")!["metadata"]!["labels"]?["kafkareplication.io/flow"]);

        var other = _f.GuideFlow() with { Name = "other-flow" };
        var clash = other with { ConnectClusterName = "repl-uswest-useast" };
        var e = await Assert.ThrowsAsync<ReplicationException>(() => DeployAsync(clash));
        Assert.Equal("ObjectOwnedByOtherFlow", e.ErrorId);
    }

    [Fact]
    public async Task Objects_no_longer_part_of_the_flow_are_pruned()
    {
        var flow = _f.GuideFlow();
        await DeployAsync(flow);
        var changes = await DeployAsync(flow with { Heartbeat = false });
        var deleted = Assert.Single(changes, c => c.Action == ManifestAction.Delete);
        Assert.Equal("uswest-to-useast-mirror-heartbeat-connector", deleted.ObjectName);
        Assert.Null(_k8s.Get(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl-ns", "uswest-to-useast-mirror-heartbeat-connector"));
        Assert.NotNull(_k8s.Get(FlowManifestBuilder.StrimziApiVersion, "KafkaConnector", "repl-ns", "uswest-to-useast-mirror-source-connector"));
    }

    [Fact]
    public async Task An_existing_object_no_flow_manages_is_refused_unless_adopted()
    {
        _k8s.Upsert(System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"repl-ns"}}""")!.AsObject());
        _k8s.Upsert(System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"uswest-to-useast-target","namespace":"repl-ns"},"data":{"alias":"old"}}""")!.AsObject());
        var e = await Assert.ThrowsAsync<ReplicationException>(() => DeployAsync(_f.GuideFlow()));
        Assert.Equal("ObjectNotManaged", e.ErrorId);
        Assert.Equal("old", (string?)_k8s.Get("v1", "ConfigMap", "repl-ns", "uswest-to-useast-target")!["data"]!["alias"]);

        var deployment = new FlowDeployment(_kube, NullOperationLog.Instance);
        var plan = await deployment.PlanAsync("uswest-to-useast", FlowManifestBuilder.Build(_f.GuideFlow()), CancellationToken.None, adopt: true);
        Assert.Equal(ManifestAction.Update, plan.Single(p => p.Object.Name == "uswest-to-useast-target" && p.Object.Kind == "ConfigMap").Action);
        foreach (var p in plan) await deployment.ApplyAsync("uswest-to-useast", p, CancellationToken.None);
        Assert.Equal("useast", (string?)_k8s.Get("v1", "ConfigMap", "repl-ns", "uswest-to-useast-target")!["data"]!["alias"]);
    }
}
