using System.Text.Json.Nodes;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>Enable-ReplicationExactlyOnce decides its steps from where the flow stands, so an interrupted run resumes.</summary>
public sealed class ExactlyOncePlanTests
{
    private static readonly FlowHandle Flow = new("f", "ns", "connect", "a", "b", ReplicationPolicy.Default, new[]
    {
        new FlowConnector("f-first-mirror-source-connector", "source", "running", new JsonObject()),
        new FlowConnector("f-second-mirror-source-connector", "source", "running", new JsonObject { ["source.consumer.isolation.level"] = "read_committed" }),
        new FlowConnector("f-mirror-heartbeat-connector", "heartbeat", "running", new JsonObject()),
    });

    private static IEnumerable<string> Steps(string setting, bool rolled, params string[] pending) =>
        ExactlyOnceWorkflow.Plan(Flow, new ExactlyOnceState(setting, rolled, pending)).Select(s => $"{s.Kind} {s.Target}");

    [Fact]
    public void From_disabled_all_steps_in_the_guides_order()
    {
        Assert.Equal(new[]
        {
            "SetPreparing KafkaConnect ns/connect", "WaitForRollingRestart KafkaConnect ns/connect",
            "SetEnabled KafkaConnect ns/connect", "WaitForRollingRestart KafkaConnect ns/connect",
            "SetReadCommitted KafkaConnector ns/f-first-mirror-source-connector",
        }, Steps("disabled", true, "f-first-mirror-source-connector"));
    }

    [Theory]
    [InlineData("preparing", false, "WaitForRollingRestart,SetEnabled,WaitForRollingRestart,SetReadCommitted")]
    [InlineData("preparing", true, "WaitForRollingRestart,SetEnabled,WaitForRollingRestart,SetReadCommitted")]
    [InlineData("enabled", false, "WaitForRollingRestart,SetReadCommitted")]
    [InlineData("enabled", true, "SetReadCommitted")]
    public void An_interrupted_run_resumes_at_its_step(string setting, bool rolled, string expected) =>
        Assert.Equal(expected.Split(','), ExactlyOnceWorkflow.Plan(Flow, new ExactlyOnceState(setting, rolled, new[] { "x" })).Select(s => s.Kind.ToString()));

    [Fact]
    public void A_finished_flow_needs_no_step_and_only_source_connectors_are_read()
    {
        Assert.Empty(Steps("enabled", true));
        var state = new ExactlyOnceState("enabled", true, Flow.SourceConnectors
            .Where(c => c.Config[ExactlyOnceWorkflow.IsolationKey]?.ToString() != "read_committed").Select(c => c.Name).ToList());
        Assert.Equal(new[] { "SetReadCommitted KafkaConnector ns/f-first-mirror-source-connector" },
            ExactlyOnceWorkflow.Plan(Flow, state).Select(s => $"{s.Kind} {s.Target}"));
    }
}
