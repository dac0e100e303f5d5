using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Strimzi;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Session;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/New-ReplicationFlow.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.New, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = DefinitionSet)]
[OutputType(typeof(ReplicationManifestChange), typeof(FileInfo), typeof(ReplicationFlowDefinition))]
public sealed class NewReplicationFlowCommand : FlowDefinitionCmdlet
{
    private const string DefinitionSet = "Definition";

    /// <summary>A flow definition (New-ReplicationFlowDefinition, or New-ReplicationFlow -PassThru).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = DefinitionSet)]
    public ReplicationFlowDefinition Definition { get; set; } = null!;

    /// <summary>Path of a kubeconfig file; default: KUBECONFIG, then ~/.kube/config, then in-cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>kubeconfig context to use instead of the current one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.KubeContextCompleter))]
    public string? Context { get; set; }

    /// <summary>How long one request to a server may take (default 30 s; set it once with $PSDefaultParameterValues['*:RequestTimeout']).</summary>
    [Parameter]
    [ValidateTimeout(3600)]
    public TimeSpan RequestTimeout { get; set; } = RequestLimits.Default.Request;

    /// <summary>Render YAML into this folder instead of applying to a cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary>With -OutputPath: write the Secrets with their values into a separate &lt;flow&gt;.secrets.yaml.</summary>
    [Parameter]
    public SwitchParameter IncludeSecretValue { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// The Strimzi release to render for (0.43 to 1.x): API version, KafkaConnect fields and where the connectors read
    /// the target's security settings. Default: the cluster's (detected) when deploying, the guide's 0.43 with -OutputPath.
    /// Overrides the flow file's strimziVersion.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StrimziVersion { get; set; }

    /// <summary>Take over existing objects of the same names that no flow manages (they are otherwise refused).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private protected override ReplicationSession CreateSession() => KubernetesCmdlet.CreateKubeSession(this, Kubeconfig, Context, RequestTimeout);

    protected override void ProcessRecord() => Guard(() =>
    {
        IReadOnlyList<ReplicationFlowDefinition> flows = ParameterSetName == DefinitionSet ? new[] { Definition } : BuildDefinitions();
        if (StrimziVersion is not null)
        {
            var version = Engine.Strimzi.StrimziVersion.Parse(StrimziVersion);
            flows = flows.Select(f => f with { StrimziVersion = version }).ToList();
        }
        // Every flow (both directions of a bidirectional pair) is checked, alone and together, before anything changes.
        foreach (var flow in flows) Refuse(flow.Name, "is not valid", FlowValidator.Validate(flow));
        if (flows.Count > 1) Refuse(string.Join(" and ", flows.Select(f => f.Name)), "do not fit together", FlowSetValidator.Validate(flows));

        if (IncludeSecretValue && OutputPath is null)
            ThrowTerminatingError(ErrorRecords.Invalid(ErrorIds.IncludeSecretValueWithoutOutputPath, "-IncludeSecretValue goes with -OutputPath.", null));

        foreach (var flow in flows)
        {
            if (OutputPath is not null) Render(flow);
            else Apply(flow);
            if (PassThru) WriteObject(FlowDefinitionOutput.Wrap(flow));
        }
    });

    /// <summary>Writes the warnings and stops at the first error, so that nothing is changed for an invalid flow.</summary>
    private void Refuse(string what, string problem, IReadOnlyList<ValidationFinding> findings, string errorId = ErrorIds.FlowValidationFailed)
    {
        foreach (var w in findings.Where(f => f.Severity == FindingSeverity.Warning))
            WriteWarning($"{w.Code}: {w.Message}");
        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
        if (errors.Count == 0) return;
        var message = $"Flow '{what}' {problem}; nothing was changed:{Environment.NewLine}" +
            string.Join(Environment.NewLine, errors.Select(e => $"  {e.Code}: {e.Message}"));
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidData, errors));
    }

    private void Render(ReplicationFlowDefinition flow)
    {
        var dir = GetUnresolvedProviderPathFromPSPath(OutputPath!);
        var what = IncludeSecretValue ? "Write manifests and a separate Secrets file (with secret values)" : "Write manifests (Secrets as placeholders)";
        if (!ShouldProcess(dir, $"{what} of replication flow '{flow.Name}'")) return;
        if (IncludeSecretValue)
            WriteWarning($"'{flow.Name}.secrets.yaml' holds credentials: keep it out of source control and delete it after use.");
        // Through the FileSystem provider, as Get-Item returns them: the default view's directory header and columns.
        foreach (var file in FlowRenderer.WriteFiles(flow, dir, IncludeSecretValue))
            WriteObject(InvokeProvider.Item.Get(new[] { file }, false, true), true);
    }

    private Engine.Strimzi.DetectedStrimzi? _strimzi;
    // Namespaces this run created: a later flow of the run (the other direction of a pair) shares them as co-owner.
    private readonly HashSet<string> _createdNamespaces = new(StringComparer.Ordinal);

    private void Apply(ReplicationFlowDefinition flow)
    {
        var kube = Session.Kube;
        // Render for the cluster's Strimzi unless told otherwise; refuse a release whose API the cluster does not serve.
        var strimzi = _strimzi ??= Run(ct => Engine.Strimzi.StrimziDetector.DetectAsync(kube, Log, ct));
        if (flow.StrimziVersion is null) flow = flow with { StrimziVersion = strimzi.Version };
        WriteVerbose($"Rendering flow '{flow.Name}' for Strimzi {flow.StrimziVersion} ({FlowManifestBuilder.VersionOf(flow).ApiVersion}).");
        Run(ct => StrimziPreflight.EnsureServedAsync(kube, Log, ct, FlowManifestBuilder.VersionOf(flow).ApiVersion));
        if (Engine.Strimzi.KafkaVersionCheck.Check(flow.KafkaVersion, strimzi, $"KafkaConnect {flow.Namespace}/{flow.ConnectClusterName}") is { } kafkaVersion)
            Refuse(flow.Name, "does not fit the cluster's Strimzi", new[] { kafkaVersion }, kafkaVersion.Code);
        var objects = FlowManifestBuilder.Build(flow);
        // Other flows between the same clusters (on other Connect clusters, or the other direction) must not collide with this one.
        var deployed = Run(ct => new LiveFlowReader(kube).ReadAllFlowsAsync(Log, ct));
        if (deployed is not null)
            Refuse(flow.Name, "conflicts with a deployed flow", FlowSetValidator.AgainstDeployed(objects, deployed), ErrorIds.FlowConflictsWithDeployedFlow);
        var deployment = new Engine.Flows.FlowDeployment(kube, Log);
        var plan = Run(ct => deployment.PlanAsync(flow.Name, objects, ct, adopt: Force));
        var applied = 0;
        var pending = plan.Count(p => p.Action != ManifestAction.Unchanged);
        foreach (var p in plan)
        {
            var target = p.Object.DisplayName;
            if (p.Action == ManifestAction.Unchanged)
            {
                if (p.Object.Kind == Kinds.Namespace && !IsWhatIf && _createdNamespaces.Contains(p.Object.Name))
                    Run(ct => deployment.ClaimNamespaceAsync(flow.Name, p.Object.Name, ct));
                if (IsWhatIf) ShouldProcess(target, p.Note is null ? "Unchanged" : $"Unchanged ({p.Note})");
                else WriteObject(FlowDeployment.ToChange(flow.Name, p));
                continue;
            }
            var action = p.Action switch
            {
                ManifestAction.Create => "Create",
                ManifestAction.Delete => $"Delete ({p.Note})",
                _ => $"Update ({string.Join(", ", p.ChangedPaths.Take(8))}{(p.ChangedPaths.Count > 8 ? ", ..." : "")})",
            };
            if (!ShouldProcess(target, action)) continue;
            try
            {
                WriteProgress(new ProgressRecord(3, $"Applying flow '{flow.Name}'", target) { PercentComplete = applied * 100 / Math.Max(1, pending) });
                WriteObject(Run(ct => deployment.ApplyAsync(flow.Name, p, ct)));
                applied++;
                if (p.Object.Kind == Kinds.Namespace && p.Action == ManifestAction.Create) _createdNamespaces.Add(p.Object.Name);
            }
            catch (ReplicationException e)
            {
                throw new ReplicationException(e.Kind, e.ErrorId,
                    $"{e.Message}{Environment.NewLine}Applied {applied} of {pending} changed objects of flow '{flow.Name}' before this failure. Run the same command again: every step is idempotent and completes the flow.",
                    e.Target, e) { RecommendedAction = "Fix the cause and run New-ReplicationFlow again with the same parameters." };
            }
        }
        WriteProgress(new ProgressRecord(3, $"Applying flow '{flow.Name}'", "done") { RecordType = ProgressRecordType.Completed });
    }
}
