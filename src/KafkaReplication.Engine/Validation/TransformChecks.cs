using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Validation;

/// <summary>
/// Checks of a source connector's Single Message Transforms against the guide's warnings: transforms must not change
/// topic names (that breaks the replication policy), conversions must not reach heartbeat records, converted data must
/// be written by a matching converter, a Filter needs a predicate, and a loop filter must name the flow's own aliases.
/// </summary>
internal static class TransformChecks
{
    /// <summary>Transformations known to change a record's topic.</summary>
    private static readonly string[] TopicRenaming =
    {
        "org.apache.kafka.connect.transforms.RegexRouter",
        "org.apache.kafka.connect.transforms.TimestampRouter",
        "io.confluent.connect.transforms.ExtractTopic",
        "io.debezium.transforms.ByLogicalTableRouter",
        "io.debezium.transforms.partitions.ComputePartition",
    };

    public static void Check(ConnectorView c, bool heartbeatsFlow, Action<FindingSeverity, string, string, string> add)
    {
        var where = c.DisplayName;
        foreach (var t in c.Transforms)
        {
            var what = $"{where} transform '{t.Name}'";
            if (t.Type is null)
            {
                add(FindingSeverity.Error, "TransformTypeMissing", $"{what} is listed in 'transforms' but has no 'transforms.{t.Name}.type'.", where);
                continue;
            }
            if (TopicRenaming.Any(r => t.Type.StartsWith(r, StringComparison.Ordinal)))
                add(FindingSeverity.Error, "TransformRenamesTopic", $"{what} ({t.Type}) changes record topics. The guide forbids this in replication flows: it breaks the replication policy (remote topic names, offset syncs, checkpoints) and can block replication.", where);
            if (t.Type == FilterTransform.Class && t.PredicateName is null)
                add(FindingSeverity.Error, "FilterWithoutPredicate", $"{what} is a Filter without a predicate: it would drop every record.", where);
            if (t.PredicateName is not null && c.PredicateOf(t) is not { Type: not null })
                add(FindingSeverity.Error, "PredicateMissing", $"{what} uses predicate '{t.PredicateName}', which 'predicates' does not define with a type.", where);
        }

        foreach (var part in new[] { RecordPart.Value, RecordPart.Key })
            CheckConversion(c, part, heartbeatsFlow, add);

        CheckLoopFilter(c, add);
    }

    private static void CheckConversion(ConnectorView c, RecordPart part, bool heartbeatsFlow, Action<FindingSeverity, string, string, string> add)
    {
        var from = c.Transforms.LastOrDefault(t => t.Type == $"{ConvertFromBytesTransform.ClassPrefix}${part}");
        if (from is null) return;
        var where = c.DisplayName;
        var index = c.Transforms.ToList().IndexOf(from);
        var back = c.Transforms.Skip(index + 1).FirstOrDefault(t => t.Type == $"{ConvertToBytesTransform.ClassPrefix}${part}");
        var converterKey = part == RecordPart.Value ? "value.converter" : "key.converter";
        var converter = c.Config[converterKey]?.ToString();
        if (back is null && (converter is null || converter == RecordConverters.ByteArray))
            add(FindingSeverity.Error, "ConvertedDataNotWritable",
                $"{where} transform '{from.Name}' converts the record {part.ToString().ToLowerInvariant()} from bytes, but no ConvertToBytes follows and '{converterKey}' is {converter ?? "the worker default"}: " +
                $"add ConvertToBytes with the same converter, or set '{converterKey}' to that converter (guide: \"Using Single Message Transforms\").", where);
        else if (back is not null && (back.PredicateName != from.PredicateName || back.Negate != from.Negate))
            add(FindingSeverity.Warning, "ConversionPredicatesDiffer",
                $"{where}: '{from.Name}' and '{back.Name}' apply to different records (predicates '{from.PredicateName}' and '{back.PredicateName}'); a record converted by one and not the other cannot be written.", where);

        if (!heartbeatsFlow) return;
        // MirrorSourceConnector always replicates heartbeats topics, and their records are not JSON: the conversion must skip them.
        var heartbeatTopics = new[] { "heartbeats", $"{c.SourceAlias ?? "source"}.heartbeats", "upstream.heartbeats" };
        var predicate = c.PredicateOf(from);
        if (from.PredicateName is null)
        {
            add(FindingSeverity.Error, "ConversionHitsHeartbeats",
                $"{where} transform '{from.Name}' converts every record, heartbeat records included, which fail to convert. Give it and the transforms after it the predicate TopicNameMatches '{TransformChain.NotHeartbeatsPattern}' (the guide's NotHeartbeats).", where);
            return;
        }
        if (predicate?.Type != TopicNameMatchesPredicate.Class)
        {
            add(FindingSeverity.Warning, "ConversionMayHitHeartbeats",
                $"{where} transform '{from.Name}' uses predicate '{from.PredicateName}' ({predicate?.Type ?? "undefined"}), which cannot be shown to skip heartbeat records.", where);
            return;
        }
        var pattern = predicate.Settings.GetValueOrDefault("pattern") ?? "";
        var hit = heartbeatTopics.FirstOrDefault(h => TopicOverlap.MatchesAny(new[] { pattern }, h) != from.Negate);
        if (hit is not null)
            add(FindingSeverity.Error, "ConversionHitsHeartbeats",
                $"{where} transform '{from.Name}' applies to heartbeat records (topic '{hit}' {(from.Negate ? "does not match" : "matches")} '{pattern}'), which fail to convert. Use the guide's pattern '{TransformChain.NotHeartbeatsPattern}'.", where);
    }

    private static void CheckLoopFilter(ConnectorView c, Action<FindingSeverity, string, string, string> add)
    {
        const string prefix = "replicated-from-";
        var where = c.DisplayName;
        foreach (var t in c.Transforms.Where(t => t.Type == InsertHeaderTransform.Class))
        {
            var header = t.Settings.GetValueOrDefault("header");
            if (header is null || !header.StartsWith(prefix, StringComparison.Ordinal) || c.SourceAlias is null) continue;
            if (header != ConnectorView.LoopHeader(c.SourceAlias))
                add(FindingSeverity.Error, "LoopFilterAliasMismatch",
                    $"{where} transform '{t.Name}' marks records with '{header}', but the connector's source alias is '{c.SourceAlias}': the opposite flow's filter would not recognise them and records would loop. Use '{ConnectorView.LoopHeader(c.SourceAlias)}'.", where);
        }
        foreach (var t in c.Transforms.Where(t => t.Type == FilterTransform.Class))
        {
            var p = c.PredicateOf(t);
            var name = p?.Type == HasHeaderKeyPredicate.Class ? p.Settings.GetValueOrDefault("name") : null;
            if (name is null || !name.StartsWith(prefix, StringComparison.Ordinal) || c.TargetAlias is null) continue;
            if (name != ConnectorView.LoopHeader(c.TargetAlias))
                add(FindingSeverity.Error, "LoopFilterAliasMismatch",
                    $"{where} transform '{t.Name}' drops records with header '{name}', but the connector's target alias is '{c.TargetAlias}': records replicated from the target would come back. Use '{ConnectorView.LoopHeader(c.TargetAlias)}'.", where);
        }
    }
}
