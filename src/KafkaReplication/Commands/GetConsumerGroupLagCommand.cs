using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Monitoring;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-ConsumerGroupLag.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ConsumerGroupLag", DefaultParameterSetName = FlowSet)]
[OutputType(typeof(ConsumerGroupLag))]
public sealed class GetConsumerGroupLagCommand : KubernetesCmdlet
{
    private const string FlowSet = "Flow";
    private const string ClusterSet = "Cluster";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FlowSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.FlowNameCompleter))]
    public string Flow { get; set; } = "";

    [Parameter(ParameterSetName = FlowSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Which cluster of the flow: the source (default) or the target.</summary>
    [Parameter(ParameterSetName = FlowSet)]
    public ClusterSide Side { get; set; } = ClusterSide.Source;

    /// <summary>The cluster to read, without a flow.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClusterSet)]
    public ReplicationClusterReference? Cluster { get; set; }

    /// <summary>Consumer group ids. Groups are never listed (explicit names); wildcards match only the groups the flow's checkpoint connector names.</summary>
    [Parameter(Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.GroupCompleter))]
    public string[] Group { get; set; } = Array.Empty<string>();

    /// <summary>Topics (wildcards allowed). Default with -Flow: the flow's topics on that side.</summary>
    [Parameter(ParameterSetName = FlowSet)]
    [Parameter(Mandatory = true, ParameterSetName = ClusterSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Topic { get; set; }

    /// <summary>Bootstrap servers reachable from here, replacing the reference's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BootstrapServers { get; set; }

    /// <summary>Extra librdkafka settings, applied last.</summary>
    [Parameter]
    public Hashtable? KafkaConfig { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        FlowHandle? flow = null;
        var cluster = Cluster;
        var endpoint = KafkaParameters.Endpoint(null, BootstrapServers, KafkaConfig) with { BootstrapServersParameter = "-BootstrapServers" };
        IKafkaGateway kafka;
        if (ParameterSetName == FlowSet)
        {
            var ns = Namespace ?? DefaultNamespace;
            var resolved = Run(ct => Session.FlowAsync(ns, Flow, ct));
            flow = resolved;
            kafka = Side == ClusterSide.Source
                ? Run(ct => Session.SourceKafkaAsync(resolved, endpoint, ct)).Gateway
                : Run(ct => Session.TargetKafkaAsync(resolved, endpoint, ct));
        }
        else
        {
            kafka = Session.Kafka(cluster!, endpoint);
            WriteVerbose($"Kafka: {kafka.Settings}");
        }
        var groups = ResolveGroups(flow);
        var partitions = Run(ct => PartitionsAsync(kafka, flow, ct));
        var report = Run(ct => ConsumerGroupLagReader.ReadWithGroupStatesAsync(kafka, groups, partitions, ct));
        if (report.NotReportedSummary(kafka.Settings.ToString()) is { } notReported) WriteWarning(notReported);
        foreach (var row in report.Rows)
            WriteObject(row);
    });

    private async Task<IReadOnlyList<(string Topic, int Partition)>> PartitionsAsync(Engine.Kafka.IKafkaGateway kafka, FlowHandle? flow, CancellationToken ct)
    {
        IReadOnlyList<string> regexes = new[] { ".*" };
        if (Topic is null && flow is not null)
        {
            var kube = Kube;
            var source = flow.SourceConnectors.FirstOrDefault() ?? throw new ReplicationException(ReplicationErrorKind.NotFound,
                ErrorIds.ConnectorNotInFlow, $"Flow '{flow.Name}' has no source connector, so its topics are unknown; give -Topic.", flow.Name);
            regexes = await ReplicationStateReader.TopicRegexesAsync(kube, flow.Namespace, source, ct).ConfigureAwait(false);
            if (Side == ClusterSide.Target) regexes = TopicNames.TargetRegexes(regexes, flow.Policy, flow.SourceAlias);
        }
        var all = await kafka.ListPartitionsAsync(regexes, ct).ConfigureAwait(false);
        var patterns = Topic?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
        var picked = all.Where(p => patterns is null || patterns.Any(w => w.IsMatch(p.Topic))).Select(p => p.Key).ToList();
        if (picked.Count == 0)
            throw new ReplicationException(ReplicationErrorKind.NotFound, ErrorIds.KafkaTopicNotFound,
                $"Kafka cluster {kafka.Settings} has no topic matching {string.Join(", ", Topic ?? regexes.ToArray())}.", Topic?.FirstOrDefault());
        return picked;
    }

    /// <summary>Explicit names as given; wildcards against the literal group names of the flow's checkpoint connector.</summary>
    private List<string> ResolveGroups(FlowHandle? flow)
    {
        var known = flow?.CheckpointGroupNames ?? Array.Empty<string>();
        var result = new List<string>();
        foreach (var g in Group)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(g)) { if (!result.Contains(g)) result.Add(g); continue; }
            var w = new WildcardPattern(g, WildcardOptions.IgnoreCase);
            var matches = known.Where(w.IsMatch).ToList();
            if (matches.Count == 0)
                throw new ReplicationException(ReplicationErrorKind.InvalidArgument, ErrorIds.GroupWildcardUnresolvable,
                    $"'{g}' matches none of the group names known here ({(known.Count == 0 ? "none" : string.Join(", ", known))}). " +
                    "Consumer groups are not listed from the cluster; give the group ids explicitly.", g);
            result.AddRange(matches.Where(m => !result.Contains(m)));
        }
        return result;
    }
}
