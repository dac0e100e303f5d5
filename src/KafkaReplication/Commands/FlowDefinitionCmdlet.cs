using System.Management.Automation;
using KafkaReplication.Engine.FlowFiles;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// The parameters that describe a flow (shared by New-ReplicationFlowDefinition and New-ReplicationFlow), and the
/// one place that turns them, or a flow file, into a <see cref="ReplicationFlowDefinition"/>.
/// </summary>
public abstract class FlowDefinitionCmdlet : ReplicationCmdlet
{
    protected const string ParametersSet = "Parameters";
    protected const string PathSet = "Path";

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

    protected ReplicationFlowDefinition BuildDefinition(bool resolveSecrets = true)
    {
        if (ParameterSetName == PathSet)
            return FlowFileReader.Read(GetUnresolvedProviderPathFromPSPath(Path), resolveSecrets: resolveSecrets);
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

}
