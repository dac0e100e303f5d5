using System.Management.Automation;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/New-ReplicationPredicate.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.New, "ReplicationPredicate")]
[OutputType(typeof(ReplicationPredicate))]
public sealed class NewReplicationPredicateCommand : ReplicationCmdlet
{
    private const string TopicSet = "TopicNameMatches";
    private const string HeaderSet = "HasHeaderKey";
    private const string TombstoneSet = "RecordIsTombstone";

    /// <summary>The predicate's name in the connector's predicates list (unique within a connector).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = TopicSet)]
    public SwitchParameter TopicNameMatches { get; set; }

    /// <summary>A Java regular expression matched against the whole topic name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TopicSet)]
    [ValidateNotNullOrEmpty]
    public string Pattern { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = HeaderSet)]
    public SwitchParameter HasHeaderKey { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = HeaderSet)]
    [ValidateNotNullOrEmpty]
    public string HeaderName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = TombstoneSet)]
    public SwitchParameter RecordIsTombstone { get; set; }

    protected override void ProcessRecord() => Guard(() => WriteObject(ParameterSetName switch
    {
        TopicSet => (ReplicationPredicate)new TopicNameMatchesPredicate { Name = Name, Pattern = Pattern },
        HeaderSet => new HasHeaderKeyPredicate { Name = Name, HeaderName = HeaderName },
        _ => new RecordIsTombstonePredicate { Name = Name },
    }));
}
