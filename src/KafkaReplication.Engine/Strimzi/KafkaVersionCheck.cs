using System.Text.RegularExpressions;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Strimzi;

/// <summary>
/// -KafkaVersion against the Kafka versions the operator supports (its STRIMZI_KAFKA_CONNECT_IMAGES). Upstream Strimzi
/// refuses an unlisted spec.version only when it reconciles the KafkaConnect, after everything was applied; a vendor
/// build (the guide's 3.8.0.1.2) is listed only by that vendor's operator, so it is a warning, not a failure.
/// </summary>
public static partial class KafkaVersionCheck
{
    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex Upstream();

    public static ValidationFinding? Check(string? kafkaVersion, DetectedStrimzi strimzi, string target)
    {
        var supported = strimzi.SupportedKafkaVersions;
        if (kafkaVersion is null || supported.Count == 0 || supported.Contains(kafkaVersion, StringComparer.Ordinal)) return null;
        var list = string.Join(", ", supported);
        return Upstream().IsMatch(kafkaVersion)
            ? new ValidationFinding(FindingSeverity.Error, "KafkaVersionNotSupported",
                $"Kafka {kafkaVersion} is not one of the versions the Strimzi operator supports ({list}); it would refuse the KafkaConnect. Give one of them, or leave -KafkaVersion out for the operator's default.", target)
            : new ValidationFinding(FindingSeverity.Warning, "KafkaVersionNotListed",
                $"Kafka version '{kafkaVersion}' (a vendor build?) is not among the versions the Strimzi operator lists ({list}); the operator refuses the KafkaConnect unless its own image list has it.", target);
    }
}
