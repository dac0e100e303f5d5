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
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Set-SourceOffset.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SourceOffset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NextSet)]
[OutputType(typeof(SourceOffsetChange))]
public sealed class SetSourceOffsetCommand : ConnectFlowCmdlet
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

    private const string NextSet = "NextOffset";
    private const string EarliestSet = "Earliest";
    private const string LatestSet = "Latest";
    private const string TimeSet = "Timestamp";

    /// <summary>The source connector; the flow's only source connector when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Connector { get; set; }

    /// <summary>Source topic of the partitions (from Get-ReplicationState or Get-SourceOffset through the pipeline).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Topic { get; set; } = "";

    /// <summary>Partitions of the topic; every partition of the topic when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int[]? Partition { get; set; }

    /// <summary>The source offset replication resumes at (stored as NextOffset − 1, as MirrorMaker stores the last replicated offset).</summary>
    [Parameter(Mandatory = true, ParameterSetName = NextSet)]
    [Alias("Offset")]
    [ValidateRange(0, long.MaxValue)]
    public long NextOffset { get; set; }

    /// <summary>Resume at the earliest offset still in the source (replicate everything retained).</summary>
    [Parameter(Mandatory = true, ParameterSetName = EarliestSet)]
    public SwitchParameter Earliest { get; set; }

    /// <summary>Resume at the end: skip everything not yet replicated.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>Resume at the first record at or after this time.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TimeSet)]
    public DateTimeOffset Timestamp { get; set; }

    [Parameter]
    [ValidateTimeout]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Do not check -NextOffset and -Partition against the source cluster (when it cannot be reached from here).</summary>
    [Parameter(ParameterSetName = NextSet)]
    public SwitchParameter SkipSourceCheck { get; set; }

    private readonly List<(string Ns, string Flow, string? Connector, string Topic, int[]? Partitions)> _requests = new();

    // Rows arrive one by one; the change happens once per connector at the end.
    protected override void ProcessRecord() => _requests.Add((FlowNamespace, Flow, Connector, Topic, Partition));

    protected override void EndProcessing()
    {
        // One error per flow (or connector) lets the other flows' offsets be set.
        foreach (var group in _requests.GroupBy(r => (r.Ns, r.Flow)))
            Guard(() =>
            {
                var flow = ResolveFlow(group.Key.Ns, group.Key.Flow);
                foreach (var byConnector in group.GroupBy(r => ConnectorFor(flow, r.Connector)))
                    Guard(() => Change(flow, byConnector.Key, byConnector.Select(r => (r.Topic, r.Partitions)).ToList()));
            });
        base.EndProcessing();
    }

    private static string ConnectorFor(FlowHandle flow, string? requested) =>
        requested is not null ? flow.Connector(requested).Name : flow.SingleSourceConnector().Name;

    private void Change(FlowHandle flow, string connector, List<(string Topic, int[]? Partitions)> requests)
    {
        var targets = PlanTargets(flow, requests);
        var (offsets, states) = ConnectorAccess(flow, OffsetApi, Timeout);
        var workflow = new OffsetChangeWorkflow(new ConnectorControl(Kube, states, Log), offsets, Log);
        var plan = Run(ct => workflow.PlanAsync(flow, connector, targets, ct));
        var lines = plan.Select(p => $"{p.Topic}-{p.Partition}: {Show(p.OldNextOffset)} -> {Show(p.NewNextOffset)}").ToList();
        var detail = string.Join(", ", lines.Take(20)) + (lines.Count > 20 ? $", ... ({lines.Count} partitions)" : "");
        if (!ShouldProcess($"connector {flow.Namespace}/{connector}: {detail}",
                $"Stop connector '{connector}', set where {plan.Count} partition(s) resume ({detail}), and restore its state?", "Confirm"))
            return;
        foreach (var change in Run(ct => workflow.ApplyAsync(flow, connector, targets, Timeout, ct))) WriteObject(change);
    }

    private static string Show(long? next) => next?.ToString() ?? "(none: auto.offset.reset)";

    /// <summary>The partitions and where each resumes, read from the source cluster (the engine's planner holds the rules).</summary>
    private IReadOnlyList<SourceOffsetTarget> PlanTargets(FlowHandle flow, List<(string Topic, int[]? Partitions)> requests)
    {
        var endpoint = KafkaParameters.Endpoint(Source, SourceBootstrapServers, KafkaConfig);
        ResumePoint point = ParameterSetName switch
        {
            NextSet => new ResumePoint.At(NextOffset, CheckRange: !SkipSourceCheck),
            EarliestSet => new ResumePoint.Earliest(),
            LatestSet => new ResumePoint.Latest(),
            _ => new ResumePoint.AtTime(Timestamp),
        };
        var session = Session;
        var planner = new SourceOffsetPlanner(async ct => await session.SourceKafkaAsync(flow, endpoint, ct).ConfigureAwait(false), Log);
        return Run(async ct => await planner.TargetsAsync(await planner.ExpandAsync(requests, ct).ConfigureAwait(false), point, ct).ConfigureAwait(false));
    }
}
