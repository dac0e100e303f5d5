using System.Management.Automation;
using KafkaReplication.Engine.Kubernetes;

namespace KafkaReplication.Hosting;

/// <summary>A cmdlet that talks to a Kubernetes cluster: kubeconfig resolution like kubectl.</summary>
public abstract class KubernetesCmdlet : ReplicationCmdlet
{
    /// <summary>Path of a kubeconfig file; default: KUBECONFIG, then ~/.kube/config, then in-cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>kubeconfig context to use instead of the current one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.KubeContextCompleter))]
    public string? Context { get; set; }

    private KubeGateway? _gateway;
    private string? _defaultNamespace;

    protected KubeGateway Kube
    {
        get
        {
            if (_gateway is null)
            {
                var path = Kubeconfig is null ? null : GetUnresolvedProviderPathFromPSPath(Kubeconfig);
                var config = KubeConnection.ResolveConfiguration(path, Context);
                _defaultNamespace = config.Namespace;
                WriteVerbose($"Kubernetes API server {config.Host}{(Context is null ? "" : $" (context '{Context}')")}");
                _gateway = new KubeGateway(new k8s.Kubernetes(config), Log);
            }
            return _gateway;
        }
    }

    /// <summary>The namespace of the kubeconfig context, else "default" (as kubectl).</summary>
    protected string DefaultNamespace
    {
        get
        {
            _ = Kube;
            return string.IsNullOrEmpty(_defaultNamespace) ? "default" : _defaultNamespace!;
        }
    }

    protected override void EndProcessing()
    {
        _gateway?.Dispose();
        _gateway = null;
        base.EndProcessing();
    }
}
