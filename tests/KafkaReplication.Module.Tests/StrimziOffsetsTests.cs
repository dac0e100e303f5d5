using KafkaReplication.TestBed.Strimzi;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>On Strimzi 0.44+ offsets change through KafkaConnector annotations, with no Connect REST call.</summary>
public sealed class StrimziOffsetsTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync(StrimziVersion.V0_45);
    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public void Offsets_are_set_and_read_through_annotations_when_the_operator_supports_them()
    {
        _f.Replicated("orders", 1, 9);
        _f.ConnectApi.ClearRequests();
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 1 -NextOffset 60 -Confirm:$false -Verbose");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Contains(r.Verbose, v => v.Contains("Strimzi KafkaConnector offsets annotations"));
        Assert.Equal(59L, _f.Stored("orders", 1));
        Assert.True((bool)r.Output.Single().Properties["Verified"].Value);
        Assert.Empty(_f.ConnectApi.Requests); // no port-forward, no REST call from the module
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector));
        Assert.Null(_f.K8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnector", OperatedFlow.Ns, OperatedFlow.SourceConnector)!["metadata"]!["annotations"]?["strimzi.io/connector-offsets"]);

        var rest = _f.Ps.Invoke($"Get-SourceOffset -Flow {OperatedFlow.FlowName} -OffsetApi ConnectRest -Verbose");
        Assert.Contains(rest.Verbose, v => v.Contains("Offsets through the Connect REST API (port-forward to pod repl/repl-src-tgt-connect-0:8083)"));
        Assert.Equal(60L, Convert.ToInt64(rest.Output.Single().Properties["NextOffset"].Value));
    }

    private string? Pending() =>
        (string?)_f.K8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnector", OperatedFlow.Ns, OperatedFlow.SourceConnector)!["metadata"]!["annotations"]?["strimzi.io/connector-offsets"];

    [Fact]
    public void A_reset_the_operator_does_not_carry_out_in_time_is_withdrawn_and_the_connector_is_returned_to_running()
    {
        _f.Replicated("orders", 1, 9);
        _f.Strimzi.IgnoredOffsetsAction = "reset";
        var r = _f.Ps.Invoke($"Reset-SourceOffset -Flow {OperatedFlow.FlowName} -Timeout 00:00:03 -Confirm:$false");
        Assert.StartsWith("WaitTimedOut,", r.SingleError.FullyQualifiedErrorId);
        // The request is withdrawn: it cannot fire later (at the next stop) and delete every stored offset.
        Assert.Null(Pending());
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector));
        _f.Strimzi.IgnoredOffsetsAction = null;
        Assert.Empty(_f.Ps.Invoke($"Stop-ReplicationFlow -Flow {OperatedFlow.FlowName} -Connector Source -Confirm:$false").Errors);
        Assert.Equal(9L, _f.Stored("orders", 1));
    }

    [Fact]
    public void While_an_offsets_request_cannot_be_withdrawn_the_connector_is_not_set_running()
    {
        _f.Replicated("orders", 1, 9);
        _f.Strimzi.IgnoredOffsetsAction = "alter";
        // The stop, the ConfigMap and the annotation go through; the writes up to the annotation go through (list request, stop, ConfigMap, alter request); its withdrawal fails.
        _f.K8s.FailWritesAfter(5);
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 1 -NextOffset 60 -Timeout 00:00:03 -Confirm:$false");
        _f.K8s.ClearFaults();
        var e = r.SingleError;
        Assert.True(e.FullyQualifiedErrorId.StartsWith("StrimziOffsetsRequestPending,"), e.Exception.Message);
        Assert.Contains("is left STOPPED", e.Exception.Message);
        Assert.Contains("kubectl annotate kafkaconnector src-to-tgt-mirror-source-connector -n repl strimzi.io/connector-offsets-", e.ErrorDetails.RecommendedAction);
        Assert.Equal("alter", Pending());
        Assert.Equal("stopped", _f.SpecState(OperatedFlow.SourceConnector));
    }

    [Fact]
    public void A_user_ConfigMap_with_the_alter_name_is_not_overwritten()
    {
        _f.K8s.Upsert(new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = $"{OperatedFlow.SourceConnector}-offsets-alter", ["namespace"] = OperatedFlow.Ns },
            ["data"] = new System.Text.Json.Nodes.JsonObject { ["mine"] = "keep" },
        });
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 1 -NextOffset 60 -Confirm:$false");
        Assert.StartsWith("OffsetsConfigMapNotManaged,", r.SingleError.FullyQualifiedErrorId);
        Assert.Equal("keep", (string?)_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, $"{OperatedFlow.SourceConnector}-offsets-alter")!["data"]!["mine"]);
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector)); // returned to its state
        Assert.Null(Pending());
    }
}
