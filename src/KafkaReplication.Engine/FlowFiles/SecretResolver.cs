using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.FlowFiles;

/// <summary>
/// Resolves a flow file's secret references, { env: NAME } or { file: path }. Inline values are refused so that a
/// flow file can live in source control. Without resolution (validation only) a reference becomes a stand-in value.
/// </summary>
internal sealed class SecretResolver(Func<string, string?> environment, string baseDirectory, string flowFile, bool resolve)
{
    public string BaseDirectory => baseDirectory;

    public SecretValue Resolve(object node, string key)
    {
        if (node is not IDictionary<object, object> map)
            throw ReplicationException.Invalid("InlineSecretNotAllowed",
                $"Flow file '{flowFile}': '{key}' must be a reference ({{ env: VARIABLE }} or {{ file: path }}), not an inline value, so the file can be kept in source control.", flowFile);
        if (map.TryGetValue("env", out var e) && e is string variable)
        {
            if (!resolve) return new SecretValue($"unresolved:{variable}") { Origin = $"env:{variable}" };
            var value = environment(variable);
            if (string.IsNullOrEmpty(value))
                throw ReplicationException.Invalid("SecretEnvironmentVariableMissing", $"Flow file '{flowFile}': '{key}' reads environment variable '{variable}', which is not set.", variable);
            return new SecretValue(value) { Origin = $"env:{variable}" };
        }
        if (map.TryGetValue("file", out var fileObj) && fileObj is string file)
        {
            var full = Path.IsPathRooted(file) ? file : Path.Combine(baseDirectory, file);
            if (!resolve) return new SecretValue($"unresolved:{full}") { Origin = $"file:{full}" };
            try
            {
                return new SecretValue(File.ReadAllText(full).TrimEnd('\r', '\n')) { Origin = $"file:{full}" };
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ReplicationException(ReplicationErrorKind.NotFound, "SecretFileNotFound", $"Flow file '{flowFile}': '{key}' reads '{full}': {ex.Message}", full, ex);
            }
        }
        throw ReplicationException.Invalid("InvalidSecretReference", $"Flow file '{flowFile}': '{key}' must be {{ env: VARIABLE }} or {{ file: path }}.", flowFile);
    }
}
