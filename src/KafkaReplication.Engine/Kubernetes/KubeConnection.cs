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
                Guard(kubeconfigPath);
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, currentContext: context);
            }
            var files = KubeconfigFiles(null);
            foreach (var f in files) Guard(f);
            if (files.Count == 1)
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(files[0], currentContext: context);
            if (files.Count > 1)
                return KubernetesClientConfiguration.BuildConfigFromConfigObject(Merge(files.Select(f => new FileInfo(f)).ToArray()), currentContext: context);
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

    /// <summary>
    /// The kubeconfig files kubectl would read, existing ones only: the explicit path, else the KUBECONFIG list, else
    /// ~/.kube/config. Empty: no kubeconfig (in-cluster or nothing).
    /// </summary>
    public static IReadOnlyList<string> KubeconfigFiles(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return File.Exists(explicitPath) ? new[] { explicitPath } : Array.Empty<string>();
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(env))
        {
            var listed = env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToList();
            if (listed.Count > 0) return listed;
        }
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? new[] { home } : Array.Empty<string>();
    }

    /// <summary>kubectl's merge rule for KUBECONFIG lists: the first file that sets a value or names an entry wins.</summary>
    private static k8s.KubeConfigModels.K8SConfiguration Merge(FileInfo[] files)
    {
        foreach (var f in files) Guard(f.FullName);
        var configs = files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(f, true)).ToList();
        var merged = configs[0];
        merged.CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        merged.Contexts = configs.SelectMany(c => c.Contexts ?? []).DistinctBy(c => c.Name).ToList();
        merged.Clusters = configs.SelectMany(c => c.Clusters ?? []).DistinctBy(c => c.Name).ToList();
        merged.Users = configs.SelectMany(c => c.Users ?? []).DistinctBy(c => c.Name).ToList();
        return merged;
    }

    /// <summary>
    /// Refuses a kubeconfig that is too large, too deep or an alias bomb before KubernetesClient's YAML loader (which
    /// expands aliases) sees it. The file is read again by the loader: it keeps resolving relative certificate paths
    /// against the file's folder.
    /// </summary>
    public static void Guard(string path)
    {
        try
        {
            Yaml.GuardedYaml.ReadFile(path, "kubeconfig");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReplicationException(ReplicationErrorKind.InvalidArgument, "KubeconfigInvalid", $"Cannot read the kubeconfig '{path}': {e.Message}", path, e);
        }
    }

    /// <summary>A client whose own HttpClient timeout backs up the per-request limit (KubernetesClient's default is 100 s).</summary>
    public static IKubernetes Connect(string? kubeconfigPath = null, string? context = null, RequestLimits? limits = null)
    {
        var config = ResolveConfiguration(kubeconfigPath, context);
        config.HttpClientTimeout = (limits ?? RequestLimits.Default).Request + TimeSpan.FromSeconds(5);
        return new k8s.Kubernetes(config);
    }
}
