using System.Text;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Flows;

/// <summary>
/// Writes a flow's manifests as multi-document YAML, with no cluster. Secret values go only into a separate
/// file, and only when asked; by default Secrets carry placeholders and the header says how to fill them.
/// </summary>
public static class FlowRenderer
{
    public static IReadOnlyList<string> WriteFiles(ReplicationFlowDefinition flow, string directory, bool includeSecretValues)
    {
        Directory.CreateDirectory(directory);
        var objects = FlowManifestBuilder.Build(flow);
        var written = new List<string>();
        var main = Path.Combine(directory, $"{flow.Name}.yaml");
        if (includeSecretValues)
        {
            var secretObjects = objects.Where(o => o.SecretKeys.Count > 0).ToList();
            var rest = objects.Where(o => o.SecretKeys.Count == 0).ToList();
            var secretsFile = Path.Combine(directory, $"{flow.Name}.secrets.yaml");
            File.WriteAllText(main, ManifestYaml.Render(rest, SecretRendering.Placeholders, Header(flow, secretObjects, Path.GetFileName(secretsFile))));
            written.Add(main);
            WriteRestricted(secretsFile, ManifestYaml.Render(secretObjects, SecretRendering.Values,
                $"Secrets of replication flow '{flow.Name}'. This file holds credentials: keep it out of source control and delete it after use."));
            written.Add(secretsFile);
        }
        else
        {
            File.WriteAllText(main, ManifestYaml.Render(objects, SecretRendering.Placeholders, Header(flow, objects.Where(o => o.SecretKeys.Count > 0).ToList(), null)));
            written.Add(main);
        }
        return written;
    }

    private static string Header(ReplicationFlowDefinition flow, IReadOnlyList<ManifestObject> secrets, string? secretsFile)
    {
        var sb = new StringBuilder();
        sb.Append($"Replication flow '{flow.Name}': {flow.Source.Alias} -> {flow.Target.Alias} on Kafka Connect '{flow.ConnectClusterName}' in namespace '{flow.Namespace}'.\n");
        sb.Append("Rendered by the KafkaReplication module. Apply with: kubectl apply --server-side --field-manager=KafkaReplication -f <this file>\n");
        if (secrets.Count == 0) return sb.ToString().TrimEnd();
        if (secretsFile is not null)
        {
            sb.Append($"The Secrets ({string.Join(", ", secrets.Select(s => s.Name))}) are in '{secretsFile}'; apply that file first.");
            return sb.ToString();
        }
        sb.Append("Secret values are NOT in this file. Before applying, replace every '<FILL IN: ...>' value under stringData,\n");
        sb.Append("or create the Secrets yourself and delete them from this file:\n");
        foreach (var s in secrets)
        {
            if ((string?)s.Body["type"] == "kubernetes.io/dockerconfigjson")
            {
                sb.Append($"  kubectl create secret docker-registry {s.Name} --namespace {s.Namespace} --docker-server=... --docker-username=... --docker-password=...\n");
                continue;
            }
            var keys = string.Join(" ", s.SecretKeys.Keys.Select(k => $"--from-literal={k}=..."));
            var files = s.Body["data"] is JsonObject d && d.Count > 0 ? $" --from-file=<the files for {string.Join(", ", d.Select(kv => kv.Key))}>" : "";
            sb.Append($"  kubectl create secret generic {s.Name} --namespace {s.Namespace} {keys}{files}\n");
        }
        sb.Append("Or run New-ReplicationFlow against the cluster, or with -OutputPath -IncludeSecretValue to write them to a separate file.");
        return sb.ToString();
    }

    private static void WriteRestricted(string path, string content)
    {
        if (File.Exists(path)) File.Delete(path);
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(path, content);
            return;
        }
        // Owner-only from the first byte, so no other user can read the credentials even briefly.
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
