namespace KafkaReplication.Engine.Model;

/// <summary>
/// A secret the module must carry to the cluster but never show: ToString, formatting and
/// serialisation all yield a mask, and only the manifest builder calls <see cref="Reveal"/>.
/// </summary>
public sealed class SecretValue : IEquatable<SecretValue>
{
    public const string Mask = "********";
    private readonly string _value;

    public SecretValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Where the value came from (a file path, an environment variable name or "credential"), safe to print.</summary>
    public string Origin { get; init; } = "parameter";

    public int Length => _value.Length;

    internal string Reveal() => _value;

    public override string ToString() => Mask;

    public bool Equals(SecretValue? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);
    public override bool Equals(object? obj) => Equals(obj as SecretValue);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
