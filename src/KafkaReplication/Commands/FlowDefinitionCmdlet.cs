using System.Management.Automation;
using KafkaReplication.Engine;
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

    /// <summary>Required unless -SourceConnectors gives the topics per connector (validation TopicsRequired).</summary>
    [Parameter(ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
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

    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter ExactlyOnce { get; set; }

    /// <summary>Export the Connect and MirrorMaker metrics to Prometheus (the guide's "Replication monitoring").</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter Metrics { get; set; }

    [Parameter(ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Transform")]
    public ReplicationTransform[]? Transforms { get; set; }

    [Parameter(ParameterSetName = ParametersSet, ValueFromPipelineByPropertyName = true)]
    [Alias("SourceConnector")]
    public SourceConnectorDefinition[]? SourceConnectors { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string? ConnectCpuRequest { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string? ConnectMemoryRequest { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string? ConnectCpuLimit { get; set; }

    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string? ConnectMemoryLimit { get; set; }

    /// <summary>Two prefixless flows, A→B and B→A, with the guide's loop filter (see BidirectionalFlows).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    public SwitchParameter Bidirectional { get; set; }

    /// <summary>With -Bidirectional: the name of the B→A flow (default &lt;target alias&gt;-to-&lt;source alias&gt;).</summary>
    [Parameter(ParameterSetName = ParametersSet)]
    [ValidateNotNullOrEmpty]
    public string? ReverseName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The flows the parameters or the flow file describe: one, or two with -Bidirectional.</summary>
    protected IReadOnlyList<ReplicationFlowDefinition> BuildDefinitions(bool resolveSecrets = true)
    {
        if (ParameterSetName == PathSet)
            return FlowFileReader.ReadAll(GetUnresolvedProviderPathFromPSPath(Path), resolveSecrets: resolveSecrets);
        var flow = BuildDefinition();
        if (!Bidirectional)
        {
            if (ReverseName is not null)
                throw ReplicationException.Invalid(ErrorIds.ReverseNameWithoutBidirectional, "-ReverseName goes with -Bidirectional.", ReverseName);
            return new[] { flow };
        }
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ReplicationPolicy)) && ReplicationPolicy != ReplicationPolicy.Identity)
            throw ReplicationException.Invalid(ErrorIds.BidirectionalRequiresIdentity,
                "-Bidirectional deploys the guide's prefixless setup (IdentityReplicationPolicy with a loop filter); with the Default policy deploy two ordinary flows instead.", Name);
        return BidirectionalFlows.Create(flow, ReverseName);
    }

    private ReplicationFlowDefinition BuildDefinition()
    {
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
            ExactlyOnce = ExactlyOnce,
            Metrics = Metrics,
            Transforms = Transforms ?? Array.Empty<ReplicationTransform>(),
            SourceConnectors = SourceConnectors ?? Array.Empty<SourceConnectorDefinition>(),
            ConnectResources = (ConnectCpuRequest ?? ConnectMemoryRequest ?? ConnectCpuLimit ?? ConnectMemoryLimit) is null ? null : new ConnectResources
            {
                CpuRequest = ConnectCpuRequest,
                MemoryRequest = ConnectMemoryRequest,
                CpuLimit = ConnectCpuLimit,
                MemoryLimit = ConnectMemoryLimit,
            },
        };
    }

}
