using k8s;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// Resolves cluster access the way kubectl does: an explicit kubeconfig path, else the files in KUBECONFIG
/// (merged, path-separator separated), else ~/.kube/config, else the in-cluster service account; then the
/// context named by -Context or the kubeconfig's current context.
/// </summary>
public static class KubeConnection
{
    public static KubernetesClientConfiguration ResolveConfiguration(string? kubeconfigPath = null, string? context = null)
    {
        try
        {
            if (!string.IsNullOrEmpty(kubeconfigPath))
            {
                if (!File.Exists(kubeconfigPath))
                    throw new ReplicationException(ReplicationErrorKind.NotFound, "KubeconfigNotFound", $"Kubeconfig '{kubeconfigPath}' does not exist.", kubeconfigPath);
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, currentContext: context);
            }
            var env = Environment.GetEnvironmentVariable("KUBECONFIG");
            if (!string.IsNullOrWhiteSpace(env))
            {
                var files = env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                    .Where(File.Exists).Select(p => new FileInfo(p)).ToArray();
                if (files.Length > 0)
                    return KubernetesClientConfiguration.BuildConfigFromConfigObject(Merge(files), currentContext: context);
            }
            var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
            if (File.Exists(home))
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(home, currentContext: context);
            if (KubernetesClientConfiguration.IsInCluster())
            {
                if (context is not null)
                    throw ReplicationException.Invalid("ContextWithoutKubeconfig", $"-Context '{context}' was given, but there is no kubeconfig (running in-cluster).", context);
                return KubernetesClientConfiguration.InClusterConfig();
            }
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            throw new ReplicationException(ReplicationErrorKind.InvalidArgument, "KubeconfigInvalid", $"Cannot use the kubeconfig: {e.Message}", context, e);
        }
        catch (Exception e) when (e is not ReplicationException and not OperationCanceledException)
        {
            // Not YAML, bad base64 certificate data, unreadable file...: the parser's message says where, never the
            // file's secrets, and the exception is not kept (its data could).
            throw new ReplicationException(ReplicationErrorKind.InvalidArgument, "KubeconfigInvalid",
                $"Cannot use the kubeconfig{(kubeconfigPath is null ? "" : $" '{kubeconfigPath}'")}: {e.GetType().Name}: {e.Message}", kubeconfigPath ?? context);
        }
        throw new ReplicationException(ReplicationErrorKind.NotFound, "KubeconfigNotFound",
            "No Kubernetes configuration found: set KUBECONFIG, create ~/.kube/config, give -Kubeconfig, or run inside a cluster.")
        {
            RecommendedAction = "Point KUBECONFIG at a kubeconfig file, or use -OutputPath to render manifests without a cluster.",
        };
    }

    /// <summary>kubectl's merge rule for KUBECONFIG lists: the first file that sets a value or names an entry wins.</summary>
    private static k8s.KubeConfigModels.K8SConfiguration Merge(FileInfo[] files)
    {
        var configs = files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(f, true)).ToList();
        var merged = configs[0];
        merged.CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        merged.Contexts = configs.SelectMany(c => c.Contexts ?? []).DistinctBy(c => c.Name).ToList();
        merged.Clusters = configs.SelectMany(c => c.Clusters ?? []).DistinctBy(c => c.Name).ToList();
        merged.Users = configs.SelectMany(c => c.Users ?? []).DistinctBy(c => c.Name).ToList();
        return merged;
    }

    /// <summary>A client whose own HttpClient timeout backs up the per-request limit (KubernetesClient's default is 100 s).</summary>
    public static IKubernetes Connect(string? kubeconfigPath = null, string? context = null, RequestLimits? limits = null)
    {
        var config = ResolveConfiguration(kubeconfigPath, context);
        config.HttpClientTimeout = (limits ?? RequestLimits.Default).Request + TimeSpan.FromSeconds(5);
        return new k8s.Kubernetes(config);
    }
}
