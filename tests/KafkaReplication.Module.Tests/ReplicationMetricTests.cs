using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Get-ReplicationMetric reads each ready Connect pod's exporter through a port-forward (port 9404). The Strimzi
/// emulator forwards that port only while the KafkaConnect has spec.metricsConfig; the Connect emulator's first pod
/// exports its task states plus what a test adds as MirrorMaker's per-partition metrics.
/// </summary>
public sealed class ReplicationMetricTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync();
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private ScriptResult Redeploy(string extra) => _f.Ps.Invoke($"""
        $source = New-ReplicationClusterReference -Alias src -BootstrapServers '{_f.Kafka.BootstrapServers}'
        $target = New-ReplicationClusterReference -Alias tgt -BootstrapServers '{_f.Target.BootstrapServers}'
        New-ReplicationFlow -Name {OperatedFlow.FlowName} -Namespace {OperatedFlow.Ns} -Source $source -Target $target -Topics 'orders','audit' -Groups 'billing' {extra} |
            Wait-ReplicationFlow -Timeout 00:00:30 | Out-Null
        """);

    [Fact]
    public void A_flow_without_metrics_is_told_how_to_get_them()
    {
        var r = _f.Ps.Invoke($"Get-ReplicationMetric -Flow {OperatedFlow.FlowName}");
        var e = r.SingleError;
        Assert.Equal("MetricsNotExported", e.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("has no spec.metricsConfig", e.Exception.Message);
        Assert.Contains("-Metrics", e.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void The_guides_metrics_come_from_every_ready_pod_with_what_they_are_about()
    {
        Assert.Empty(Redeploy("-Metrics").Errors);
        _f.ConnectApi.ExtraMetrics = """
            # HELP kafka_connect_mirror_mirrorsourceconnector_replication_latency_ms Kafka Mirror Maker 2 Source Connector metrics
            # TYPE kafka_connect_mirror_mirrorsourceconnector_replication_latency_ms gauge
            kafka_connect_mirror_mirrorsourceconnector_replication_latency_ms{target="tgt",topic="orders",partition="1",} 12.5
            kafka_connect_mirror_mirrorsourceconnector_byte_rate{target="tgt",topic="orders",partition="1",} 2048.0
            kafka_connect_mirror_mirrorcheckpointconnector_checkpoint_latency_ms{source="src",target="tgt",group="billing",topic="src.orders",partition="0",} NaN
            jvm_memory_bytes_used{area="heap",} 1.0E8
            """;
        _f.K8s.ClearRequests();
        var r = _f.Ps.Invoke($"Get-ReplicationMetric -Flow {OperatedFlow.FlowName} -Verbose");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)}");
        // Three ready pods were read (each through its own port-forward to 9404); only the first runs tasks.
        Assert.Equal(3, _f.K8s.Requests.Count(q => q.Path.EndsWith("/portforward", StringComparison.Ordinal) && q.Query.Contains("ports=9404", StringComparison.Ordinal)));
        Assert.Equal(3, r.Verbose.Count(v => v.StartsWith("GET /metrics (port-forward to pod repl/repl-src-tgt-connect-", StringComparison.Ordinal)));
        var rows = r.Output.Select(o => (Name: (string)o.Properties["Name"].Value, o)).ToList();
        Assert.DoesNotContain(rows, x => x.Name.StartsWith("jvm_", StringComparison.Ordinal)); // not one of the guide's
        var latency = Assert.Single(rows, x => x.Name == "kafka_connect_mirror_mirrorsourceconnector_replication_latency_ms").o;
        Assert.Equal(12.5, (double)latency.Properties["Value"].Value);
        Assert.Equal("orders", latency.Properties["Topic"].Value);
        Assert.Equal(1, latency.Properties["Partition"].Value);
        Assert.Equal("repl-src-tgt-connect-0", latency.Properties["Pod"].Value);
        var checkpoint = Assert.Single(rows, x => x.Name.StartsWith("kafka_connect_mirror_mirrorcheckpointconnector", StringComparison.Ordinal)).o;
        Assert.Equal("billing", checkpoint.Properties["Group"].Value);
        Assert.True(double.IsNaN((double)checkpoint.Properties["Value"].Value));
        var states = rows.Where(x => x.Name == "kafka_connect_connector_status").Select(x => x.o).ToList();
        Assert.Contains(states, s => (string)s.Properties["Connector"].Value == OperatedFlow.SourceConnector && ((IReadOnlyDictionary<string, string>)s.Properties["Labels"].Value)["status"] == "running");

        var only = _f.Ps.Invoke($"Get-ReplicationMetric {OperatedFlow.FlowName} *byte_rate | Out-Default"); // the table view
        Assert.Empty(only.Errors);
        Assert.Contains("orders[1]", only.HostText);
        Assert.Contains("2048", only.HostText);
        Assert.DoesNotContain("replication_latency", only.HostText);
        var all = _f.Ps.Invoke($"Get-ReplicationMetric -Flow {OperatedFlow.FlowName} -Metric *");
        Assert.Contains(all.Output, o => (string)o.Properties["Name"].Value == "jvm_memory_bytes_used");

        // Without -Metrics again, the export is gone and the cmdlet says so.
        Assert.Empty(Redeploy("").Errors);
        Assert.Equal("MetricsNotExported", _f.Ps.Invoke($"Get-ReplicationMetric -Flow {OperatedFlow.FlowName}").SingleError.FullyQualifiedErrorId.Split(',')[0]);
    }
}
