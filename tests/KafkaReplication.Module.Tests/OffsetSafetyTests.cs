using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Issue 9 on an operated flow: offset changes that must not resume or skip silently, and what a live connector config may point at.</summary>
public sealed class OffsetSafetyTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync();
    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public void After_a_failed_verification_the_connector_stays_stopped_and_the_error_says_how_to_go_on()
    {
        // A task that was still running commits its own offset right after the change (a zombie): the read-back differs.
        var once = 0;
        _f.ConnectApi.Changed += name =>
        {
            if (name == OperatedFlow.SourceConnector && _f.Stored("audit", 0) == 4 && Interlocked.Exchange(ref once, 1) == 0)
                _f.Replicated("audit", 0, 7);
        };
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic audit -Partition 0 -NextOffset 5 -Confirm:$false");
        var e = r.SingleError;
        Assert.StartsWith("OffsetVerificationFailed,", e.FullyQualifiedErrorId);
        Assert.Contains("audit-0 (asked to resume at 5, reads 8)", e.Exception.Message);
        Assert.Contains("is left STOPPED", e.Exception.Message);
        Assert.Contains("Get-SourceOffset", e.ErrorDetails.RecommendedAction);
        Assert.Contains($"Start-ReplicationFlow -Name {OperatedFlow.FlowName} -Namespace {OperatedFlow.Ns} -Connector {OperatedFlow.SourceConnector}", e.ErrorDetails.RecommendedAction);
        Assert.Equal("stopped", _f.SpecState(OperatedFlow.SourceConnector));
    }

    [Fact]
    public void A_reset_that_would_skip_unreplicated_records_is_refused_unless_Force_and_says_where_each_partition_resumes()
    {
        _f.Replicated("orders", 1, 49); // 50 records still to replicate
        _f.Replicated("audit", 0, 9);   // caught up
        Assert.Empty(_f.Ps.Invoke($"Set-ReplicationFlow -Flow {OperatedFlow.FlowName} -NewPartitionStart Latest -Confirm:$false").Errors);

        var refused = _f.Ps.Invoke($"Reset-SourceOffset -Flow {OperatedFlow.FlowName} -Confirm:$false");
        var e = refused.SingleError;
        Assert.StartsWith("ResetSkipsRecords,", e.FullyQualifiedErrorId);
        Assert.Contains("orders-1 (up to 50 records: resumes at 100 instead of 50)", e.Exception.Message);
        Assert.DoesNotContain("audit-0", e.Exception.Message);
        Assert.Contains("-NewPartitionStart Earliest", e.ErrorDetails.RecommendedAction);
        Assert.Equal(49L, _f.Stored("orders", 1)); // nothing changed
        Assert.Null(_f.SpecState(OperatedFlow.SourceConnector));

        var forced = _f.Ps.Invoke($"Reset-SourceOffset -Flow {OperatedFlow.FlowName} -Force -Confirm:$false");
        Assert.True(forced.Terminating is null && forced.Errors.Count == 0, forced.Terminating?.Message);
        var rows = forced.Output.ToDictionary(o => $"{o.Properties["Topic"].Value}-{o.Properties["Partition"].Value}");
        Assert.Equal(100L, Convert.ToInt64(rows["orders-1"].Properties["ResumeOffset"].Value));
        Assert.Equal(10L, Convert.ToInt64(rows["audit-0"].Properties["ResumeOffset"].Value));
        Assert.Null(_f.Stored("orders", 1));
    }

    [Fact]
    public void With_the_default_earliest_a_reset_resumes_at_the_start_and_is_not_refused()
    {
        _f.Replicated("orders", 1, 49);
        var r = _f.Ps.Invoke($"Reset-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 1 -Confirm:$false");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, r.Terminating?.Message);
        Assert.Equal(0L, Convert.ToInt64(r.Output.Single().Properties["ResumeOffset"].Value));
        var plan = _f.Ps.Invoke($"Reset-SourceOffset -Flow {OperatedFlow.FlowName} -WhatIf");
        Assert.Null(plan.Terminating);
    }

    [Fact]
    public void A_topics_reference_into_another_namespace_is_not_followed()
    {
        _f.K8s.Upsert(System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"}}""")!.AsObject());
        _f.K8s.Upsert(System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"theirs","namespace":"other"},"data":{"topics":"secret-topic"}}""")!.AsObject());
        var kc = _f.K8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnector", OperatedFlow.Ns, OperatedFlow.SourceConnector)!;
        kc["spec"]!["config"]!["topics"] = "${cfmap:other/theirs:topics}";
        _f.K8s.Upsert(kc);

        var r = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName}");
        Assert.StartsWith("TopicsConfigMapOutsideFlow,", r.SingleError.FullyQualifiedErrorId);
        Assert.DoesNotContain("secret-topic", r.AllText + r.SingleError.Exception.Message);
    }
}
