using System.Management.Automation;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/New-ReplicationSourceConnector.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.New, "ReplicationSourceConnector")]
[OutputType(typeof(SourceConnectorDefinition))]
public sealed class NewReplicationSourceConnectorCommand : ReplicationCmdlet
{
    /// <summary>Short name: the KafkaConnector is &lt;flow&gt;-&lt;name&gt;-mirror-source-connector.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Topics { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 1000)]
    public int? TasksMax { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public CompressionType? CompressionType { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(-1, 32767)]
    public int? ReplicationFactor { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    public int? OffsetLagMax { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Transform")]
    public ReplicationTransform[]? Transforms { get; set; }

    protected override void ProcessRecord() => Guard(() => WriteObject(new SourceConnectorDefinition
    {
        Name = Name,
        Topics = FlowDefinitionFactory.SplitList(Topics),
        TasksMax = TasksMax,
        CompressionType = CompressionType,
        ReplicationFactor = ReplicationFactor,
        OffsetLagMax = OffsetLagMax,
        Transforms = Transforms ?? Array.Empty<ReplicationTransform>(),
    }));
}
