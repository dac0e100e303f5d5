using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Monitoring;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-ReplicationState.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ReplicationState")]
[OutputType(typeof(ReplicationPartitionState), typeof(ReplicationStateSummary))]
public sealed class GetReplicationStateCommand : ConnectFlowCmdlet
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
        var (offsets, _) = ConnectorAccess(flow, OffsetApi, TimeSpan.FromMinutes(5));
        var source = KafkaParameters.Endpoint(Source, SourceBootstrapServers, KafkaConfig);
        var kafka = Run(ct => Session.SourceKafkaAsync(flow, source, ct));
        var kube = Kube;
        var topics = Topic?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
        var reader = new ReplicationStateReader(kube, offsets, kafka, Log);
        Func<string, bool>? filter = topics is null ? null : t => topics.Any(p => p.IsMatch(t));
        if (Summary)
            WriteObject(Run(ct => reader.SummarizeAsync(flow, filter, ct)), enumerateCollection: true);
        else
            WriteObject(Run(ct => reader.ReadAsync(flow, filter, ct)), enumerateCollection: true);
    });
}
