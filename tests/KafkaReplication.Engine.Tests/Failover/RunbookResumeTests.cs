using System.Text.Json.Nodes;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests.Failover;

/// <summary>The rules moved out of the cmdlets (issue 10): runbook resume, topic naming per policy, Strimzi status.</summary>
public sealed class RunbookResumeTests
{
    private static List<RunbookStep> Planned(int n) =>
        Enumerable.Range(1, n).Select(i => new RunbookStep { Index = i, Name = $"S{i}", Kind = RunbookStepKind.Automated }).ToList();

    private static RunbookProgress Recorded(string run, int completed, bool finished) =>
        new(run, completed, finished, Planned(3).Select(s => new RunbookStep { Index = s.Index, Name = s.Name, Kind = s.Kind, Status = RunbookStepStatus.Completed, Detail = "done" }).ToList());

    [Fact]
    public void Another_unfinished_run_is_a_conflict_unless_restarted()
    {
        var e = Assert.Throws<ReplicationException>(() => RunbookResume.Decide(Recorded("B", 1, false), "A", restart: false, "f", Planned(3)));
        Assert.Equal(ErrorIds.RunbookConflict, e.ErrorId);
        Assert.Equal(0, RunbookResume.Decide(Recorded("B", 1, false), "A", restart: true, "f", Planned(3)).Completed);
    }

    [Fact]
    public void The_same_run_resumes_after_its_last_completed_step_with_those_steps_as_recorded()
    {
        var r = RunbookResume.Decide(Recorded("A", 2, false), "A", restart: false, "f", Planned(3));
        Assert.False(r.AlreadyFinished);
        Assert.Equal(2, r.Completed);
        Assert.Equal(new[] { "done", "done", "" }, r.Steps.Select(s => s.Detail));
    }

    [Fact]
    public void A_finished_run_is_not_run_again_and_another_finished_run_does_not_block()
    {
        Assert.True(RunbookResume.Decide(Recorded("A", 3, true), "A", restart: false, "f", Planned(3)).AlreadyFinished);
        var fresh = RunbookResume.Decide(Recorded("B", 3, true), "A", restart: false, "f", Planned(3));
        Assert.False(fresh.AlreadyFinished);
        Assert.Equal(0, fresh.Completed);
        Assert.Equal(0, RunbookResume.Decide(null, "A", restart: false, "f", Planned(3)).Completed);
    }

    [Fact]
    public void Topic_entries_are_names_only_when_none_is_a_pattern()
    {
        Assert.Equal(new[] { "orders", "audit.v1" }, TopicNames.LiteralsOrNone(new[] { "orders", "audit.v1", "orders" }));
        Assert.Empty(TopicNames.LiteralsOrNone(new[] { "orders", "test.*" }));
    }

    [Fact]
    public void On_the_target_the_default_policy_prefixes_the_source_alias_and_identity_keeps_the_names()
    {
        var target = TopicNames.TargetRegexes(new[] { "orders|audit" }, ReplicationPolicy.Default, "us.west");
        Assert.Matches($"^(?:{target[0]})$", "us.west.orders");
        Assert.DoesNotMatch($"^(?:{target[0]})$", "usXwest.orders");
        Assert.DoesNotMatch($"^(?:{target[0]})$", "orders");
        Assert.Equal(new[] { "orders|audit" }, TopicNames.TargetRegexes(new[] { "orders|audit" }, ReplicationPolicy.Identity, "us.west"));
    }

    private static JsonObject Strimzi(long generation, long? observed, string? ready)
    {
        var status = new JsonObject { ["conditions"] = new JsonArray() };
        if (observed is not null) status["observedGeneration"] = observed;
        if (ready is not null) ((JsonArray)status["conditions"]!).Add(new JsonObject { ["type"] = ready, ["status"] = "True" });
        return new JsonObject { ["metadata"] = new JsonObject { ["generation"] = generation }, ["status"] = status };
    }

    [Fact]
    public void A_Strimzi_object_is_settled_only_when_its_current_generation_is_observed_and_Ready()
    {
        Assert.True(StrimziStatus.Of(Strimzi(2, 2, "Ready")).Settled);
        Assert.True(StrimziStatus.Of(Strimzi(2, 3, "Ready")).Settled);
        Assert.False(StrimziStatus.Of(Strimzi(2, 1, "Ready")).Settled);   // Ready from the last generation
        Assert.False(StrimziStatus.Of(Strimzi(2, null, "Ready")).Settled); // never reconciled: not ready by default
        Assert.False(StrimziStatus.Of(Strimzi(2, 2, "NotReady")).Settled);
        Assert.False(StrimziStatus.Of(null).Settled);
        Assert.Contains("generation none of 2", StrimziStatus.Of(Strimzi(2, null, "Ready")).Pending);
    }
}
