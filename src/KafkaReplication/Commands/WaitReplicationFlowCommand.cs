using System.Collections;
using System.Management.Automation;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Monitoring;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Wait-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ReplicationFlow")]
[OutputType(typeof(ReplicationFlow), typeof(ReplicationStateSummary))]
public sealed class WaitReplicationFlowCommand : ConnectFlowCmdlet
{
    /// <summary>The source cluster; default: rebuilt from the flow's source ConfigMap and Secret.</summary>
    [Parameter]
    public ReplicationClusterReference? Source { get; set; }

    /// <summary>Bootstrap servers of the source reachable from here (a port-forward, a load balancer).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceBootstrapServers { get; set; }

    /// <summary>Extra librdkafka settings for the source client, applied last (e.g. @{ 'ssl.ca.location' = './ca.pem' }).</summary>
    [Parameter]
    public Hashtable? KafkaConfig { get; set; }

    /// <summary>How offsets are read and states observed: Auto, ConnectRest or StrimziAnnotations (Strimzi 0.44+).</summary>
    [Parameter]
    public OffsetApi OffsetApi { get; set; } = OffsetApi.Auto;

    [Parameter]
    public FlowCondition Condition { get; set; } = FlowCondition.Ready;

    [Parameter]
    [ValidateTimeout]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    private readonly List<(string Flow, string? Namespace)> _flows = new();

    /// <summary>
    /// Collects the flows: the wait starts once the input has ended, so `New-ReplicationFlow | Wait-ReplicationFlow`
    /// waits once per flow, after every object of it was applied (not at its first object).
    /// </summary>
    protected override void ProcessRecord()
    {
        if (!_flows.Contains((Flow, Namespace))) _flows.Add((Flow, Namespace));
    }

    protected override void EndProcessing()
    {
        foreach (var (flow, ns) in _flows) WaitForFlow(flow, ns);
        base.EndProcessing();
    }

    private void WaitForFlow(string name, string? ns) => Guard(() =>
    {
        var flow = ResolveFlow(ns ?? DefaultNamespace, name);
        var kube = Kube;
        if (Condition == FlowCondition.Ready)
        {
            var deadline = DateTimeOffset.UtcNow + Timeout;
            var strimzi = FlowManifestBuilder.StrimziApiVersion;
            foreach (var (kind, name) in new[] { (Kinds.KafkaConnect, flow.ConnectCluster) }.Concat(flow.Connectors.Select(c => (Kinds.KafkaConnector, c.Name))))
            {
                var left = deadline - DateTimeOffset.UtcNow;
                Run(ct => KubeWait.UntilAsync(kube, strimzi, kind, flow.Namespace, name, ReadyCheck, left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), Log,
                    $"Waiting for flow '{flow.Name}' to be ready", ct));
            }
            var inventory = new FlowInventory(kube, Log);
            foreach (var f in Run(ct => inventory.GetFlowsAsync(flow.Namespace, n => n == flow.Name, ct))) WriteObject(f);
            return;
        }
        var (offsets, _) = ConnectorAccess(flow, OffsetApi, Timeout);
        var source = KafkaParameters.Endpoint(Source, SourceBootstrapServers, KafkaConfig);
        var kafka = Run(ct => Session.SourceKafkaAsync(flow, source, ct));
        var reader = new ReplicationStateReader(kube, offsets, kafka, Log);
        ReplicationStateSummary? total = null;
        Run(ct => Poll.UntilAsync(async token =>
        {
            // The flow's total is the last summary (after one per topic); none when the flow has no partition.
            total = (await reader.SummarizeAsync(flow, null, token).ConfigureAwait(false)).LastOrDefault();
            var lag = total?.Lag ?? 0;
            return lag == 0 ? WaitCheck.Complete("caught up") : WaitCheck.Pending($"{lag} records to replicate in {total!.Lagging + total.NotStarted} partitions");
        }, Timeout, Log, $"Waiting for flow '{flow.Name}' to catch up", flow.Name, ct));
        if (total is not null) WriteObject(total);
    });

    private static WaitCheck ReadyCheck(JsonObject? o)
    {
        if (o is null) return WaitCheck.Pending("not created yet");
        var name = $"{o["kind"]} {o["metadata"]?["name"]}";
        var status = StrimziStatus.Of(o);
        return status.Settled ? WaitCheck.Complete($"{name} is ready") : WaitCheck.Pending($"{name}: {status.Pending}");
    }
}
