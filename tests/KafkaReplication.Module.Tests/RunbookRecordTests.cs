using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Kafka;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>The runbook's progress record is checked before it is trusted; -Restart gets past a bad one.</summary>
public sealed class RunbookRecordTests : IAsyncLifetime
{
    private const string Command = "Invoke-ControlledFailover -Flow src-to-tgt -Mode Cutoff -Group billing -Force -WaitTimeout 00:00:02";
    private OperatedFlow _f = null!;

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        _f.Kafka.CommitGroup("billing", ("orders", 0, 100), ("orders", 1, 100), ("orders", 2, 100), ("audit", 0, 10));
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private string? Recorded(string key) => (string?)_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, "src-to-tgt-runbook")?["data"]?[key];

    private void Record(string completed) => _f.K8s.Upsert(JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"src-to-tgt-runbook","namespace":"{{{OperatedFlow.Ns}}}","labels":{"kafkareplication.io/runbook-of":"src-to-tgt"}},
         "data":{"run":"ControlledFailover/Cutoff/billing","completed":"{{{completed}}}","finished":"false","steps":"[]"}}
        """)!.AsObject());

    [Fact]
    public void A_record_that_claims_every_step_done_but_not_finished_is_refused_not_skipped_and_Restart_starts_over()
    {
        Record("8"); // the cutoff plan has 8 steps: resuming "after step 8" would run nothing and say nothing
        var refused = _f.Ps.Invoke(Command);
        Assert.StartsWith("RunbookRecordCorrupt,", refused.SingleError.FullyQualifiedErrorId);
        Assert.Contains("not marked finished", refused.SingleError.Exception.Message);
        Assert.Contains("-Restart", refused.SingleError.ErrorDetails.RecommendedAction);
        Assert.Equal("8", Recorded("completed")); // left as it was

        var restarted = _f.Ps.Invoke(Command + " -Restart");
        Assert.Equal("VerifyPreconditions", restarted.Output[0].Properties["Name"].Value);
        Assert.Equal("Completed", restarted.Output[0].Properties["Status"].Value.ToString());
        Assert.Equal("2", Recorded("format"));
        Assert.Equal("", Recorded("running")); // the failed wait is not left marked as running
    }

    [Fact]
    public void An_unreadable_record_does_not_block_every_run_Restart_discards_it()
    {
        Record("two");
        var refused = _f.Ps.Invoke(Command);
        Assert.StartsWith("RunbookRecordCorrupt,", refused.SingleError.FullyQualifiedErrorId);
        var restarted = _f.Ps.Invoke(Command + " -Restart -Verbose");
        Assert.Contains(restarted.Warnings, w => w.Contains("Discarding the unusable progress record", StringComparison.Ordinal));
        Assert.NotEmpty(restarted.Output);
        Assert.Equal($"{OperatedFlow.Ns}/{OperatedFlow.FlowName}", Recorded("flow"));
    }
}
