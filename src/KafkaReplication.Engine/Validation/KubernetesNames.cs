using System.Text.RegularExpressions;

namespace KafkaReplication.Engine.Validation;

/// <summary>Kubernetes name rules (DNS-1123 label: lower-case alphanumerics and '-', 63 characters at most).</summary>
public static partial class KubernetesNames
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    public static bool IsDnsLabel(string? name, int maxLength = 63) =>
        !string.IsNullOrEmpty(name) && name.Length <= maxLength && Dns1123Label().IsMatch(name);
}
