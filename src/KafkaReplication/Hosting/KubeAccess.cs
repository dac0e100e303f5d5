using KafkaReplication.Engine;
using KafkaReplication.Engine.Kubernetes;

namespace KafkaReplication.Hosting;

/// <summary>
/// Resolves and holds the Kubernetes connection of one cmdlet invocation. Must be first touched on the pipeline
/// thread (path resolution needs the session state); engine work receives the gateway itself.
/// </summary>
internal sealed class KubeAccess : IDisposable
{
    private readonly ReplicationCmdlet _cmdlet;
    private KubeGateway? _gateway;
    private string? _namespace;

    public KubeAccess(ReplicationCmdlet cmdlet) => _cmdlet = cmdlet;

    public KubeGateway Gateway(string? kubeconfig, string? context)
    {
        if (_gateway is not null) return _gateway;
        var path = kubeconfig is null ? null : _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(kubeconfig);
        var config = KubeConnection.ResolveConfiguration(path, context);
        _namespace = config.Namespace;
        ((IOperationLog)_cmdlet).Verbose($"Kubernetes API server {config.Host}{(context is null ? "" : $" (context '{context}')")}");
        return _gateway = KubeGateway.FromConfiguration(config, _cmdlet);
    }

    /// <summary>The namespace of the kubeconfig context, else "default" (as kubectl).</summary>
    public string DefaultNamespace(string? kubeconfig, string? context)
    {
        _ = Gateway(kubeconfig, context);
        return string.IsNullOrEmpty(_namespace) ? "default" : _namespace!;
    }

    public void Dispose()
    {
        _gateway?.Dispose();
        _gateway = null;
    }
}
