using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Offsets;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Reset-SourceOffset.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Reset, "SourceOffset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SourceOffsetChange))]
public sealed class ResetSourceOffsetCommand : ConnectFlowCmdlet
{
    /// <summary>How offsets are read and states observed: Auto, ConnectRest or StrimziAnnotations (Strimzi 0.44+).</summary>
    [Parameter]
    public OffsetApi OffsetApi { get; set; } = OffsetApi.Auto;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Connector { get; set; }

    /// <summary>Only this topic's partitions (with -Partition: only those); all offsets of the connector when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Topic { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int[]? Partition { get; set; }

    [Parameter]
    [ValidateTimeout]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Reset even when, with auto.offset.reset=latest, that skips records not replicated yet.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The source cluster (to tell where each partition resumes); default: rebuilt from the flow's source ConfigMap and Secret.</summary>
    [Parameter]
    public ReplicationClusterReference? Source { get; set; }

    /// <summary>Bootstrap servers of the source reachable from here (a port-forward, a load balancer).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceBootstrapServers { get; set; }

    /// <summary>Extra librdkafka settings for the source client, applied last (e.g. @{ 'ssl.ca.location' = './ca.pem' }).</summary>
    [Parameter]
    public Hashtable? KafkaConfig { get; set; }

    private readonly List<(string Ns, string Flow, string? Connector, string? Topic, int[]? Partitions)> _requests = new();

    protected override void ProcessRecord()
    {
        if (Partition is { Length: > 0 } && Topic is null)
            ThrowTerminatingError(ErrorRecords.Invalid(ErrorIds.PartitionWithoutTopic,
                "-Partition needs -Topic: without a topic every offset of the connector would be reset.", Partition));
        _requests.Add((FlowNamespace, Flow, Connector, Topic, Partition));
    }

    protected override void EndProcessing()
    {
        // One error per flow (or connector) lets the other flows' offsets be reset.
        foreach (var group in _requests.GroupBy(r => (r.Ns, r.Flow)))
            Guard(() =>
            {
                var flow = ResolveFlow(group.Key.Ns, group.Key.Flow);
                foreach (var byConnector in group.GroupBy(r => r.Connector is null
                             ? flow.SingleSourceConnector().Name : flow.Connector(r.Connector).Name))
                    Guard(() => Reset(flow, byConnector.Key, byConnector.ToList()));
            });
        base.EndProcessing();
    }

    private void Reset(FlowHandle flow, string connector, List<(string Ns, string Flow, string? Connector, string? Topic, int[]? Partitions)> requests)
    {
        var (offsets, states) = ConnectorAccess(flow, OffsetApi, Timeout);
        var workflow = new OffsetChangeWorkflow(new ConnectorControl(Kube, states, Log), offsets, Log);
        IReadOnlyList<SourceOffsetTarget>? targets = null; // null: DELETE all
        if (requests.Any(r => r.Topic is not null))
        {
            var stored = Run(ct => workflow.ReadAsync(flow, connector, ct));
            targets = requests.Where(r => r.Topic is not null).SelectMany(r => stored
                    .Where(s => s.Topic == r.Topic && (r.Partitions is null || r.Partitions.Length == 0 || r.Partitions.Contains(s.Partition)))
                    .Select(s => new SourceOffsetTarget(s.Topic, s.Partition, null)))
                .Distinct().ToList();
            if (targets.Count == 0)
            {
                WriteWarning($"Connector '{connector}' has no stored offsets for the given partitions; nothing to reset.");
                return;
            }
        }
        // Where each partition resumes once its entry is gone (auto.offset.reset), checked before anything changes.
        var endpoint = KafkaParameters.Endpoint(Source, SourceBootstrapServers, KafkaConfig);
        var kafka = Run(ct => Session.SourceKafkaAsync(flow, endpoint, ct));
        var resolved = Run(async ct => await ResetResumeCheck.ResolveAsync(flow.Connector(connector),
            await workflow.PlanAsync(flow, connector, targets, ct).ConfigureAwait(false), kafka, ct).ConfigureAwait(false));
        if (!Force) ResetResumeCheck.RefuseSkips(flow, connector, resolved);
        var resumeAt = resolved.ToDictionary(r => (r.Topic, r.Partition), r => r.ResumeOffset);
        var policy = ResetResumeCheck.Latest(flow.Connector(connector)) ? "latest" : "earliest";
        var what = targets is null ? "all stored offsets" : $"the offsets of {string.Join(", ", targets.Take(20).Select(t => $"{t.Topic}-{t.Partition}"))}{(targets.Count > 20 ? ", ..." : "")}";
        var resumes = string.Join(", ", resolved.Take(20).Select(r => $"{r.Topic}-{r.Partition} at {r.ResumeOffset?.ToString() ?? "?"}")) + (resolved.Count > 20 ? ", ..." : "");
        if (!ShouldProcess($"connector {flow.Namespace}/{connector}: {what}; replication resumes ({policy}) {resumes}",
                $"Stop connector '{connector}', delete {what}, and restore its state? Replication resumes ({policy}) {resumes}.", "Confirm")) return;
        foreach (var change in Run(ct => workflow.ApplyAsync(flow, connector, targets, Timeout, ct)))
            WriteObject(change with { ResumeOffset = resumeAt.GetValueOrDefault((change.Topic, change.Partition)) });
    }
}
