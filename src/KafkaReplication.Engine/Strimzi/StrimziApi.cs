namespace KafkaReplication.Engine.Strimzi;

/// <summary>
/// The kafka.strimzi.io API versions in one place. 0.43-0.48 serve v1beta2; 0.49 and 0.50 serve v1 and v1beta2
/// (v1beta2 deprecated); from 1.0 the CRDs serve v1 only (packaging/install/cluster-operator/041-Crd-kafkaconnect.yaml
/// and 047-Crd-kafkaconnector.yaml in strimzi/strimzi-kafka-operator, spec.versions[].served of each release).
/// </summary>
public static class StrimziApi
{
    public const string Group = "kafka.strimzi.io";
    public const string V1Beta2 = Group + "/v1beta2";
    public const string V1 = Group + "/v1";

    /// <summary>True for any kafka.strimzi.io/&lt;version&gt;.</summary>
    public static bool IsStrimzi(string apiVersion) => apiVersion.StartsWith(Group + "/", StringComparison.Ordinal);

    /// <summary>The version part of a group/version string ("v1" of "kafka.strimzi.io/v1").</summary>
    public static string VersionOf(string apiVersion) => apiVersion[(apiVersion.IndexOf('/') + 1)..];

    /// <summary>The apiVersion to use where these versions are served: v1 before v1beta2; null when neither is.</summary>
    public static string? Preferred(IEnumerable<string> servedVersions)
    {
        var served = servedVersions.ToHashSet(StringComparer.Ordinal);
        return served.Contains("v1") ? V1 : served.Contains("v1beta2") ? V1Beta2 : null;
    }
}
