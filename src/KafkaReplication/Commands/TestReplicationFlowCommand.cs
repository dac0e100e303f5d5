using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine;
using KafkaReplication.Engine.FlowFiles;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Test-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ReplicationFlow", DefaultParameterSetName = DefinitionSet)]
[OutputType(typeof(ValidationFinding), typeof(bool))]
public sealed class TestReplicationFlowCommand : KubernetesCmdlet
{
    private const string DefinitionSet = "Definition";
    private const string PathSet = "Path";
    private const string ManifestSet = "ManifestPath";
    private const string LiveSet = "Live";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DefinitionSet)]
    public ReplicationFlowDefinition Definition { get; set; } = null!;

    /// <summary>Flow files (docs/flow-file.md); several are also checked against each other.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Kubernetes manifests of a flow (rendered by this module or written by hand after the guide).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManifestSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] ManifestPath { get; set; } = Array.Empty<string>();

    /// <summary>A deployed flow, read from the cluster (Get-ReplicationFlow output binds by property name).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.FlowNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = LiveSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Topic names that exist on the source cluster, tried when topic filters are compared.</summary>
    [Parameter]
    [ValidateNotNull]
    public string[] KnownTopics { get; set; } = Array.Empty<string>();

    /// <summary>Return only $true (no errors) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private readonly List<ManifestObject> _manifests = new();
    private readonly List<ReplicationFlowDefinition> _flows = new();
    private bool _anyError;
    private Engine.Strimzi.DetectedStrimzi? _strimzi;
    private IReadOnlyList<ManifestObject>? _deployed;
    private bool _deployedRead;

    protected override void ProcessRecord() => Guard(() =>
    {
        switch (ParameterSetName)
        {
            case ManifestSet:
                // A render may be split in a flow file and a Secrets file: all files are checked together at the end.
                foreach (var p in ManifestPath) _manifests.AddRange(ReadManifests(GetUnresolvedProviderPathFromPSPath(p)));
                break;
            case PathSet:
                // Validation needs no secret values: references are checked, not resolved.
                foreach (var p in Path)
                    foreach (var flow in FlowFileReader.ReadAll(GetUnresolvedProviderPathFromPSPath(p), resolveSecrets: false)) Check(flow);
                break;
            case LiveSet:
                CheckDeployed();
                break;
            default:
                Check(Definition);
                break;
        }
    });

    private void Check(ReplicationFlowDefinition flow)
    {
        _flows.Add(flow);
        Emit(FlowValidator.Validate(flow, KnownTopics));
    }

    private void CheckDeployed()
    {
        var kube = Kube;
        var ns = Namespace ?? DefaultNamespace;
        var reader = new LiveFlowReader(kube);
        var objects = Run(ct => reader.ReadFlowAsync(ns, Name, ct));
        Emit(ManifestValidator.Validate(objects, knownTopics: KnownTopics));
        // Read once per invocation, not per piped flow: `Get-ReplicationFlow | Test-ReplicationFlow` over n flows
        // would otherwise list every flow of the cluster n times.
        _strimzi ??= Run(ct => Engine.Strimzi.StrimziDetector.DetectAsync(kube, Log, ct));
        Emit(Engine.Strimzi.StrimziVersionCheck.AgainstCluster(objects, _strimzi));
        if (!_deployedRead)
        {
            _deployed = Run(ct => reader.ReadAllFlowsAsync(Log, ct));
            _deployedRead = true;
        }
        if (_deployed is not null) Emit(FlowSetValidator.AgainstDeployed(objects, _deployed));
    }

    protected override void EndProcessing() => Guard(() =>
    {
        if (ParameterSetName == ManifestSet) Emit(ManifestValidator.Validate(_manifests, knownTopics: KnownTopics));
        // Several flows (a flow spread over Connect clusters, both directions of a bidirectional flow) are also checked together.
        if (_flows.Count > 1) Emit(FlowSetValidator.Validate(_flows, KnownTopics));
        if (Quiet) WriteObject(!_anyError);
        base.EndProcessing();
    });

    private void Emit(IReadOnlyList<ValidationFinding> findings)
    {
        _anyError |= findings.Any(f => f.Severity == FindingSeverity.Error);
        if (Quiet) return;
        foreach (var f in findings) WriteObject(f);
        WriteVerbose($"{findings.Count(f => f.Severity == FindingSeverity.Error)} error(s), {findings.Count(f => f.Severity == FindingSeverity.Warning)} warning(s).");
    }

    private static IReadOnlyList<ManifestObject> ReadManifests(string path) => ManifestYaml.ReadFile(path);
}
