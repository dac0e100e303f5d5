using System.Globalization;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Monitoring;

/// <summary>
/// Reads what a flow's Connect pods export to Prometheus (New-ReplicationFlow -Metrics), straight from each ready
/// pod's exporter port through a port-forward: the guide's monitoring metrics without a Prometheus server.
/// </summary>
public static class ConnectMetricsReader
{
    /// <summary>Strimzi's container port for the JMX Prometheus exporter (tcp-prometheus).</summary>
    public const int ExporterPort = 9404;

    public static async Task<IReadOnlyList<ReplicationMetric>> ReadAsync(KubeGateway kube, FlowHandle flow, Func<string, bool> wanted,
        IOperationLog log, CancellationToken ct)
    {
        var connect = await kube.GetAsync(FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnect, flow.Namespace, flow.ConnectCluster, ct).ConfigureAwait(false);
        if (connect?["spec"]?["metricsConfig"] is null)
            throw NotExported(flow, $"KafkaConnect {flow.Namespace}/{flow.ConnectCluster} has no spec.metricsConfig", null);
        var pods = await ConnectTransportFactory.FindReadyPodsAsync(kube, flow.Namespace, flow.ConnectCluster, ct).ConfigureAwait(false);
        var result = new List<ReplicationMetric>();
        foreach (var pod in pods)
        {
            using var transport = ConnectTransportFactory.PortForward(kube.Client, flow.Namespace, pod, ExporterPort);
            log.Verbose($"GET /metrics ({transport.Route})");
            string text;
            try
            {
                using var response = await transport.Http.GetAsync("metrics", ct).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw NotExported(flow, $"pod {flow.Namespace}/{pod} did not answer on port {ExporterPort} ({e.Message}); " +
                    "Strimzi starts the exporter with the next rolling restart after spec.metricsConfig is set", e);
            }
            result.AddRange(PrometheusText.Parse(text).Where(s => wanted(s.Name)).Select(s => ToMetric(flow.Name, pod, s)));
        }
        return result;
    }

    private static ReplicationMetric ToMetric(string flow, string pod, MetricSample s) => new()
    {
        Flow = flow,
        Pod = pod,
        Name = s.Name,
        Value = s.Value,
        Topic = s.Labels.GetValueOrDefault("topic"),
        Partition = s.Labels.TryGetValue("partition", out var p) && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
        Group = s.Labels.GetValueOrDefault("group"),
        Connector = s.Labels.GetValueOrDefault("connector"),
        Task = s.Labels.GetValueOrDefault("task"),
        Labels = s.Labels,
    };

    private static ReplicationException NotExported(FlowHandle flow, string why, Exception? inner) =>
        new(ReplicationErrorKind.PreconditionFailed, "MetricsNotExported", $"Flow '{flow.Name}' does not export metrics: {why}.", flow.Name, inner)
        {
            RecommendedAction = "Apply the flow with New-ReplicationFlow -Metrics (flow file: metrics: true) and wait for the Connect pods to roll.",
        };
}
