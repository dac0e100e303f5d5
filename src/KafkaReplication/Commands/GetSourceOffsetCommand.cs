using System.Management.Automation;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Offsets;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Get-SourceOffset.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SourceOffset")]
[OutputType(typeof(SourceOffset))]
public sealed class GetSourceOffsetCommand : ConnectFlowCmdlet
{
    /// <summary>Source connector names; all source connectors of the flow when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Connector { get; set; }

    /// <summary>Source topics (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? Topic { get; set; }

    /// <summary>How offsets are read: Auto, ConnectRest or StrimziAnnotations (Strimzi 0.44+).</summary>
    [Parameter]
    public OffsetApi OffsetApi { get; set; } = OffsetApi.Auto;

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var (offsets, states) = ConnectorAccess(flow, OffsetApi, TimeSpan.FromMinutes(5));
        var workflow = new OffsetChangeWorkflow(new ConnectorControl(Kube, states, Log), offsets, Log);
        var topics = Topic?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
        foreach (var c in flow.SelectConnectors(Connector ?? new[] { "source" }))
            foreach (var o in Run(ct => workflow.ReadAsync(flow, c.Name, ct)))
                if (topics is null || topics.Any(t => t.IsMatch(o.Topic))) WriteObject(o);
    });
}
