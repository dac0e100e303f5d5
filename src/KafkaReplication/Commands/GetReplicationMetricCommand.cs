using System.Management.Automation;
using KafkaReplication.Engine.Monitoring;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-ReplicationMetric.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ReplicationMetric")]
[OutputType(typeof(ReplicationMetric))]
public sealed class GetReplicationMetricCommand : FlowCmdlet
{
    /// <summary>The metrics the guide's "Replication monitoring and diagnostics" lists, and the task states.</summary>
    public static readonly string[] GuideMetrics =
    {
        "kafka_connect_mirror_*",
        "kafka_connect_source_task_source_record_active_count",
        "kafka_connect_connector_task_offset_commit_avg_time_ms",
        "kafka_consumer_fetch_manager_records_lag",
        "kafka_connect_connector_status",
    };

    /// <summary>Metric names (wildcards); default: the guide's monitoring metrics. '*' gives everything exported.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Metric { get; set; } = GuideMetrics;

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var kube = Kube;
        var patterns = Metric.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var metric in Run(ct => ConnectMetricsReader.ReadAsync(kube, flow, n => patterns.Any(p => p.IsMatch(n)), Log, ct)))
            WriteObject(metric);
    });
}
