using System.Globalization;
using System.Text.RegularExpressions;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Validation;

/// <summary>
/// Offline checks of the advanced parts of a flow definition: the source connector list, transform chains (names,
/// predicates, settings) and the Connect pods' resources. What only shows in the rendered connector config
/// (topic renaming, heartbeats, converters) is checked on the manifests by <see cref="TransformChecks"/>.
/// </summary>
internal static partial class DefinitionChecks
{
    public const int MaxConnectorNameLength = 20;

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Alias();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")]
    private static partial Regex Quantity();

    public static void Check(ReplicationFlowDefinition f, List<ValidationFinding> findings)
    {
        void Error(string code, string message, string target) => findings.Add(new(FindingSeverity.Error, code, message, target));

        if (f.HasSourceConnectorList)
        {
            if (f.Topics.Count > 0)
                Error("TopicsWithSourceConnectors", "Give the topics either for the flow (-Topics) or per source connector (-SourceConnectors), not both.", f.Name);
            foreach (var dup in f.SourceConnectors.GroupBy(c => c.Name).Where(g => g.Count() > 1))
                Error("DuplicateSourceConnector", $"Source connector name '{dup.Key}' is used {dup.Count()} times.", dup.Key);
            foreach (var c in f.SourceConnectors)
            {
                if (!KubernetesNames.IsDnsLabel(c.Name, MaxConnectorNameLength))
                    Error("InvalidSourceConnectorName", $"Source connector name '{c.Name}' must be a DNS-1123 label of at most {MaxConnectorNameLength} characters: it names the KafkaConnector and its ConfigMap.", c.Name);
                if (c.Topics.Count == 0)
                    Error("TopicsRequired", $"Source connector '{c.Name}' has no topics.", c.Name);
                foreach (var t in c.Topics) FlowValidator.CheckRegex(t, "InvalidTopicRegex", "topic", findings);
                if (c.TasksMax is < 1 or > 1000)
                    Error("InvalidTasksMax", $"Source connector '{c.Name}': TasksMax must be 1 to 1000 (got {c.TasksMax}).", c.Name);
                if (c.ReplicationFactor is { } rf && rf != -1 && rf is < 1 or > 32767)
                    Error("InvalidReplicationFactor", $"Source connector '{c.Name}': ReplicationFactor must be -1 (the target's default) or 1 to 32767 (got {rf}).", c.Name);
                if (c.OffsetLagMax is < 0)
                    Error("InvalidOffsetLagMax", $"Source connector '{c.Name}': OffsetLagMax must be 0 or more (got {c.OffsetLagMax}).", c.Name);
                CheckChain(f, c.Transforms, $"source connector '{c.Name}'", findings);
            }
        }
        else
        {
            CheckChain(f, f.Transforms, "the source connector", findings);
        }

        if (f.ConnectResources is { } r)
        {
            foreach (var (name, value) in new[] { ("ConnectCpuRequest", r.CpuRequest), ("ConnectMemoryRequest", r.MemoryRequest), ("ConnectCpuLimit", r.CpuLimit), ("ConnectMemoryLimit", r.MemoryLimit) })
                if (value is not null && !Quantity().IsMatch(value))
                    Error("InvalidResourceQuantity", $"{name} '{value}' is not a Kubernetes quantity (for example 500m, 2, 1Gi).", f.Name);
            if (Below(r.CpuLimit, r.CpuRequest) || Below(r.MemoryLimit, r.MemoryRequest))
                Error("ResourceLimitBelowRequest", $"The Connect pods' limits must not be below their requests ({r}).", f.Name);
        }
    }

    private static void CheckChain(ReplicationFlowDefinition f, IReadOnlyList<ReplicationTransform> chain, string where, List<ValidationFinding> findings)
    {
        void Error(string code, string message, string target) => findings.Add(new(FindingSeverity.Error, code, message, target));
        foreach (var t in chain)
        {
            if (!Alias().IsMatch(t.Name))
                Error("InvalidTransformName", $"Transform name '{t.Name}' of {where} may hold only letters, digits, '-' and '_' (it is part of config keys).", t.Name);
            if (t.Predicate is { } p && !Alias().IsMatch(p.Name))
                Error("InvalidPredicateName", $"Predicate name '{p.Name}' of {where} may hold only letters, digits, '-' and '_'.", p.Name);
            if (t is ReplaceFieldTransform { Renames.Count: 0, Include.Count: 0, Exclude.Count: 0 })
                Error("ReplaceFieldEmpty", $"Transform '{t.Name}' of {where} renames, includes and excludes nothing.", t.Name);
            if (t is InsertHeaderTransform h && string.IsNullOrWhiteSpace(h.Header))
                Error("InsertHeaderEmpty", $"Transform '{t.Name}' of {where} has no header name.", t.Name);
            if (t is ConverterTransform { Converter: var conv } && string.IsNullOrWhiteSpace(conv))
                Error("ConverterRequired", $"Transform '{t.Name}' of {where} needs a converter.", t.Name);
            if (t.Predicate is TopicNameMatchesPredicate tp)
                FlowValidator.CheckRegex(tp.Pattern, "InvalidPredicatePattern", "predicate", findings);
        }
        foreach (var dup in chain.GroupBy(t => t.Name).Where(g => g.Count() > 1))
            Error("DuplicateTransformName", $"Transform name '{dup.Key}' is used {dup.Count()} times in {where}.", dup.Key);
        // As deployed (NotHeartbeats added), one name must stand for one predicate.
        var predicates = TransformChain.Effective(f, chain).Where(t => t.Predicate is not null).Select(t => t.Predicate!).ToList();
        foreach (var clash in predicates.GroupBy(p => p.Name).Where(g => g.Select(p => $"{p.TypeClass} {p.Description}").Distinct().Count() > 1))
            Error("DuplicatePredicateName", $"Predicate name '{clash.Key}' stands for different predicates in {where}: {string.Join(" / ", clash.Select(p => p.ToString()).Distinct())}.", clash.Key);
    }

    /// <summary>True when both are given and the limit is smaller than the request.</summary>
    private static bool Below(string? limit, string? request) =>
        Parse(limit) is { } l && Parse(request) is { } r && l < r;

    private static decimal? Parse(string? q)
    {
        if (q is null) return null;
        var m = Quantity().Match(q);
        if (!m.Success) return null;
        var n = decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return n * m.Groups[3].Value switch
        {
            "m" => 0.001m, "k" => 1e3m, "M" => 1e6m, "G" => 1e9m, "T" => 1e12m, "P" => 1e15m, "E" => 1e18m,
            "Ki" => 1024m, "Mi" => 1024m * 1024, "Gi" => 1024m * 1024 * 1024, "Ti" => 1024m * 1024 * 1024 * 1024,
            "Pi" => 1024m * 1024 * 1024 * 1024 * 1024, "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
            _ => 1m,
        };
    }
}
