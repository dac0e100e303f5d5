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
        var flows = ReadAll(path, environment, resolveSecrets);
        return flows.Count == 1 ? flows[0]
            : throw ReplicationException.Invalid("FlowFileHasSeveralFlows", $"Flow file '{path}' describes {flows.Count} flows (bidirectional); read it with ReadAll.", path);
    }

    /// <summary>The flows a file describes: one, or two for <c>bidirectional: true</c>.</summary>
    public static IReadOnlyList<ReplicationFlowDefinition> ReadAll(string path, Func<string, string?>? environment = null, bool resolveSecrets = true)
    {
        string text;
        try
        {
            text = Yaml.GuardedYaml.ReadFile(path, "flow file");
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
            if (unknown.Success && UnknownKeys.Find(text, typeof(FlowFile)) is { Count: > 1 } all)
                throw ReplicationException.Invalid("FlowFileInvalid", $"Flow file '{path}': unknown keys " +
                    string.Join(", ", all.Select(k => $"'{k.Path}' (line {k.Line})")) + " (see docs/flow-file.md)", path);
            var detail = unknown.Success ? $"unknown key '{unknown.Groups[1].Value}' (see docs/flow-file.md)"
                : e.InnerException is InvalidCastException or FormatException ? "a value has the wrong type (see docs/flow-file.md)"
                : e.InnerException?.Message ?? e.Message;
            throw ReplicationException.Invalid("FlowFileInvalid", $"Flow file '{path}' line {e.Start.Line}: {detail}", path);
        }
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var flow = ToDefinition(dto, new SecretResolver(environment ?? Environment.GetEnvironmentVariable, baseDir, path, resolveSecrets), path);
        if (dto.Bidirectional != true)
        {
            if (dto.ReverseName is not null)
                throw ReplicationException.Invalid("FlowFileInvalidValue", $"Flow file '{path}': 'reverseName' goes with 'bidirectional: true'.", path);
            return new[] { flow };
        }
        if (dto.ReplicationPolicy is not null && flow.ReplicationPolicy != ReplicationPolicy.Identity)
            throw ReplicationException.Invalid("BidirectionalRequiresIdentity", $"Flow file '{path}': a bidirectional flow is prefixless; leave out 'replicationPolicy' or set it to Identity.", path);
        return BidirectionalFlows.Create(flow, dto.ReverseName);
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
            StrimziVersion = f.StrimziVersion is null ? null : Strimzi.StrimziVersion.Parse(f.StrimziVersion),
            RegistrySecretName = f.Registry?.SecretName,
            RegistryServer = f.Registry?.Server,
            RegistryUserName = f.Registry?.UserName,
            RegistryPassword = registryPassword,
            NewPartitionStart = Parse(f.NewPartitionStart, NewPartitionStart.Earliest, "newPartitionStart", path),
            EmitCheckpointsIntervalSeconds = f.EmitCheckpointsIntervalSeconds,
            SyncGroupOffsetsIntervalSeconds = f.SyncGroupOffsetsIntervalSeconds,
            ExactlyOnce = f.ExactlyOnce ?? false,
            Metrics = f.Metrics ?? false,
            Transforms = Transforms(f.Transforms, "transforms", path),
            SourceConnectors = (f.SourceConnectors ?? new List<SourceConnectorFile>()).Select((c, i) => new SourceConnectorDefinition
            {
                Name = c.Name ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': 'sourceConnectors[{i}].name' is required.", path),
                Topics = FlowDefinitionFactory.SplitList(StringList(c.Topics, $"sourceConnectors[{i}].topics", path)),
                TasksMax = c.TasksMax,
                CompressionType = c.CompressionType is null ? null : Parse(c.CompressionType, CompressionType.None, $"sourceConnectors[{i}].compressionType", path),
                ReplicationFactor = c.ReplicationFactor,
                OffsetLagMax = c.OffsetLagMax,
                Transforms = Transforms(c.Transforms, $"sourceConnectors[{i}].transforms", path),
            }).ToList(),
            ConnectResources = f.ConnectResources is null ? null : new ConnectResources
            {
                CpuRequest = f.ConnectResources.Requests?.Cpu,
                MemoryRequest = f.ConnectResources.Requests?.Memory,
                CpuLimit = f.ConnectResources.Limits?.Cpu,
                MemoryLimit = f.ConnectResources.Limits?.Memory,
            },
        };
    }

    private static IReadOnlyList<ReplicationTransform> Transforms(List<TransformFile>? list, string key, string path) =>
        (list ?? new List<TransformFile>()).Select((t, i) => Transform(t, $"{key}[{i}]", path)).ToList();

    /// <summary>A transform entry: 'type' picks the kind, and only that kind's keys are allowed.</summary>
    private static ReplicationTransform Transform(TransformFile t, string key, string path)
    {
        string Need(string? v, string name) => v ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': '{key}.{name}' is required for {t.Type} transforms.", path);
        var kind = t.Type ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': '{key}.type' is required (ConvertFromBytes, ConvertToBytes, ReplaceField, InsertHeader, Filter, Custom).", path);
        var allowed = kind.ToLowerInvariant() switch
        {
            "convertfrombytes" or "converttobytes" => new[] { "part", "converter", "schemasEnable" },
            "replacefield" => new[] { "part", "renames", "include", "exclude" },
            "insertheader" => new[] { "header", "value" },
            "filter" => Array.Empty<string>(),
            "custom" => new[] { "class", "settings" },
            _ => throw ReplicationException.Invalid("FlowFileInvalidValue", $"Flow file '{path}': '{key}.type' must be one of ConvertFromBytes, ConvertToBytes, ReplaceField, InsertHeader, Filter, Custom (got '{kind}').", path),
        };
        var given = new (string Key, object? Value)[]
        {
            ("part", t.Part), ("converter", t.Converter), ("schemasEnable", t.SchemasEnable), ("renames", t.Renames), ("include", t.Include),
            ("exclude", t.Exclude), ("header", t.Header), ("value", t.Value), ("class", t.Class), ("settings", t.Settings),
        };
        foreach (var (k, v) in given)
            if (v is not null && !allowed.Contains(k))
                throw ReplicationException.Invalid("FlowFileInvalidValue", $"Flow file '{path}': '{key}.{k}' does not apply to {kind} transforms.", path);
        var predicate = t.Predicate is null ? null : Predicate(t.Predicate, $"{key}.predicate", path);
        var name = t.Name ?? (kind.ToLowerInvariant() == "custom" ? Need(null, "name") : null);
        var part = TransformFactory.ParsePart(t.Part, $"Flow file '{path}' '{key}'");
        ReplicationTransform result = kind.ToLowerInvariant() switch
        {
            "convertfrombytes" => new ConvertFromBytesTransform { Name = name ?? "ConvertFromBytes", Part = part, Converter = RecordConverters.Resolve(Need(t.Converter, "converter")), SchemasEnable = t.SchemasEnable ?? false },
            "converttobytes" => new ConvertToBytesTransform { Name = name ?? "ConvertToBytes", Part = part, Converter = RecordConverters.Resolve(Need(t.Converter, "converter")), SchemasEnable = t.SchemasEnable ?? false },
            "replacefield" => new ReplaceFieldTransform
            {
                Name = name ?? "ReplaceField",
                Part = part,
                Renames = t.Renames switch
                {
                    null => Array.Empty<KeyValuePair<string, string>>(),
                    IDictionary<object, object> map => map.Select(kv => new KeyValuePair<string, string>($"{kv.Key}", $"{kv.Value}")).ToList(),
                    _ => TransformFactory.ParseRenames(StringList(t.Renames, $"{key}.renames", path)),
                },
                Include = FlowDefinitionFactory.SplitList(StringList(t.Include, $"{key}.include", path)),
                Exclude = FlowDefinitionFactory.SplitList(StringList(t.Exclude, $"{key}.exclude", path)),
            },
            "insertheader" => new InsertHeaderTransform { Name = name ?? "InsertHeader", Header = Need(t.Header, "header"), Value = Need(t.Value, "value") },
            "filter" => new FilterTransform { Name = name ?? "Filter" },
            _ => new CustomTransform
            {
                Name = name!,
                Class = Need(t.Class, "class"),
                CustomSettings = (t.Settings ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => new KeyValuePair<string, object>(kv.Key, kv.Value)).ToList(),
            },
        };
        return result with { Predicate = predicate, Negate = t.Negate ?? false };
    }

    private static ReplicationPredicate Predicate(PredicateFile p, string key, string path)
    {
        var kind = p.Type ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': '{key}.type' is required (TopicNameMatches, HasHeaderKey, RecordIsTombstone).", path);
        string Need(string? v, string name) => v ?? throw ReplicationException.Invalid("FlowFileMissingKey", $"Flow file '{path}': '{key}.{name}' is required for {kind} predicates.", path);
        return kind.ToLowerInvariant() switch
        {
            "topicnamematches" when p.HeaderName is null => new TopicNameMatchesPredicate { Name = p.Name ?? kind, Pattern = Need(p.Pattern, "pattern") },
            "hasheaderkey" when p.Pattern is null => new HasHeaderKeyPredicate { Name = p.Name ?? kind, HeaderName = Need(p.HeaderName, "headerName") },
            "recordistombstone" when p.Pattern is null && p.HeaderName is null => new RecordIsTombstonePredicate { Name = p.Name ?? kind },
            "topicnamematches" or "hasheaderkey" or "recordistombstone" => throw ReplicationException.Invalid("FlowFileInvalidValue", $"Flow file '{path}': '{key}' has a key that does not apply to {kind} predicates.", path),
            _ => throw ReplicationException.Invalid("FlowFileInvalidValue", $"Flow file '{path}': '{key}.type' must be TopicNameMatches, HasHeaderKey or RecordIsTombstone (got '{kind}').", path),
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
        public string? StrimziVersion { get; set; }
        public RegistryFile? Registry { get; set; }
        public string? NewPartitionStart { get; set; }
        public int? EmitCheckpointsIntervalSeconds { get; set; }
        public int? SyncGroupOffsetsIntervalSeconds { get; set; }
        public bool? ExactlyOnce { get; set; }
        public bool? Metrics { get; set; }
        public List<TransformFile>? Transforms { get; set; }
        public List<SourceConnectorFile>? SourceConnectors { get; set; }
        public ConnectResourcesFile? ConnectResources { get; set; }
        public bool? Bidirectional { get; set; }
        public string? ReverseName { get; set; }
    }

    private sealed class SourceConnectorFile
    {
        public string? Name { get; set; }
        public object? Topics { get; set; }
        public int? TasksMax { get; set; }
        public string? CompressionType { get; set; }
        public int? ReplicationFactor { get; set; }
        public int? OffsetLagMax { get; set; }
        public List<TransformFile>? Transforms { get; set; }
    }

    private sealed class TransformFile
    {
        public string? Type { get; set; }
        public string? Name { get; set; }
        public string? Part { get; set; }
        public string? Converter { get; set; }
        public bool? SchemasEnable { get; set; }
        public object? Renames { get; set; }
        public object? Include { get; set; }
        public object? Exclude { get; set; }
        public string? Header { get; set; }
        public string? Value { get; set; }
        public string? Class { get; set; }
        public Dictionary<string, string>? Settings { get; set; }
        public PredicateFile? Predicate { get; set; }
        public bool? Negate { get; set; }
    }

    private sealed class PredicateFile
    {
        public string? Type { get; set; }
        public string? Name { get; set; }
        public string? Pattern { get; set; }
        public string? HeaderName { get; set; }
    }

    private sealed class ConnectResourcesFile
    {
        public QuantitiesFile? Requests { get; set; }
        public QuantitiesFile? Limits { get; set; }
    }

    private sealed class QuantitiesFile
    {
        public string? Cpu { get; set; }
        public string? Memory { get; set; }
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
