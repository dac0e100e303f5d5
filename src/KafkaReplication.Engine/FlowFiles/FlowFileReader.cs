using KafkaReplication.Engine.Model;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KafkaReplication.Engine.FlowFiles;

/// <summary>
/// Reads a flow file (schema: docs/flow-file.md). Secrets in the file are references ({ env: NAME } or
/// { file: path }), never inline values; relative paths are relative to the flow file.
/// </summary>
public static class FlowFileReader
{
    /// <param name="resolveSecrets">False reads secret references without their values (validation needs none), so a flow
    /// file can be checked where the secrets are not available.</param>
    public static ReplicationFlowDefinition Read(string path, Func<string, string?>? environment = null, bool resolveSecrets = true)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReplicationException(e is FileNotFoundException or DirectoryNotFoundException ? ReplicationErrorKind.NotFound : ReplicationErrorKind.InvalidArgument,
                "FlowFileNotFound", $"Cannot read flow file '{path}': {e.Message}", path, e);
        }
        FlowFile dto;
        try
        {
            dto = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<FlowFile>(text)
                ?? throw ReplicationException.Invalid("FlowFileEmpty", $"Flow file '{path}' is empty.", path);
        }
        catch (YamlException e)
        {
            // YamlDotNet names its own types; say it in the file's terms instead.
            var unknown = System.Text.RegularExpressions.Regex.Match(e.Message, "Property '([^']+)' not found on type");
            var detail = unknown.Success ? $"unknown key '{unknown.Groups[1].Value}' (see docs/flow-file.md)"
                : e.InnerException is InvalidCastException or FormatException ? "a value has the wrong type (see docs/flow-file.md)"
                : e.InnerException?.Message ?? e.Message;
            throw ReplicationException.Invalid("FlowFileInvalid", $"Flow file '{path}' line {e.Start.Line}: {detail}", path);
        }
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return ToDefinition(dto, new SecretResolver(environment ?? Environment.GetEnvironmentVariable, baseDir, path, resolveSecrets), path);
    }

    private static ReplicationFlowDefinition ToDefinition(FlowFile f, SecretResolver secrets, string path)
    {
        string Required(string? value, string key) => string.IsNullOrWhiteSpace(value)
            ? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': '{key}' is required.", path)
            : value;
        var source = Cluster(f.Source ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': 'source' is required.", path), "source", secrets, path);
        var target = Cluster(f.Target ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': 'target' is required.", path), "target", secrets, path);
        SecretValue? registryPassword = f.Registry?.Password is null ? null : secrets.Resolve(f.Registry.Password, "registry.password");
        return new ReplicationFlowDefinition
        {
            Name = Required(f.Name, "name"),
            Namespace = Required(f.Namespace, "namespace"),
            Source = source,
            Target = target,
            Topics = FlowDefinitionFactory.SplitList(StringList(f.Topics, "topics", path)),
            Groups = FlowDefinitionFactory.SplitList(StringList(f.Groups, "groups", path)),
            ConnectClusterName = f.ConnectClusterName ?? FlowDefinitionFactory.DefaultConnectClusterName(source.Alias, target.Alias),
            ReplicationPolicy = Parse(f.ReplicationPolicy, ReplicationPolicy.Default, "replicationPolicy", path),
            Heartbeat = f.Heartbeat ?? true,
            Checkpoint = f.Checkpoint ?? true,
            TasksMax = f.TasksMax ?? 3,
            ConnectReplicas = f.ConnectReplicas ?? 3,
            KafkaVersion = f.KafkaVersion,
            RegistrySecretName = f.Registry?.SecretName,
            RegistryServer = f.Registry?.Server,
            RegistryUserName = f.Registry?.UserName,
            RegistryPassword = registryPassword,
            NewPartitionStart = Parse(f.NewPartitionStart, NewPartitionStart.Earliest, "newPartitionStart", path),
            EmitCheckpointsIntervalSeconds = f.EmitCheckpointsIntervalSeconds,
            SyncGroupOffsetsIntervalSeconds = f.SyncGroupOffsetsIntervalSeconds,
        };
    }

    /// <summary>A key that may be one string ("a,b" or "a") or a list of strings.</summary>
    private static IEnumerable<string> StringList(object? node, string key, string path) => node switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        IEnumerable<object> list when list.All(x => x is string) => list.Cast<string>(),
        _ => throw ReplicationException.Invalid("FlowFileInvalidValue", $"Flow file '{path}': '{key}' must be a string or a list of strings.", path),
    };

    private static T Parse<T>(string? value, T fallback, string key, string path) where T : struct, Enum =>
        value is null ? fallback
        : Enum.TryParse<T>(value, ignoreCase: true, out var r) && Enum.IsDefined(r) ? r
        : throw ReplicationException.Invalid("FlowFileInvalidValue", $"Flow file '{path}': '{key}' must be one of {string.Join(", ", Enum.GetNames<T>())} (got '{value}').", path);

    private static ReplicationClusterReference Cluster(ClusterFile c, string key, SecretResolver secrets, string path)
    {
        string? Rooted(string? p) => p is null ? null : Path.IsPathRooted(p) ? p : Path.Combine(secrets.BaseDirectory, p);
        return ClusterReferenceFactory.Create(new ClusterReferenceFactory.Input
        {
            Alias = c.Alias ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': '{key}.alias' is required.", path),
            BootstrapServers = c.BootstrapServers ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': '{key}.bootstrapServers' is required.", path),
            SecurityProtocol = Parse(c.SecurityProtocol, SecurityProtocol.Plaintext, $"{key}.securityProtocol", path),
            SaslMechanism = c.SaslMechanism is null ? null : Parse(c.SaslMechanism, SaslMechanism.Plain, $"{key}.saslMechanism", path),
            UserName = c.UserName,
            Password = c.Password is null ? null : secrets.Resolve(c.Password, $"{key}.password"),
            CaCertificatePath = Rooted(c.CaCertificatePath),
            TruststorePath = Rooted(c.TruststorePath),
            TruststorePassword = c.TruststorePassword is null ? null : secrets.Resolve(c.TruststorePassword, $"{key}.truststorePassword"),
        });
    }

    private sealed class FlowFile
    {
        public string? Name { get; set; }
        public string? Namespace { get; set; }
        public ClusterFile? Source { get; set; }
        public ClusterFile? Target { get; set; }
        public object? Topics { get; set; }
        public object? Groups { get; set; }
        public string? ConnectClusterName { get; set; }
        public string? ReplicationPolicy { get; set; }
        public bool? Heartbeat { get; set; }
        public bool? Checkpoint { get; set; }
        public int? TasksMax { get; set; }
        public int? ConnectReplicas { get; set; }
        public string? KafkaVersion { get; set; }
        public RegistryFile? Registry { get; set; }
        public string? NewPartitionStart { get; set; }
        public int? EmitCheckpointsIntervalSeconds { get; set; }
        public int? SyncGroupOffsetsIntervalSeconds { get; set; }
    }

    private sealed class ClusterFile
    {
        public string? Alias { get; set; }
        public string? BootstrapServers { get; set; }
        public string? SecurityProtocol { get; set; }
        public string? SaslMechanism { get; set; }
        public string? UserName { get; set; }
        public object? Password { get; set; }
        public string? CaCertificatePath { get; set; }
        public string? TruststorePath { get; set; }
        public object? TruststorePassword { get; set; }
    }

    private sealed class RegistryFile
    {
        public string? SecretName { get; set; }
        public string? Server { get; set; }
        public string? UserName { get; set; }
        public object? Password { get; set; }
    }
}
