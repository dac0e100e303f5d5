using System.Text.Json.Nodes;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Engine.Tests.Failover;

/// <summary>The runbook's progress record against the Kubernetes emulator: checks, concurrency and retried saves.</summary>
public sealed class RunbookProgressStoreTests : IAsyncLifetime
{
    private const string Run = "ControlledFailover/Cutoff/billing";
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-runbook-").FullName;
    private KubernetesEmulator _k8s = null!;
    private KubeGateway _kube = null!;

    private static readonly string[] Names = ["VerifyPreconditions", "StopProducers", "WaitForReplication", "MoveConsumers"];

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesEmulator.StartAsync();
        _kube = new KubeGateway(KubeConnection.Connect(_k8s.WriteKubeconfig(_dir)));
        _k8s.Upsert(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns"}}""")!.AsObject());
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _k8s.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private static List<RunbookStep> Plan(params string[] names) =>
        (names.Length == 0 ? Names : names).Select((n, i) => new RunbookStep { Index = i + 1, Name = n, Kind = RunbookStepKind.Automated }).ToList();

    private RunbookProgressStore Store() => new(_kube, "ns", "f", retry: new RunbookSaveRetry(4, TimeSpan.FromMilliseconds(50)));

    private JsonObject? Data => _k8s.Get("v1", "ConfigMap", "ns", "f-runbook")?["data"]?.AsObject();

    private void Record(JsonObject data) =>
        _k8s.Upsert(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "f-runbook", ["namespace"] = "ns", ["labels"] = new JsonObject { ["kafkareplication.io/runbook-of"] = "f" } }, ["data"] = data.DeepClone() });

    private static JsonObject Legacy(string completed, string steps = "[]", string finished = "false") =>
        new() { ["run"] = Run, ["completed"] = completed, ["finished"] = finished, ["steps"] = steps };

    private static string StepsJson(params string[] names) =>
        System.Text.Json.JsonSerializer.Serialize(Plan(names).Select(s => { s.Status = RunbookStepStatus.Completed; return s; }));

    [Theory]
    [InlineData(null)]
    [InlineData("other-flow")]
    public async Task A_ConfigMap_of_the_record_name_that_is_not_the_flows_record_is_refused_and_kept_even_with_Restart(string? runbookOf)
    {
        var labels = runbookOf is null ? new JsonObject() : new JsonObject { ["kafkareplication.io/runbook-of"] = runbookOf };
        _k8s.Upsert(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "f-runbook", ["namespace"] = "ns", ["labels"] = labels }, ["data"] = new JsonObject { ["mine"] = "keep" } });
        foreach (var restart in new[] { false, true })
        {
            var e = await Assert.ThrowsAsync<ReplicationException>(() => Store().PrepareAsync(Run, Plan(), restart, CancellationToken.None));
            Assert.Equal("RunbookRecordNotManaged", e.ErrorId);
            Assert.Contains("ConfigMap ns/f-runbook", e.Message);
        }
        Assert.Equal("keep", (string?)Data!["mine"]);
        Assert.Null(Data!["run"]);
    }

    [Fact]
    public async Task The_record_a_run_writes_carries_the_label_the_check_looks_for()
    {
        var store = Store();
        await store.PrepareAsync(Run, Plan(), restart: false, CancellationToken.None);
        await store.ClaimAsync(0, Plan(), CancellationToken.None);
        Assert.Equal("f", (string?)_k8s.Get("v1", "ConfigMap", "ns", "f-runbook")!["metadata"]!["labels"]!["kafkareplication.io/runbook-of"]);
        Assert.Equal(RunbookStartKind.Resume, (await Store().PrepareAsync(Run, Plan(), restart: false, CancellationToken.None)).Kind);
    }

    [Theory]
    [InlineData("abc", "[]", "false", "is not a number")]
    [InlineData("-1", "[]", "false", "is not a number")]
    [InlineData("9", null, "false", "9 completed steps of a plan of 4")]
    [InlineData("4", null, "false", "not marked finished")]
    [InlineData("1", "{not json", "false", "steps are not readable")]
    [InlineData("1", null, "maybe", "neither true nor false")]
    public async Task A_corrupt_or_out_of_range_record_is_refused_with_what_Restart_does_and_Restart_works(string completed, string? steps, string finished, string why)
    {
        Record(Legacy(completed, steps ?? StepsJson(Names), finished));
        var e = await Assert.ThrowsAsync<ReplicationException>(() => Store().PrepareAsync(Run, Plan(), restart: false, CancellationToken.None));
        Assert.Equal("RunbookRecordCorrupt", e.ErrorId);
        Assert.Contains(why, e.Message);
        Assert.Contains("-Restart", e.RecommendedAction);
        Assert.Contains("every step from the first", e.RecommendedAction);

        var store = Store();
        var start = await store.PrepareAsync(Run, Plan(), restart: true, CancellationToken.None);
        Assert.Equal((RunbookStartKind.Fresh, 0), (start.Kind, start.Completed));
        await store.ClaimAsync(0, start.Steps, CancellationToken.None);
        Assert.Equal(("2", "ns/f", "0"), ((string?)Data!["format"], (string?)Data["flow"], (string?)Data["completed"]));
    }

    [Fact]
    public async Task A_record_of_a_newer_format_or_of_another_flow_is_not_trusted()
    {
        var data = Legacy("1", StepsJson(Names));
        data["format"] = "3";
        Record(data);
        var newer = await Assert.ThrowsAsync<ReplicationException>(() => Store().PrepareAsync(Run, Plan(), false, CancellationToken.None));
        Assert.Contains("format 3 by a newer version", newer.Message);
        data["format"] = "2";
        data["flow"] = "other/f";
        Record(data);
        var foreign = await Assert.ThrowsAsync<ReplicationException>(() => Store().PrepareAsync(Run, Plan(), false, CancellationToken.None));
        Assert.Contains("belongs to flow 'other/f'", foreign.Message);
    }

    [Fact]
    public async Task A_changed_plan_is_refused_instead_of_resuming_at_the_wrong_step_and_the_same_plan_resumes()
    {
        Record(Legacy("2", StepsJson(Names))); // format 1: the steps carry the plan's names
        var changed = Plan("VerifyPreconditions", "DrainConsumers", "StopProducers", "WaitForReplication", "MoveConsumers");
        var e = await Assert.ThrowsAsync<ReplicationException>(() => Store().PrepareAsync(Run, changed, false, CancellationToken.None));
        Assert.Equal("RunbookPlanChanged", e.ErrorId);
        Assert.Contains("step 2 was 'StopProducers' and is now 'DrainConsumers'", e.Message);

        var start = await Store().PrepareAsync(Run, Plan(), false, CancellationToken.None);
        Assert.Equal((RunbookStartKind.Resume, 2), (start.Kind, start.Completed));
        Assert.Equal(RunbookStepStatus.Completed, start.Steps[1].Status);
        Assert.Equal(RunbookStepStatus.Planned, start.Steps[2].Status);
    }

    [Fact]
    public async Task Of_two_runs_only_one_claims_the_record_and_a_step_started_by_one_is_refused_to_the_other()
    {
        var a = Store();
        var b = Store();
        var startA = await a.PrepareAsync(Run, Plan(), false, CancellationToken.None);
        var startB = await b.PrepareAsync(Run, Plan(), false, CancellationToken.None); // both read "no record"
        await a.ClaimAsync(startA.Completed, startA.Steps, CancellationToken.None);
        var lost = await Assert.ThrowsAsync<ReplicationException>(() => b.ClaimAsync(startB.Completed, startB.Steps, CancellationToken.None));
        Assert.Equal("RunbookConcurrentRun", lost.ErrorId);

        await a.StartStepAsync(0, startA.Steps, CancellationToken.None);
        Assert.StartsWith(a.Holder + " step 1 (VerifyPreconditions)", (string?)Data!["running"]);
        var busy = await Assert.ThrowsAsync<ReplicationException>(() => Store().PrepareAsync(Run, Plan(), false, CancellationToken.None));
        Assert.Equal("RunbookInProgress", busy.ErrorId);

        // A run that read the record before another changed it loses at its next write, before its next step.
        var c = Store();
        await a.SaveAsync(1, false, startA.Steps, CancellationToken.None);
        var startC = await c.PrepareAsync(Run, Plan(), false, CancellationToken.None);
        await a.StartStepAsync(1, startA.Steps, CancellationToken.None);
        var stale = await Assert.ThrowsAsync<ReplicationException>(() => c.ClaimAsync(startC.Completed, startC.Steps, CancellationToken.None));
        Assert.Equal("RunbookConcurrentRun", stale.ErrorId);
        Assert.Equal("1", (string?)Data!["completed"]);
    }

    [Fact]
    public async Task A_save_refused_by_the_server_is_retried_until_it_is_stored()
    {
        var store = new RunbookProgressStore(_kube, "ns", "f", retry: new RunbookSaveRetry(4, TimeSpan.FromMilliseconds(300)));
        var start = await store.PrepareAsync(Run, Plan(), false, CancellationToken.None);
        await store.ClaimAsync(0, start.Steps, CancellationToken.None);
        _k8s.ClearRequests();
        _k8s.FailWritesAfter(0);
        var save = store.SaveAsync(1, false, start.Steps, CancellationToken.None);
        // Let writes through again once a retry has come (so the first attempt was refused); polled, bounded.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_k8s.Requests.Count(r => r.Method == "PATCH") < 2 && DateTime.UtcNow < deadline) await Task.Delay(5);
        _k8s.ClearFaults();
        await save;
        Assert.Equal("1", (string?)Data!["completed"]);
        Assert.True(_k8s.Requests.Count(r => r.Method == "PATCH") >= 2);
    }

    [Fact]
    public async Task A_save_that_keeps_failing_is_given_up_after_the_bound_with_the_servers_error()
    {
        var store = Store();
        var start = await store.PrepareAsync(Run, Plan(), false, CancellationToken.None);
        await store.ClaimAsync(0, start.Steps, CancellationToken.None);
        _k8s.ClearRequests();
        _k8s.FailWritesAfter(0);
        var e = await Assert.ThrowsAsync<ReplicationException>(() => store.SaveAsync(1, false, start.Steps, CancellationToken.None));
        Assert.Equal("KubernetesError", e.ErrorId);
        Assert.Equal(5, _k8s.Requests.Count(r => r.Method == "PATCH")); // 1 + 4 retries

        // After a step that ran, the error says the step is done although the record does not show it.
        var done = await Assert.ThrowsAsync<ReplicationException>(() => store.CompleteStepAsync(0, false, start.Steps, CancellationToken.None));
        Assert.Equal("RunbookProgressNotSaved", done.ErrorId);
        Assert.Contains("Step 1 (VerifyPreconditions) completed, but recording it", done.Message);
        Assert.Contains("-Restart", done.RecommendedAction);
    }
}
