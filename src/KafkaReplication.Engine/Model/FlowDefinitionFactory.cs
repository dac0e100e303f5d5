namespace KafkaReplication.Engine.Model;

/// <summary>Fills the defaults the guide recommends into a flow definition.</summary>
public static class FlowDefinitionFactory
{
    /// <summary>The guide's naming convention: repl-&lt;source alias&gt;-&lt;target alias&gt;, made a valid DNS label.</summary>
    public static string DefaultConnectClusterName(string sourceAlias, string targetAlias) =>
        $"repl-{sourceAlias}-{targetAlias}".ToLowerInvariant().Replace('_', '-');

    public static IReadOnlyList<string> SplitList(IEnumerable<string>? values) =>
        (values ?? Array.Empty<string>())
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
