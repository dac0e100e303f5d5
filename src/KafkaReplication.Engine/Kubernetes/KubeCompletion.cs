using KafkaReplication.Engine.Flows;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// What tab completion reads from the kubeconfig and the cluster. Here, not in the cmdlet assembly: that assembly
/// loads into PowerShell's default AssemblyLoadContext and must reference no dependency (KubernetesClient,
/// YamlDotNet) that another module could have loaded there in another version; see KafkaReplication.Loader.
/// </summary>
public static class KubeCompletion
{
    /// <summary>The context names of the kubeconfig files kubectl would read (a refused file throws).</summary>
    public static IReadOnlyList<string> ContextNames(string? kubeconfig)
    {
        var files = KubeConnection.KubeconfigFiles(kubeconfig);
        // A kubeconfig the module refuses (alias bomb, too large) throws here.
        foreach (var f in files) KubeConnection.Guard(f);
        return files
            .SelectMany(f => k8s.KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f), false).Contexts ?? [])
            .Select(c => c.Name)
            .Distinct()
            .ToList();
    }

    /// <summary>The namespaces of the cluster.</summary>
    public static IReadOnlyList<string> NamespaceNames(string? kubeconfig, string? context, CancellationToken ct)
    {
        var config = KubeConnection.ResolveConfiguration(kubeconfig, context);
        using var client = new k8s.Kubernetes(config);
        var list = k8s.CoreV1OperationsExtensions.ListNamespaceAsync(client.CoreV1, cancellationToken: ct).GetAwaiter().GetResult();
        return list.Items.Select(n => n.Metadata.Name).ToList();
    }

    /// <summary>The names of the flows deployed in a namespace (all namespaces when null).</summary>
    public static IReadOnlyList<string> FlowNames(string? kubeconfig, string? context, string? ns, CancellationToken ct)
    {
        var config = KubeConnection.ResolveConfiguration(kubeconfig, context);
        using var kube = new KubeGateway(new k8s.Kubernetes(config), NullOperationLog.Instance);
        var flows = new FlowInventory(kube, NullOperationLog.Instance).GetFlowsAsync(ns, null, ct).GetAwaiter().GetResult();
        return flows.Select(f => f.Name).Distinct().ToList();
    }

    /// <summary>The flow's name as deployed and the group ids its checkpoint connector names.</summary>
    public static (string Flow, IReadOnlyList<string> Groups) CheckpointGroups(string? kubeconfig, string? context, string? ns, string flowName, CancellationToken ct)
    {
        var config = KubeConnection.ResolveConfiguration(kubeconfig, context);
        using var kube = new KubeGateway(new k8s.Kubernetes(config), NullOperationLog.Instance);
        var flow = FlowHandle.ResolveAsync(kube, ns ?? config.Namespace ?? "default", flowName, ct).GetAwaiter().GetResult();
        return (flow.Name, flow.CheckpointGroupNames.ToList());
    }
}
