using System.Management.Automation;
using KafkaReplication.Engine.FlowFiles;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// <para type="synopsis">Checks a flow (object, flow file, or manifests YAML) for the mistakes the vendor guide warns about. Needs no cluster.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ReplicationFlow", DefaultParameterSetName = DefinitionSet)]
[OutputType(typeof(ValidationFinding), typeof(bool))]
public sealed class TestReplicationFlowCommand : ReplicationCmdlet
{
    private const string DefinitionSet = "Definition";
    private const string PathSet = "Path";
    private const string ManifestSet = "ManifestPath";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DefinitionSet)]
    public ReplicationFlowDefinition Flow { get; set; } = null!;

    /// <summary>A flow file (docs/flow-file.md).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Kubernetes manifests of a flow (rendered by this module or written by hand after the guide).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManifestSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] ManifestPath { get; set; } = Array.Empty<string>();

    private readonly List<ManifestObject> _manifests = new();

    /// <summary>Return only $true (no errors) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        IReadOnlyList<ValidationFinding>? findings = ParameterSetName switch
        {
            // Validation needs no secret values: references are checked, not resolved.
            PathSet => FlowValidator.Validate(FlowFileReader.Read(GetUnresolvedProviderPathFromPSPath(Path), resolveSecrets: false)),
            ManifestSet => Collect(),
            _ => FlowValidator.Validate(Flow),
        };
        if (findings is null) return;
        Emit(findings);
    });

    /// <summary>Manifest files (a render may be split in a flow file and a Secrets file) are checked together at the end.</summary>
    private IReadOnlyList<ValidationFinding>? Collect()
    {
        foreach (var p in ManifestPath) _manifests.AddRange(ReadManifests(GetUnresolvedProviderPathFromPSPath(p)));
        return null;
    }

    protected override void EndProcessing() => Guard(() =>
    {
        if (ParameterSetName == ManifestSet) Emit(ManifestValidator.Validate(_manifests));
        base.EndProcessing();
    });

    private void Emit(IReadOnlyList<ValidationFinding> findings)
    {
        if (Quiet)
        {
            WriteObject(findings.All(f => f.Severity != FindingSeverity.Error));
            return;
        }
        foreach (var f in findings) WriteObject(f);
        WriteVerbose($"{findings.Count(f => f.Severity == FindingSeverity.Error)} error(s), {findings.Count(f => f.Severity == FindingSeverity.Warning)} warning(s).");
    }

    private static IReadOnlyList<ManifestObject> ReadManifests(string path)
    {
        try
        {
            return ManifestYaml.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReplicationException(ReplicationErrorKind.NotFound, "ManifestFileNotFound", $"Cannot read '{path}': {e.Message}", path, e);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw ReplicationException.Invalid("ManifestFileInvalid", $"'{path}' line {e.Start.Line}: {e.Message}", path);
        }
    }
}
