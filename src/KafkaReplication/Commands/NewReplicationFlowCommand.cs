using System.Management.Automation;
using KafkaReplication.Engine.FlowFiles;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using KafkaReplication.Engine.Workflows;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// <para type="synopsis">Deploys a replication flow (Kafka Connect cluster, ConfigMaps, Secrets, RBAC and the three MirrorMaker 2 connectors), or renders it to YAML.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "ReplicationFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParametersSet)]
[OutputType(typeof(ReplicationManifestChange), typeof(FileInfo), typeof(ReplicationFlowDefinition))]
public sealed class NewReplicationFlowCommand : KubernetesCmdlet
{
    private const string ParametersSet = "Parameters";
    private const string PathSet = "Path";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string Namespace { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    public ReplicationClusterReference Source { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    public ReplicationClusterReference Target { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Topics { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    public string[]? Groups { get; set; }

    [Parameter(ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ConnectClusterName { get; set; }

    [Parameter(ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    public ReplicationPolicy ReplicationPolicy { get; set; } = ReplicationPolicy.Default;

    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter NoHeartbeat { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter NoCheckpoint { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateRange(1, 1000)]
    public int TasksMax { get; set; } = 3;

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateRange(1, 100)]
    public int ConnectReplicas { get; set; } = 3;

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string? KafkaVersion { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string? RegistrySecretName { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string? RegistryServer { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [Credential]
    public PSCredential? RegistryCredential { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    public NewPartitionStart NewPartitionStart { get; set; } = NewPartitionStart.Earliest;

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateRange(1, 86400)]
    public int? EmitCheckpointsIntervalSeconds { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateRange(1, 86400)]
    public int? SyncGroupOffsetsIntervalSeconds { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Render YAML into this folder instead of applying to a cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary>With -OutputPath: write the Secrets with their values into a separate &lt;flow&gt;.secrets.yaml.</summary>
    [Parameter]
    public SwitchParameter IncludeSecretValue { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = BuildDefinition();
        var findings = FlowValidator.Validate(flow);
        foreach (var w in findings.Where(f => f.Severity == FindingSeverity.Warning))
            WriteWarning($"{w.Code}: {w.Message}");
        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var message = $"Flow '{flow.Name}' is not valid; nothing was changed:{Environment.NewLine}" +
                string.Join(Environment.NewLine, errors.Select(e => $"  {e.Code}: {e.Message}"));
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), "FlowValidationFailed", ErrorCategory.InvalidData, errors));
        }

        if (IncludeSecretValue && OutputPath is null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-IncludeSecretValue goes with -OutputPath."), "IncludeSecretValueWithoutOutputPath", ErrorCategory.InvalidArgument, null));

        if (OutputPath is not null) Render(flow);
        else Apply(flow);

        if (PassThru) WriteObject(flow);
    });

    private ReplicationFlowDefinition BuildDefinition()
    {
        if (ParameterSetName == PathSet)
            return FlowFileReader.Read(GetUnresolvedProviderPathFromPSPath(Path));
        var (registryUser, registryPassword) = Secrets.From(RegistryCredential, "registry credential");
        return new ReplicationFlowDefinition
        {
            Name = Name,
            Namespace = Namespace,
            Source = Source,
            Target = Target,
            Topics = FlowDefinitionFactory.SplitList(Topics),
            Groups = FlowDefinitionFactory.SplitList(Groups),
            ConnectClusterName = ConnectClusterName ?? FlowDefinitionFactory.DefaultConnectClusterName(Source.Alias, Target.Alias),
            ReplicationPolicy = ReplicationPolicy,
            Heartbeat = !NoHeartbeat,
            Checkpoint = !NoCheckpoint,
            TasksMax = TasksMax,
            ConnectReplicas = ConnectReplicas,
            KafkaVersion = KafkaVersion,
            RegistrySecretName = RegistrySecretName,
            RegistryServer = RegistryServer,
            RegistryUserName = registryUser,
            RegistryPassword = registryPassword,
            NewPartitionStart = NewPartitionStart,
            EmitCheckpointsIntervalSeconds = EmitCheckpointsIntervalSeconds,
            SyncGroupOffsetsIntervalSeconds = SyncGroupOffsetsIntervalSeconds,
        };
    }

    private void Render(ReplicationFlowDefinition flow)
    {
        var dir = GetUnresolvedProviderPathFromPSPath(OutputPath!);
        var what = IncludeSecretValue ? "Write manifests and a separate Secrets file (with secret values)" : "Write manifests (Secrets as placeholders)";
        if (!ShouldProcess(dir, $"{what} of replication flow '{flow.Name}'")) return;
        if (IncludeSecretValue)
            WriteWarning($"'{flow.Name}.secrets.yaml' holds credentials: keep it out of source control and delete it after use.");
        foreach (var file in FlowRenderer.WriteFiles(flow, dir, IncludeSecretValue))
            WriteObject(new FileInfo(file));
    }

    private void Apply(ReplicationFlowDefinition flow)
    {
        var objects = FlowManifestBuilder.Build(flow);
        var deployment = new Engine.Workflows.FlowDeployment(Kube, Log);
        var plan = Run(ct => deployment.PlanAsync(flow.Name, objects, ct));
        var applied = 0;
        var pending = plan.Count(p => p.Action != ManifestAction.Unchanged);
        foreach (var p in plan)
        {
            var target = p.Object.DisplayName;
            if (p.Action == ManifestAction.Unchanged)
            {
                if (IsWhatIf) ShouldProcess(target, p.Note is null ? "Unchanged" : $"Unchanged ({p.Note})");
                else WriteObject(FlowDeployment.ToChange(flow.Name, p, whatIf: false));
                continue;
            }
            var action = p.Action == ManifestAction.Create ? "Create" : $"Update ({string.Join(", ", p.ChangedPaths.Take(8))}{(p.ChangedPaths.Count > 8 ? ", ..." : "")})";
            if (!ShouldProcess(target, action)) continue;
            try
            {
                WriteProgress(new ProgressRecord(3, $"Applying flow '{flow.Name}'", target) { PercentComplete = applied * 100 / Math.Max(1, pending) });
                WriteObject(Run(ct => deployment.ApplyAsync(flow.Name, p, ct)));
                applied++;
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
