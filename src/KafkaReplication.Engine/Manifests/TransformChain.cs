using System.Text.Json.Nodes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Manifests;

/// <summary>
/// Writes a source connector's Single Message Transforms as the guide's "Using Single Message Transforms" does. When
/// record contents are converted (ConvertFromBytes) and the flow has a heartbeat connector, heartbeat records would
/// break the conversion, so — as in the guide's "Filtering data using SMTs" — every transform on the converted part
/// gets the NotHeartbeats predicate, a ConvertToBytes is appended when the chain lacks one, and the final converters
/// stay ByteArrayConverter. Without heartbeats and without ConvertToBytes, the converter of ConvertFromBytes becomes
/// the connector's final converter for that part (the guide's JsonConverter example).
/// </summary>
public static class TransformChain
{
    public const string NotHeartbeats = "NotHeartbeats";
    /// <summary>The guide's pattern: every topic except heartbeats and &lt;alias&gt;.heartbeats.</summary>
    public const string NotHeartbeatsPattern = @"^(?!(.+\.)?heartbeats).*$";

    /// <summary>The chain as it is deployed (see the class summary).</summary>
    public static IReadOnlyList<ReplicationTransform> Effective(ReplicationFlowDefinition f, IReadOnlyList<ReplicationTransform> chain)
    {
        var list = chain.ToList();
        if (!f.Heartbeat) return list;
        // Per converted part, the last ConvertFromBytes decides the converter and the records it applies to.
        var converted = list.OfType<ConvertFromBytesTransform>().GroupBy(t => t.Part).ToDictionary(g => g.Key, g => g.Last());
        if (converted.Count == 0) return list;
        var notHeartbeats = new TopicNameMatchesPredicate { Name = NotHeartbeats, Pattern = NotHeartbeatsPattern };
        foreach (var (part, from) in converted)
        {
            if (list.Skip(list.IndexOf(from) + 1).OfType<ConvertToBytesTransform>().Any(t => t.Part == part)) continue;
            list.Add(new ConvertToBytesTransform
            {
                Name = UniqueName(list, "ConvertToBytes", part),
                Part = part,
                Converter = from.Converter,
                SchemasEnable = from.SchemasEnable,
            });
        }
        // A transform with its own predicate keeps it (validation checks that it still spares heartbeats); the others
        // follow their ConvertFromBytes, so conversion and conversion back apply to exactly the same records.
        return list.Select(t => t.Predicate is null && t.ContentPart is { } p && converted.TryGetValue(p, out var from)
            ? t with { Predicate = from.Predicate ?? notHeartbeats, Negate = from.Predicate is null ? false : from.Negate }
            : t).ToList();
    }

    public static void Write(ReplicationFlowDefinition f, IReadOnlyList<ReplicationTransform> chain, JsonObject config)
    {
        if (chain.Count == 0) return;
        var effective = Effective(f, chain);
        string Expand(string s) => s
            .Replace(ReplicationTransform.SourceAliasToken, ConfigRef.ConfigMap(f.Namespace, f.Names.SourceConfigMap, "alias"), StringComparison.Ordinal)
            .Replace(ReplicationTransform.TargetAliasToken, ConfigRef.ConfigMap(f.Namespace, f.Names.TargetConfigMap, "alias"), StringComparison.Ordinal);
        JsonNode? Node(object value) => value switch
        {
            string s => JsonValue.Create(Expand(s)),
            bool b => JsonValue.Create(b),
            int i => JsonValue.Create(i),
            long l => JsonValue.Create(l),
            _ => JsonValue.Create(Expand(value.ToString() ?? "")),
        };

        config["transforms"] = string.Join(",", effective.Select(t => t.Name));
        foreach (var t in effective)
        {
            var prefix = $"transforms.{t.Name}.";
            config[prefix + "type"] = t.TypeClass;
            foreach (var (key, value) in t.Settings) config[prefix + key] = Node(value);
            if (t.Predicate is not null) config[prefix + "predicate"] = t.Predicate.Name;
            if (t.Negate) config[prefix + "negate"] = true;
        }
        var predicates = effective.Where(t => t.Predicate is not null).Select(t => t.Predicate!).DistinctBy(p => p.Name).ToList();
        if (predicates.Count > 0)
        {
            config["predicates"] = string.Join(",", predicates.Select(p => p.Name));
            foreach (var p in predicates)
            {
                config[$"predicates.{p.Name}.type"] = p.TypeClass;
                foreach (var (key, value) in p.Settings) config[$"predicates.{p.Name}.{key}"] = Node(value);
            }
        }

        // Without ConvertToBytes after it, a converted part leaves the chain structured: its final converter must write it.
        foreach (var from in effective.OfType<ConvertFromBytesTransform>().GroupBy(t => t.Part).Select(g => g.Last()))
        {
            if (effective.Skip(effective.ToList().IndexOf(from) + 1).OfType<ConvertToBytesTransform>().Any(t => t.Part == from.Part)) continue;
            var key = from.Part == RecordPart.Value ? "value.converter" : "key.converter";
            config[key] = from.Converter;
            if (RecordConverters.HasSchemas(from.Converter)) config[key + ".schemas.enable"] = from.SchemasEnable;
        }
    }

    private static string UniqueName(List<ReplicationTransform> list, string name, RecordPart part)
    {
        if (list.All(t => t.Name != name)) return name;
        var withPart = name + part;
        return list.All(t => t.Name != withPart) ? withPart : withPart + list.Count;
    }
}
