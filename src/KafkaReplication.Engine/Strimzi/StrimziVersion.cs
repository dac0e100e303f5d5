using System.Globalization;
using System.Text.RegularExpressions;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Strimzi;

/// <summary>
/// A Strimzi release (major.minor) and what the module must do differently for it. Every fact is from
/// strimzi/strimzi-kafka-operator at that release:
/// <list type="bullet">
/// <item>Served API versions: packaging/install/cluster-operator/04x-Crd-*.yaml, spec.versions[].served.</item>
/// <item>The worker file /tmp/strimzi-connect.properties: cluster-operator/.../model/KafkaConnectConfigurationBuilder.java.
/// Up to 0.45 it holds the real truststore password and JAAS config; from 0.46 config-provider placeholders
/// (<c>${strimzienv:CERTS_STORE_PASSWORD}</c>, <c>${strimzidir:/opt/kafka/connect-password/...}</c>) that Kafka's
/// ConfigTransformer does not resolve a second time inside a connector's config; from 0.47 the truststore is PEM
/// (<c>ssl.truststore.certificates=${strimzisecrets:...}</c>) and ssl.truststore.location/password are not written
/// (KafkaConnectConfigurationBuilderTest.java).</item>
/// <item>KafkaConnect v1: spec.groupId, configStorageTopic, offsetStorageTopic, statusStorageTopic are
/// <c>@RequiredInVersions("v1+")</c> (api/.../model/connect/KafkaConnectSpec.java); group.id and the storage-topic keys
/// in spec.config are deprecated in 0.49 and forbidden from 1.0.</item>
/// <item>KafkaConnector v1 has no spec.pause (deprecated since 0.38 in api/.../model/connector/AbstractConnectorSpec.java,
/// dropped from the v1 schema).</item>
/// </list>
/// </summary>
public sealed partial record StrimziVersion : IComparable<StrimziVersion>
{
    public StrimziVersion(int major, int minor)
    {
        if (major < 0 || minor < 0) throw new ArgumentOutOfRangeException(nameof(major));
        Major = major;
        Minor = minor;
    }

    public int Major { get; }
    public int Minor { get; }

    /// <summary>The vendor guide's release (Cloudera Streams Messaging Operator 1.2 ships Strimzi 0.43.0).</summary>
    public static readonly StrimziVersion Default = new(0, 43);

    /// <summary>The oldest release the module supports.</summary>
    public static readonly StrimziVersion Oldest = new(0, 43);

    public static readonly StrimziVersion V0_46 = new(0, 46);
    public static readonly StrimziVersion V0_49 = new(0, 49);
    public static readonly StrimziVersion V1_0 = new(1, 0);

    [GeneratedRegex(@"^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4}))?(?:[-+.].*)?$")]
    private static partial Regex Pattern();

    /// <summary>"0.43", "0.43.0", "1.0.1", "v0.45.0", "0.43.0-2" (an image tag); null when it is none of these.</summary>
    public static StrimziVersion? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return null;
        return new StrimziVersion(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    public static StrimziVersion Parse(string text) =>
        TryParse(text) is { } v && v >= Oldest
            ? v
            : throw ReplicationException.Invalid("StrimziVersionInvalid",
                $"'{text}' is not a Strimzi version the module supports: give major.minor (for example 0.43, 0.46, 0.49 or 1.0), 0.43 or later.", text);

    /// <summary>The kafka.strimzi.io versions this release's CRDs serve, preferred first.</summary>
    public IReadOnlyList<string> ServedApiVersions =>
        this >= V1_0 ? new[] { "v1" } : this >= V0_49 ? new[] { "v1", "v1beta2" } : new[] { "v1beta2" };

    /// <summary>The apiVersion the module writes and reads for this release: v1 where served.</summary>
    public string ApiVersion => StrimziApi.Preferred(ServedApiVersions)!;

    public bool UsesV1Api => ApiVersion == StrimziApi.V1;

    /// <summary>
    /// Up to 0.45 the worker file holds the target's real security values, so connectors may read them with
    /// <c>${file:/tmp/strimzi-connect.properties:...}</c> as the guide does; from 0.46 they must come from the flow's
    /// own ConfigMaps and Secrets.
    /// </summary>
    public bool WorkerFileHoldsSecurityValues => this < V0_46;

    /// <summary>ssl.truststore.location and ssl.truststore.password are in the worker file only before 0.47.</summary>
    public bool WorkerFileHasTruststoreLocation => this < new StrimziVersion(0, 47);

    /// <summary>KafkaConnect spec.groupId and the three storage topics as spec fields (required by the v1 schema).</summary>
    public bool ConnectStorageInSpec => UsesV1Api;

    /// <summary>group.id and the storage-topic keys are refused in KafkaConnect spec.config from 1.0.</summary>
    public bool StorageKeysForbiddenInConfig => this >= V1_0;

    /// <summary>KafkaConnector spec.pause exists only in v1beta2.</summary>
    public bool ConnectorHasPauseField => !UsesV1Api;

    /// <summary>KafkaConnector offsets through spec.listOffsets/alterOffsets and strimzi.io/connector-offsets (0.44+).</summary>
    public bool ConnectorOffsetsAnnotation => this >= new StrimziVersion(0, 44);

    /// <summary>The Connect worker keys that name the Connect group and its internal topics.</summary>
    public static readonly IReadOnlyList<string> StorageConfigKeys = new[] { "group.id", "offset.storage.topic", "config.storage.topic", "status.storage.topic" };

    public int CompareTo(StrimziVersion? other) =>
        other is null ? 1 : Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(StrimziVersion a, StrimziVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(StrimziVersion a, StrimziVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(StrimziVersion a, StrimziVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(StrimziVersion a, StrimziVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
