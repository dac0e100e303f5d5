namespace KafkaReplication.Engine.Model;

/// <summary>One result of checking a flow: what is wrong (or worth knowing), and about which object.</summary>
public sealed record ValidationFinding(FindingSeverity Severity, string Code, string Message, string Target)
{
    public override string ToString() => $"{Severity} {Code}: {Message}";
}
