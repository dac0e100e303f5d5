namespace KafkaReplication.TestBed.Faults;

/// <summary>What an emulator does instead of (or before) answering a request.</summary>
public enum FaultKind
{
    /// <summary>Answer with an error status (and a Retry-After header when given).</summary>
    Status,
    /// <summary>Kafka Connect only: 409 "stale configuration", as during a rebalance.</summary>
    Rebalance,
    /// <summary>Close the TCP connection without an answer.</summary>
    Drop,
    /// <summary>Answer normally, but only after a delay.</summary>
    Delay,
    /// <summary>Accept the request and never answer (until the client gives up or the emulator stops).</summary>
    Hang,
    /// <summary>Answer 200 with a body that is not JSON.</summary>
    Malformed,
    /// <summary>Watches only: answer the watch with one ERROR event carrying a 410 Gone Status (a compacted resourceVersion).</summary>
    WatchGone,
    /// <summary>Watches only: start the watch, send its headers, then drop the connection.</summary>
    WatchDrop,
}

/// <summary>One fault: its kind and the details some kinds use.</summary>
public sealed record Fault(FaultKind Kind)
{
    public int StatusCode { get; init; } = 500;
    public TimeSpan? RetryAfter { get; init; }
    public TimeSpan Delay { get; init; }
    public string? Message { get; init; }

    public static Fault Status(int code, TimeSpan? retryAfter = null, string? message = null) =>
        new(FaultKind.Status) { StatusCode = code, RetryAfter = retryAfter, Message = message };
    public static Fault Rebalance() => new(FaultKind.Rebalance) { StatusCode = 409 };
    public static Fault Drop() => new(FaultKind.Drop);
    public static Fault Slow(TimeSpan delay) => new(FaultKind.Delay) { Delay = delay };
    public static Fault Hang() => new(FaultKind.Hang);
    public static Fault Malformed() => new(FaultKind.Malformed);
    public static Fault WatchGone() => new(FaultKind.WatchGone) { StatusCode = 410 };
    public static Fault WatchDrop() => new(FaultKind.WatchDrop);
}

/// <summary>A rule of the plan: requests matching method and path pattern get the fault, <see cref="Remaining"/> times, after <see cref="Skip"/> matches pass.</summary>
public sealed class FaultRule(Fault fault, int count, string? pathContains, string? method, int skip)
{
    public Fault Fault { get; } = fault;
    public int Remaining { get; internal set; } = count;
    public int Skip { get; internal set; } = skip;
    public string? PathContains { get; } = pathContains;
    public string? Method { get; } = method;

    /// <summary>Matches against the path plus query ("/connectors/a/restart?includeTasks=true") and, if set, the method.</summary>
    public bool Matches(string requestMethod, string target) =>
        Remaining > 0
        && (PathContains is null || target.Contains(PathContains, StringComparison.Ordinal))
        && (Method is null || string.Equals(Method, requestMethod, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Faults on demand for an emulator: method + path pattern → fault, count (and how many matching requests pass
/// first). Rules are consulted in the order they were added; every emulator uses the same plan. Thread-safe.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock gate = new();
    private readonly List<FaultRule> rules = [];

    /// <summary>The next <paramref name="count"/> requests that match (after <paramref name="skip"/> matching ones pass) get <paramref name="fault"/>.</summary>
    public FaultPlan Add(Fault fault, int count = 1, string? pathContains = null, string? method = null, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        lock (gate)
        {
            rules.Add(new FaultRule(fault, count, pathContains, method, skip));
        }

        return this;
    }

    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
        }
    }

    /// <summary>How many faults of the plan are still to be used.</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                return rules.Sum(r => r.Remaining);
            }
        }
    }

    /// <summary>Uses up one application of the first matching rule of the given kinds, if any; a rule still skipping counts the request down instead.</summary>
    public Fault? Take(string method, string target, params FaultKind[] kinds)
    {
        lock (gate)
        {
            foreach (var rule in rules.Where(r => kinds.Contains(r.Fault.Kind) && r.Matches(method, target)))
            {
                if (rule.Skip > 0)
                {
                    rule.Skip--;
                    continue;
                }

                rule.Remaining--;
                return rule.Fault;
            }

            return null;
        }
    }
}
