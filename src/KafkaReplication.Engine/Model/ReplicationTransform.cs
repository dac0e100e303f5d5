namespace KafkaReplication.Engine.Model;

/// <summary>Which part of a record a transform or converter works on.</summary>
public enum RecordPart { Value, Key }

/// <summary>
/// A Single Message Transform of a MirrorSourceConnector (connector keys <c>transforms.&lt;name&gt;.*</c>), in the
/// guide's "Using Single Message Transforms in replication flows". String settings may hold
/// <see cref="SourceAliasToken"/> and <see cref="TargetAliasToken"/>: they are rendered as references to the alias in
/// the flow's source or target ConfigMap, as the guide's bidirectional example does, so one transform object fits
/// every flow (both directions of a bidirectional pair included).
/// </summary>
public abstract record ReplicationTransform
{
    public const string SourceAliasToken = "{SourceAlias}";
    public const string TargetAliasToken = "{TargetAlias}";

    /// <summary>The transform's alias in the connector's <c>transforms</c> list.</summary>
    public required string Name { get; init; }

    /// <summary>Applies the transform only to records the predicate matches (or, with <see cref="Negate"/>, does not match).</summary>
    public ReplicationPredicate? Predicate { get; init; }

    public bool Negate { get; init; }

    /// <summary>Short kind shown in tables (ConvertFromBytes, ReplaceField, InsertHeader, ConvertToBytes, Filter, Custom).</summary>
    public abstract string Kind { get; }

    /// <summary>The transformation class (<c>transforms.&lt;name&gt;.type</c>).</summary>
    public abstract string TypeClass { get; }

    /// <summary>Settings under <c>transforms.&lt;name&gt;.</c> (type, predicate and negate excluded), in the order they are written.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, object>> Settings { get; }

    /// <summary>The record part whose content the transform reads or rewrites; null for headers and whole records.</summary>
    public virtual RecordPart? ContentPart => null;

    public string Description => string.Join(", ", Settings.Select(s => $"{s.Key}={s.Value}"));

    public sealed override string ToString() => $"{Name} ({Kind}{(Settings.Count == 0 ? "" : ": " + Description)})";

    protected static KeyValuePair<string, object> Setting(string key, object value) => new(key, value);
}

/// <summary>Kafka Connect converter classes by the short names the module accepts.</summary>
public static class RecordConverters
{
    public const string Json = "org.apache.kafka.connect.json.JsonConverter";
    public const string String = "org.apache.kafka.connect.storage.StringConverter";
    public const string ByteArray = "org.apache.kafka.connect.converters.ByteArrayConverter";

    public static readonly IReadOnlyList<string> ShortNames = new[] { "Json", "String", "ByteArray" };

    /// <summary>A short name (Json, String, ByteArray) or a fully qualified converter class.</summary>
    public static string Resolve(string converter) => converter.ToLowerInvariant() switch
    {
        "json" => Json,
        "string" => String,
        "bytearray" => ByteArray,
        _ => converter,
    };

    /// <summary>JsonConverter reads <c>schemas.enable</c>; the guide sets it to false for schemaless JSON.</summary>
    public static bool HasSchemas(string converterClass) => converterClass == Json;
}

/// <summary>Base of Cloudera's ConvertFromBytes / ConvertToBytes, which run a converter inside the transform chain.</summary>
public abstract record ConverterTransform : ReplicationTransform
{
    public RecordPart Part { get; init; } = RecordPart.Value;
    /// <summary>Converter class (see <see cref="RecordConverters"/>).</summary>
    public required string Converter { get; init; }
    /// <summary>JsonConverter's schemas.enable (false: schemaless JSON, handled as a Map).</summary>
    public bool SchemasEnable { get; init; }
    public override RecordPart? ContentPart => Part;

    public override IReadOnlyList<KeyValuePair<string, object>> Settings =>
        RecordConverters.HasSchemas(Converter)
            ? new[] { Setting("converter", Converter), Setting("converter.schemas.enable", SchemasEnable) }
            : new[] { Setting("converter", Converter) };
}

/// <summary>Turns the BYTES MirrorSourceTask hands over into structured data, so later transforms can work on it.</summary>
public sealed record ConvertFromBytesTransform : ConverterTransform
{
    public const string ClassPrefix = "com.cloudera.dim.kafka.connect.transforms.ConvertFromBytes";
    public override string Kind => "ConvertFromBytes";
    public override string TypeClass => $"{ClassPrefix}${Part}";
}

/// <summary>Turns structured data back into bytes, so every record leaves the chain in the same format.</summary>
public sealed record ConvertToBytesTransform : ConverterTransform
{
    public const string ClassPrefix = "com.cloudera.dim.kafka.connect.transforms.ConvertToBytes";
    public override string Kind => "ConvertToBytes";
    public override string TypeClass => $"{ClassPrefix}${Part}";
}

/// <summary>Kafka's ReplaceField: renames, keeps or drops fields of structured data (needs ConvertFromBytes first).</summary>
public sealed record ReplaceFieldTransform : ReplicationTransform
{
    public const string ClassPrefix = "org.apache.kafka.connect.transforms.ReplaceField";
    public RecordPart Part { get; init; } = RecordPart.Value;
    /// <summary>Old name → new name, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Renames { get; init; } = Array.Empty<KeyValuePair<string, string>>();
    public IReadOnlyList<string> Include { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Exclude { get; init; } = Array.Empty<string>();
    public override string Kind => "ReplaceField";
    public override string TypeClass => $"{ClassPrefix}${Part}";
    public override RecordPart? ContentPart => Part;

    public override IReadOnlyList<KeyValuePair<string, object>> Settings
    {
        get
        {
            var s = new List<KeyValuePair<string, object>>();
            if (Renames.Count > 0) s.Add(Setting("renames", string.Join(",", Renames.Select(r => $"{r.Key}:{r.Value}"))));
            if (Include.Count > 0) s.Add(Setting("include", string.Join(",", Include)));
            if (Exclude.Count > 0) s.Add(Setting("exclude", string.Join(",", Exclude)));
            return s;
        }
    }
}

/// <summary>Kafka's InsertHeader: adds a header with a literal value to every record it applies to.</summary>
public sealed record InsertHeaderTransform : ReplicationTransform
{
    public const string Class = "org.apache.kafka.connect.transforms.InsertHeader";
    public required string Header { get; init; }
    public required string Value { get; init; }
    public override string Kind => "InsertHeader";
    public override string TypeClass => Class;
    public override IReadOnlyList<KeyValuePair<string, object>> Settings => new[] { Setting("header", Header), Setting("value.literal", Value) };
}

/// <summary>Kafka's Filter: drops the records its predicate selects (without a predicate it would drop all).</summary>
public sealed record FilterTransform : ReplicationTransform
{
    public const string Class = "org.apache.kafka.connect.transforms.Filter";
    public override string Kind => "Filter";
    public override string TypeClass => Class;
    public override IReadOnlyList<KeyValuePair<string, object>> Settings => Array.Empty<KeyValuePair<string, object>>();
}

/// <summary>Any other transformation class with its settings, written as given (validation still applies).</summary>
public sealed record CustomTransform : ReplicationTransform
{
    public required string Class { get; init; }
    public IReadOnlyList<KeyValuePair<string, object>> CustomSettings { get; init; } = Array.Empty<KeyValuePair<string, object>>();
    public override string Kind => "Custom";
    public override string TypeClass => Class;
    public override IReadOnlyList<KeyValuePair<string, object>> Settings => CustomSettings;

    public override RecordPart? ContentPart =>
        Class.EndsWith("$Value", StringComparison.Ordinal) ? RecordPart.Value
        : Class.EndsWith("$Key", StringComparison.Ordinal) ? RecordPart.Key
        : null;
}
