namespace KafkaReplication.Engine.Model;

/// <summary>
/// A Kafka Connect predicate (connector keys <c>predicates.&lt;name&gt;.*</c>) that decides which records a transform
/// applies to. String settings may hold <see cref="ReplicationTransform.SourceAliasToken"/> and
/// <see cref="ReplicationTransform.TargetAliasToken"/>, rendered as references to the flow's aliases.
/// </summary>
public abstract record ReplicationPredicate
{
    public required string Name { get; init; }

    /// <summary>Short kind shown in tables (TopicNameMatches, HasHeaderKey, RecordIsTombstone).</summary>
    public abstract string Kind { get; }

    /// <summary>The predicate class (<c>predicates.&lt;name&gt;.type</c>).</summary>
    public abstract string TypeClass { get; }

    /// <summary>Settings under <c>predicates.&lt;name&gt;.</c>, in the order they are written.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, object>> Settings { get; }

    public string Description => string.Join(", ", Settings.Select(s => $"{s.Key}={s.Value}"));

    public sealed override string ToString() => $"{Name} ({Kind}{(Settings.Count == 0 ? "" : ": " + Description)})";
}

/// <summary>True for records whose topic name matches a Java regular expression (whole name).</summary>
public sealed record TopicNameMatchesPredicate : ReplicationPredicate
{
    public const string Class = "org.apache.kafka.connect.transforms.predicates.TopicNameMatches";
    public required string Pattern { get; init; }
    public override string Kind => "TopicNameMatches";
    public override string TypeClass => Class;
    public override IReadOnlyList<KeyValuePair<string, object>> Settings => new[] { new KeyValuePair<string, object>("pattern", Pattern) };
}

/// <summary>True for records that carry a header with the given key.</summary>
public sealed record HasHeaderKeyPredicate : ReplicationPredicate
{
    public const string Class = "org.apache.kafka.connect.transforms.predicates.HasHeaderKey";
    public required string HeaderName { get; init; }
    public override string Kind => "HasHeaderKey";
    public override string TypeClass => Class;
    public override IReadOnlyList<KeyValuePair<string, object>> Settings => new[] { new KeyValuePair<string, object>("name", HeaderName) };
}

/// <summary>True for tombstones (records with a null value).</summary>
public sealed record RecordIsTombstonePredicate : ReplicationPredicate
{
    public const string Class = "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone";
    public override string Kind => "RecordIsTombstone";
    public override string TypeClass => Class;
    public override IReadOnlyList<KeyValuePair<string, object>> Settings => Array.Empty<KeyValuePair<string, object>>();
}
