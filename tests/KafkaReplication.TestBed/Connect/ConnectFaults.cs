namespace KafkaReplication.TestBed.Connect;

internal enum FaultKind
{
    Rebalance,
    Fail,
    Drop,
    Delay,
}

/// <summary>A fault that applies to the next <see cref="Remaining"/> requests matching it.</summary>
internal sealed class FaultRule(FaultKind kind, int remaining, string? pathContains, string? method, int statusCode = 500, TimeSpan delay = default)
{
    public FaultKind Kind { get; } = kind;

    public int Remaining { get; set; } = remaining;

    public int StatusCode { get; } = statusCode;

    public TimeSpan Delay { get; } = delay;

    /// <summary>Matches against the path plus query ("/connectors/a/restart?includeTasks=true") and, if set, the method.</summary>
    public bool Matches(string requestMethod, string target) =>
        Remaining > 0
        && (pathContains is null || target.Contains(pathContains, StringComparison.Ordinal))
        && (method is null || string.Equals(method, requestMethod, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Faults on demand, consumed in the order they were added.</summary>
internal sealed class ConnectFaults
{
    private readonly Lock gate = new();
    private readonly List<FaultRule> rules = [];

    public void Add(FaultRule rule)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rule.Remaining);
        lock (gate)
        {
            rules.Add(rule);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
        }
    }

    /// <summary>Uses up one application of the first matching rule of the given kinds, if any.</summary>
    public FaultRule? Take(string method, string target, params FaultKind[] kinds)
    {
        lock (gate)
        {
            var rule = rules.FirstOrDefault(r => kinds.Contains(r.Kind) && r.Matches(method, target));
            if (rule is not null)
            {
                rule.Remaining--;
            }

            return rule;
        }
    }
}
