using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/New-ReplicationTransform.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.New, "ReplicationTransform")]
[OutputType(typeof(ReplicationTransform))]
public sealed class NewReplicationTransformCommand : ReplicationCmdlet
{
    private const string FromBytesSet = "ConvertFromBytes";
    private const string ToBytesSet = "ConvertToBytes";
    private const string ReplaceFieldSet = "ReplaceField";
    private const string InsertHeaderSet = "InsertHeader";
    private const string FilterSet = "Filter";
    private const string CustomSet = "Custom";

    [Parameter(Mandatory = true, ParameterSetName = FromBytesSet)]
    public SwitchParameter ConvertFromBytes { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ToBytesSet)]
    public SwitchParameter ConvertToBytes { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ReplaceFieldSet)]
    public SwitchParameter ReplaceField { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = InsertHeaderSet)]
    public SwitchParameter InsertHeader { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = FilterSet)]
    public SwitchParameter Filter { get; set; }

    /// <summary>Any other transformation class (validation refuses the ones that rename topics).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CustomSet)]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = "";

    [Parameter(ParameterSetName = CustomSet)]
    public IDictionary? Setting { get; set; }

    /// <summary>Json, String, ByteArray, or a converter class.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FromBytesSet)]
    [Parameter(Mandatory = true, ParameterSetName = ToBytesSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ConverterCompleter))]
    public string Converter { get; set; } = "";

    [Parameter(ParameterSetName = FromBytesSet)]
    [Parameter(ParameterSetName = ToBytesSet)]
    public SwitchParameter SchemasEnable { get; set; }

    [Parameter(ParameterSetName = FromBytesSet)]
    [Parameter(ParameterSetName = ToBytesSet)]
    [Parameter(ParameterSetName = ReplaceFieldSet)]
    public RecordPart Part { get; set; } = RecordPart.Value;

    /// <summary>'old:new' pairs, in order (one string may hold several, comma-separated).</summary>
    [Parameter(ParameterSetName = ReplaceFieldSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Renames { get; set; }

    [Parameter(ParameterSetName = ReplaceFieldSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Include { get; set; }

    [Parameter(ParameterSetName = ReplaceFieldSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Exclude { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = InsertHeaderSet)]
    [ValidateNotNullOrEmpty]
    public string Header { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = InsertHeaderSet)]
    [ValidateNotNull]
    public string Value { get; set; } = "";

    /// <summary>The alias in the connector's transforms list; default: the kind (ConvertFromBytes, ReplaceField, ...).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = FromBytesSet)]
    [Parameter(ParameterSetName = ToBytesSet)]
    [Parameter(ParameterSetName = ReplaceFieldSet)]
    [Parameter(ParameterSetName = InsertHeaderSet)]
    [Parameter(Mandatory = true, ParameterSetName = FilterSet)]
    [Parameter(ParameterSetName = CustomSet)]
    public ReplicationPredicate? Predicate { get; set; }

    [Parameter]
    public SwitchParameter Negate { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        ReplicationTransform t = ParameterSetName switch
        {
            FromBytesSet => new ConvertFromBytesTransform { Name = Name ?? "ConvertFromBytes", Part = Part, Converter = RecordConverters.Resolve(Converter), SchemasEnable = SchemasEnable },
            ToBytesSet => new ConvertToBytesTransform { Name = Name ?? "ConvertToBytes", Part = Part, Converter = RecordConverters.Resolve(Converter), SchemasEnable = SchemasEnable },
            ReplaceFieldSet => new ReplaceFieldTransform
            {
                Name = Name ?? "ReplaceField",
                Part = Part,
                Renames = TransformFactory.ParseRenames(Renames ?? Array.Empty<string>()),
                Include = TransformFactory.SplitFields(Include),
                Exclude = TransformFactory.SplitFields(Exclude),
            },
            InsertHeaderSet => new InsertHeaderTransform { Name = Name ?? "InsertHeader", Header = Header, Value = Value },
            FilterSet => new FilterTransform { Name = Name ?? "Filter" },
            _ => new CustomTransform
            {
                // MaskField$Value → MaskField: a usable alias ('$' is not allowed in one).
                Name = Name ?? Type[(Type.LastIndexOf('.') + 1)..].Split('$')[0],
                Class = Type,
                // Sorted, so that a hashtable gives the same connector config every time (re-applying changes nothing).
                CustomSettings = (Setting ?? new Hashtable()).Cast<DictionaryEntry>()
                    .Select(e => new KeyValuePair<string, object>($"{e.Key}", e.Value is bool or int or long ? e.Value : $"{e.Value}"))
                    .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList(),
            },
        };
        WriteObject(t with { Predicate = Predicate, Negate = Negate });
    });
}
