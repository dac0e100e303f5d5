using System.Management.Automation;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-ReplicationState.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ReplicationState")]
[OutputType(typeof(ReplicationPartitionState), typeof(ReplicationStateSummary))]
public sealed class GetReplicationStateCommand : KafkaFlowCmdlet
{
    /// <summary>Source topics (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? Topic { get; set; }

    /// <summary>Totals per topic, and one line per flow.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var (offsets, _) = ConnectorAccess(flow);
        var kafka = OpenSourceKafka(flow);
        var kube = Kube;
        var topics = Topic?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
        var reader = new ReplicationStateReader(kube, offsets, kafka, Log);
        var rows = Run(ct => reader.ReadAsync(flow, topics is null ? null : t => topics.Any(p => p.IsMatch(t)), ct));
        if (!Summary)
        {
            foreach (var r in rows) WriteObject(r);
            return;
        }
        foreach (var s in ReplicationStateReader.Summarize(rows, perTopic: true)) WriteObject(s);
        foreach (var s in ReplicationStateReader.Summarize(rows, perTopic: false)) WriteObject(s);
    });
}
