namespace KafkaReplication.Engine.Manifests;

/// <summary>
/// Config-provider placeholders that connectors resolve at run time (Strimzi's KubernetesConfigMapConfigProvider and
/// KubernetesSecretConfigProvider, Kafka's FileConfigProvider). Syntax: strimzi/kafka-kubernetes-config-provider README.
/// </summary>
public static class ConfigRef
{
    /// <summary>The worker properties file Strimzi writes in every Connect pod (bootstrap and security of the target).</summary>
    public const string WorkerPropertiesFile = "/tmp/strimzi-connect.properties";

    public static string ConfigMap(string ns, string name, string key) => $"${{cfmap:{ns}/{name}:{key}}}";
    public static string Secret(string ns, string name, string key) => $"${{secret:{ns}/{name}:{key}}}";
    public static string WorkerFile(string key) => $"${{file:{WorkerPropertiesFile}:{key}}}";
}
