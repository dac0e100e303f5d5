using System.Management.Automation;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Set-SourceOffset.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SourceOffset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NextSet)]
[OutputType(typeof(SourceOffsetChange))]
public sealed class SetSourceOffsetCommand : KafkaFlowCmdlet
{
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
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Do not check -NextOffset and -Partition against the source cluster (when it cannot be reached from here).</summary>
    [Parameter(ParameterSetName = NextSet)]
    public SwitchParameter SkipSourceCheck { get; set; }

    protected override TimeSpan ConnectorApiTimeout => Timeout;

    private readonly List<(string Ns, string Flow, string? Connector, string Topic, int[]? Partitions)> _requests = new();

    // Rows arrive one by one; the change happens once per connector at the end.
    protected override void ProcessRecord() => _requests.Add((FlowNamespace, Flow, Connector, Topic, Partition));

    protected override void EndProcessing()
    {
        Guard(() =>
        {
            foreach (var group in _requests.GroupBy(r => (r.Ns, r.Flow)))
            {
                var flow = ResolveFlow(group.Key.Ns, group.Key.Flow);
                foreach (var byConnector in group.GroupBy(r => ConnectorFor(flow, r.Connector)))
                    Change(flow, byConnector.Key, byConnector.Select(r => (r.Topic, r.Partitions)).ToList());
            }
        });
        base.EndProcessing();
    }

    private static string ConnectorFor(FlowHandle flow, string? requested) =>
        requested is not null ? flow.Connector(requested).Name : flow.SingleSourceConnector().Name;

    private void Change(FlowHandle flow, string connector, List<(string Topic, int[]? Partitions)> requests)
    {
        var partitions = ExpandPartitions(flow, requests);
        var targets = ComputeTargets(flow, partitions);
        var (offsets, states) = ConnectorAccess(flow);
        var workflow = new OffsetChangeWorkflow(new Engine.Workflows.ConnectorControl(Kube, states, Log), offsets, Log);
        var plan = Run(ct => workflow.PlanAsync(flow, connector, targets, ct));
        var lines = plan.Select(p => $"{p.Topic}-{p.Partition}: {Show(p.OldNextOffset)} -> {Show(p.NewNextOffset)}").ToList();
        var detail = string.Join(", ", lines.Take(20)) + (lines.Count > 20 ? $", ... ({lines.Count} partitions)" : "");
        if (!ShouldProcess($"connector {flow.Namespace}/{connector}: {detail}",
                $"Stop connector '{connector}', set where {plan.Count} partition(s) resume ({detail}), and restore its state?", "Confirm"))
            return;
        foreach (var change in Run(ct => workflow.ApplyAsync(flow, connector, targets, Timeout, ct))) WriteObject(change);
    }

    private static string Show(long? next) => next?.ToString() ?? "(none: auto.offset.reset)";

    private List<(string Topic, int Partition)> ExpandPartitions(FlowHandle flow, List<(string Topic, int[]? Partitions)> requests)
    {
        var result = new List<(string, int)>();
        var whole = requests.Where(r => r.Partitions is null || r.Partitions.Length == 0).Select(r => r.Topic).Distinct().ToList();
        if (whole.Count > 0)
        {
            var kafka = OpenSourceKafka(flow);
            var listed = Run(ct => kafka.ListPartitionsAsync(whole.Select(t => System.Text.RegularExpressions.Regex.Escape(t)).ToList(), ct));
            foreach (var t in whole)
            {
                var found = listed.Where(p => p.Topic == t).ToList();
                if (found.Count == 0) throw new ReplicationException(ReplicationErrorKind.NotFound, "TopicNotFound", $"Topic '{t}' does not exist in the source cluster.", t);
                result.AddRange(found);
            }
        }
        result.AddRange(requests.Where(r => r.Partitions is { Length: > 0 }).SelectMany(r => r.Partitions!.Select(p => (r.Topic, p))));
        return result.Distinct().ToList();
    }

    /// <summary>A resume point past a partition's end would make the consumer reset (or skip records written later): refuse it.</summary>
    private void CheckInRange(FlowHandle flow, List<(string Topic, int Partition)> partitions)
    {
        var kafka = OpenSourceKafka(flow);
        var end = Run(ct => kafka.GetOffsetsAsync(partitions, OffsetQuery.End, ct)); // unknown partitions fail here as NotFound
        var beyond = partitions.Where(p => NextOffset > end[p]).ToList();
        if (beyond.Count > 0)
            throw ReplicationException.Invalid("OffsetBeyondEnd",
                $"-NextOffset {NextOffset} is past the end of {string.Join(", ", beyond.Take(5).Select(p => $"{p.Topic}-{p.Partition} (end {end[p]})"))}. Use -Latest to skip to the end.", beyond[0]);
        var start = Run(ct => kafka.GetOffsetsAsync(partitions, OffsetQuery.First, ct));
        foreach (var p in partitions.Where(p => NextOffset < start[p]))
            WriteWarning($"{p.Topic}-{p.Partition}: records before {start[p]} were deleted by retention; replication will resume at {start[p]}.");
    }

    private IReadOnlyList<SourceOffsetTarget> ComputeTargets(FlowHandle flow, List<(string Topic, int Partition)> partitions)
    {
        if (ParameterSetName == NextSet)
        {
            if (!SkipSourceCheck) CheckInRange(flow, partitions);
            return partitions.Select(p => new SourceOffsetTarget(p.Topic, p.Partition, NextOffset)).ToList();
        }
        var kafka = OpenSourceKafka(flow);
        OffsetQuery query = ParameterSetName switch
        {
            EarliestSet => OffsetQuery.First,
            LatestSet => OffsetQuery.End,
            _ => new OffsetQuery.AtTime(Timestamp),
        };
        var offsets = Run(ct => kafka.GetOffsetsAsync(partitions, query, ct));
        return partitions.Select(p => new SourceOffsetTarget(p.Topic, p.Partition, offsets[p])).ToList();
    }
}
