using System.Text;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>A kubeconfig with one cluster, user and context pointing at the emulator (plain http, token auth).</summary>
internal static class Kubeconfig
{
    public const string Token = "emulator-token";

    public static string Write(Uri server, string directory, string contextName, string? defaultNamespace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contextName);
        Directory.CreateDirectory(directory);
        var name = Quote(contextName);
        var yaml = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {name}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {Quote(server.GetLeftPart(UriPartial.Authority))}")
            .AppendLine("users:")
            .AppendLine($"- name: {name}")
            .AppendLine("  user:")
            .AppendLine($"    token: {Quote(Token)}")
            .AppendLine("contexts:")
            .AppendLine($"- name: {name}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {name}")
            .AppendLine($"    user: {name}");
        if (!string.IsNullOrEmpty(defaultNamespace))
        {
            yaml.AppendLine($"    namespace: {Quote(defaultNamespace)}");
        }

        yaml.AppendLine($"current-context: {name}");

        var fileName = string.Concat(contextName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        var path = Path.Combine(directory, $"kubeconfig-{fileName}.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    // Double-quoted YAML scalars: safe for any name (colons, spaces, leading symbols).
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
