using System.Text.RegularExpressions;

namespace KafkaReplication.Engine.Validation;

/// <summary>Kubernetes name rules (DNS-1123 label: lower-case alphanumerics and '-', 63 characters at most).</summary>
public static partial class KubernetesNames
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    /// <summary>DNS-1123 subdomain: what most object names (Secrets, ConfigMaps) must be; 253 characters at most.</summary>
    public static bool IsDnsSubdomain(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 253 && Dns1123Subdomain().IsMatch(name);

    public static bool IsDnsLabel(string? name, int maxLength = 63) =>
        !string.IsNullOrEmpty(name) && name.Length <= maxLength && Dns1123Label().IsMatch(name);
}
