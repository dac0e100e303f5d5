using System.Text.RegularExpressions;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Validation;

/// <summary>
/// Offline checks of a flow definition (names, aliases, regexes, security combinations), followed by the checks of
/// the manifests it renders (<see cref="ManifestValidator"/>), so both the input and the result are verified.
/// </summary>
public static class FlowValidator
{
    // Strimzi derives "<name>-connect-api" (a Service, 63 characters at most) from the KafkaConnect name.
    public const int MaxConnectClusterNameLength = 51;

    /// <param name="knownTopics">Topic names that exist, tried when the topic filters of several source connectors are compared.</param>
    public static IReadOnlyList<ValidationFinding> Validate(ReplicationFlowDefinition f, IReadOnlyList<string>? knownTopics = null)
    {
        var findings = new List<ValidationFinding>();
        void Error(string code, string message, string target) => findings.Add(new(FindingSeverity.Error, code, message, target));
        void Warn(string code, string message, string target) => findings.Add(new(FindingSeverity.Warning, code, message, target));

        if (!KubernetesNames.IsDnsLabel(f.Name, 40))
            Error("InvalidFlowName", $"Flow name '{f.Name}' must be a DNS-1123 label of at most 40 characters (lower-case letters, digits, '-'): object names are derived from it.", f.Name);
        if (!KubernetesNames.IsDnsLabel(f.Namespace))
            Error("InvalidNamespace", $"Namespace '{f.Namespace}' must be a DNS-1123 label (lower-case letters, digits, '-', at most 63 characters).", f.Namespace);
        if (!KubernetesNames.IsDnsLabel(f.ConnectClusterName, MaxConnectClusterNameLength))
            Error("InvalidConnectClusterName", $"Connect cluster name '{f.ConnectClusterName}' must be a DNS-1123 label of at most {MaxConnectClusterNameLength} characters (Strimzi appends '-connect-api').", f.ConnectClusterName);
        if (string.Equals(f.Source.Alias, f.Target.Alias, StringComparison.Ordinal))
            Error("SameAlias", $"Source and target have the same alias '{f.Source.Alias}': MirrorMaker 2 uses aliases to name remote topics and detect loops.", f.Source.Alias);

        if (f.Topics.Count == 0 && !f.HasSourceConnectorList)
            Error("TopicsRequired", "Give at least one topic or topic regex to replicate (-Topics), or source connectors with their topics (-SourceConnectors).", f.Name);
        foreach (var t in f.Topics) CheckRegex(t, "InvalidTopicRegex", "topic", findings);
        foreach (var g in f.Groups) CheckRegex(g, "InvalidGroupRegex", "group", findings);

        if (f.Target.UsesTls && f.Target.TruststoreType != TruststoreType.Pem)
            Error("TargetCaRequired", $"Target cluster '{f.Target.Alias}': Strimzi trusts the target through a PEM certificate (spec.tls.trustedCertificates); give -CaCertificatePath instead of a {f.Target.TruststoreType} truststore.", f.Target.Alias);
        if (f.TasksMax is < 1 or > 1000)
            Error("InvalidTasksMax", $"TasksMax must be 1 to 1000 (got {f.TasksMax}).", f.Name);
        if (f.ConnectReplicas is < 1 or > 100)
            Error("InvalidConnectReplicas", $"ConnectReplicas must be 1 to 100 (got {f.ConnectReplicas}).", f.Name);
        foreach (var (name, value) in new[] { ("EmitCheckpointsIntervalSeconds", f.EmitCheckpointsIntervalSeconds), ("SyncGroupOffsetsIntervalSeconds", f.SyncGroupOffsetsIntervalSeconds) })
            if (value is < 1 or > 86400)
                Error("InvalidInterval", $"{name} must be 1 to 86400 seconds (got {value}).", f.Name);
        if (f.RegistrySecretName is not null && !KubernetesNames.IsDnsSubdomain(f.RegistrySecretName))
            Error("InvalidRegistrySecretName", $"Registry Secret name '{f.RegistrySecretName}' is not a valid Kubernetes object name.", f.RegistrySecretName);
        if ((f.RegistryServer is null) != (f.RegistryPassword is null) || (f.RegistryServer is not null && (f.RegistrySecretName is null || string.IsNullOrEmpty(f.RegistryUserName))))
            Error("RegistryIncomplete", "To create the registry pull Secret give -RegistrySecretName, -RegistryServer and -RegistryCredential (user name and password) together.", f.RegistrySecretName ?? f.Name);

        if (f.NewPartitionStart == NewPartitionStart.Latest)
            Warn("AtLeastOnceViolated", "New partitions start at their latest offset (source.consumer.auto.offset.reset=latest): records already in them are not replicated, which breaks the at-least-once guarantee. Use only under special circumstances.", f.Names.SourceConnector);
        if (!f.Checkpoint && f.Groups.Count > 0)
            Warn("GroupsWithoutCheckpoint", "Groups are given but the flow has no checkpoint connector, so no group offsets are synchronised.", f.Name);
        if (!f.Checkpoint && f.ReplicationPolicy == ReplicationPolicy.Default)
            Warn("CheckpointMissing", "The flow has no checkpoint connector: consumer group offsets are not synchronised and a continuous failover is not possible.", f.Name);

        if (f.ExactlyOnce)
            findings.Add(new(FindingSeverity.Information, "ExactlyOnceCaveats", "Exactly-once: the source connectors read committed records only, so replication waits behind open transactions on the source; and it does not extend to failover or failback, where duplicates are expected.", f.Name));
        DefinitionChecks.Check(f, findings);

        if (findings.Any(x => x.Severity == FindingSeverity.Error))
            return findings; // manifests of an invalid definition would only repeat the errors

        findings.AddRange(ManifestValidator.Validate(FlowManifestBuilder.Build(f), f.Target.BootstrapServers, knownTopics));
        return findings;
    }

    private static bool CommaInsideConstruct(string pattern)
    {
        var depth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\': i++; break; // an escaped character is literal
                case '(' or '[' or '{': depth++; break;
                case ')' or ']' or '}': depth = Math.Max(0, depth - 1); break;
                case ',' when depth > 0: return true;
            }
        }
        return false;
    }

    internal static void CheckRegex(string pattern, string code, string what, List<ValidationFinding> findings)
    {
        // MirrorMaker splits its topics and groups lists on commas (ConfigDef LIST): a comma between patterns
        // separates them (as in the guide's "low.*,hi.*"), but one inside a construct such as a{1,3} or [a,b] would
        // cut the pattern in two, so it is refused. "${" starts a Connect config provider reference, resolved before
        // MirrorMaker sees a group pattern (groups are inline in the connector config).
        if (CommaInsideConstruct(pattern))
        {
            findings.Add(new(FindingSeverity.Error, code, $"The {what} pattern '{pattern}' has a comma inside {{...}}, [...] or (...); MirrorMaker splits " +
                "its lists on every comma, which would cut this pattern in two. Give the alternatives as separate patterns (a{1,3} as a, aa and aaa).", pattern));
            return;
        }
        if (what == "group" && pattern.Contains("${", StringComparison.Ordinal)) // groups are inline in the connector config
        {
            findings.Add(new(FindingSeverity.Error, code, $"The {what} pattern '{pattern}' contains '${{', which Kafka Connect reads as a config provider reference; use '\\$\\{{' to match those characters.", pattern));
            return;
        }
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            findings.Add(new(FindingSeverity.Error, code, $"The {what} pattern '{pattern}' is not a valid regular expression: {e.Message}", pattern));
        }
    }
}
