using System.Management.Automation;
using KafkaReplication.Engine.Kubernetes;

namespace KafkaReplication.Hosting;

/// <summary>A cmdlet that talks to a Kubernetes cluster: kubeconfig resolution like kubectl.</summary>
public abstract class KubernetesCmdlet : ReplicationCmdlet
{
    private KubeAccess? _access;

    /// <summary>Path of a kubeconfig file; default: KUBECONFIG, then ~/.kube/config, then in-cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>kubeconfig context to use instead of the current one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.KubeContextCompleter))]
    public string? Context { get; set; }

    /// <summary>The gateway; read it on the pipeline thread, before handing it to engine work.</summary>
    protected KubeGateway Kube => (_access ??= new KubeAccess(this)).Gateway(Kubeconfig, Context);

    protected string DefaultNamespace => (_access ??= new KubeAccess(this)).DefaultNamespace(Kubeconfig, Context);

    protected override void EndProcessing()
    {
        _access?.Dispose();
        _access = null;
        base.EndProcessing();
    }
}
