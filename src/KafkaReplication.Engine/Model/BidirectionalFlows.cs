namespace KafkaReplication.Engine.Model;

/// <summary>
/// The guide's "Deploying bidirectional and prefixless replication flows": two flows A→B and B→A with the
/// IdentityReplicationPolicy, no checkpoint connector, emit.offset-syncs.enabled=false, and on every source connector
/// the loop filter chain (Filter on HasHeaderKey replicated-from-&lt;target alias&gt;, then InsertHeader
/// replicated-from-&lt;source alias&gt;). The aliases in the chain are references to each flow's own alias ConfigMaps,
/// so the two directions agree by construction.
/// </summary>
public static class BidirectionalFlows
{
    public const string FilterName = "FilterReplicatedFromTarget";
    public const string PredicateName = "ReplicatedFromTarget";
    public const string InsertHeaderName = "InsertHeader";

    /// <summary>The guide's loop filter, in its order: drop what came from the target, then mark what goes there.</summary>
    public static IReadOnlyList<ReplicationTransform> LoopFilter() => new ReplicationTransform[]
    {
        new FilterTransform
        {
            Name = FilterName,
            Predicate = new HasHeaderKeyPredicate { Name = PredicateName, HeaderName = $"replicated-from-{ReplicationTransform.TargetAliasToken}" },
        },
        new InsertHeaderTransform { Name = InsertHeaderName, Header = $"replicated-from-{ReplicationTransform.SourceAliasToken}", Value = "true" },
    };

    /// <summary>The default name of the reverse flow: &lt;target alias&gt;-to-&lt;source alias&gt;.</summary>
    public static string DefaultReverseName(ReplicationFlowDefinition forward) =>
        $"{forward.Target.Alias}-to-{forward.Source.Alias}".ToLowerInvariant().Replace('_', '-');

    /// <summary>Both directions from the forward flow's settings; the reverse flow swaps source and target and gets its own Connect cluster.</summary>
    public static IReadOnlyList<ReplicationFlowDefinition> Create(ReplicationFlowDefinition forward, string? reverseName = null)
    {
        var a = forward with
        {
            ReplicationPolicy = ReplicationPolicy.Identity,
            Checkpoint = false,
            EmitOffsetSyncs = false,
            Transforms = forward.HasSourceConnectorList ? forward.Transforms : LoopFilter().Concat(forward.Transforms).ToList(),
            SourceConnectors = forward.SourceConnectors.Select(c => c with { Transforms = LoopFilter().Concat(c.Transforms).ToList() }).ToList(),
        };
        var b = a with
        {
            Name = reverseName ?? DefaultReverseName(forward),
            Source = forward.Target,
            Target = forward.Source,
            ConnectClusterName = FlowDefinitionFactory.DefaultConnectClusterName(forward.Target.Alias, forward.Source.Alias),
        };
        return new[] { a, b };
    }
}
