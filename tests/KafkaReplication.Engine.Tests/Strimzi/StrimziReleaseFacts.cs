namespace KafkaReplication.Engine.Tests.Strimzi;

/// <summary>
/// Facts from each Strimzi release's CRDs and operator, written out here (not derived from the engine) so the
/// tests compare the rendered objects with upstream, not with the engine's own table. Sources in
/// strimzi/strimzi-kafka-operator at each release tag:
/// served versions: packaging/install/cluster-operator/041-Crd-kafkaconnect.yaml, 047-Crd-kafkaconnector.yaml
/// (spec.versions[].served); KafkaConnect v1 required fields: api/src/main/java/io/strimzi/api/kafka/model/connect/
/// KafkaConnectSpec.java (@RequiredInVersions("v1+") on groupId, configStorageTopic, statusStorageTopic,
/// offsetStorageTopic); KafkaConnector spec.pause: api/.../model/connector/AbstractConnectorSpec.java (deprecated
/// since 0.38, not in v1); worker file: cluster-operator/src/main/java/io/strimzi/operator/cluster/model/
/// KafkaConnectConfigurationBuilder.java and its test (placeholders from 0.46, PEM truststore from 0.47).
/// </summary>
public sealed record StrimziReleaseFacts(
    string Release,
    string[] Served,
    string[] ConnectRequiredSpec,
    string[] ConnectForbiddenConfig,
    bool ConnectorHasPause,
    bool WorkerFileHasRealSecurityValues,
    bool WorkerFileHasTruststoreLocation)
{
    private static readonly string[] StorageFields = { "groupId", "configStorageTopic", "offsetStorageTopic", "statusStorageTopic" };
    private static readonly string[] StorageKeys = { "group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic" };

    public static readonly StrimziReleaseFacts V0_43 = new("0.43", new[] { "v1beta2" }, new[] { "bootstrapServers" }, Array.Empty<string>(), true, true, true);
    public static readonly StrimziReleaseFacts V0_46 = new("0.46", new[] { "v1beta2" }, new[] { "bootstrapServers" }, Array.Empty<string>(), true, false, true);
    public static readonly StrimziReleaseFacts V0_47 = new("0.47", new[] { "v1beta2" }, new[] { "bootstrapServers" }, Array.Empty<string>(), true, false, false);
    // 0.49 serves v1 (storage fields required there) next to the deprecated v1beta2.
    public static readonly StrimziReleaseFacts V0_49 = new("0.49", new[] { "v1", "v1beta2" }, ["bootstrapServers", .. StorageFields], Array.Empty<string>(), false, false, false);
    public static readonly StrimziReleaseFacts V1_0 = new("1.0", new[] { "v1" }, ["bootstrapServers", .. StorageFields], StorageKeys, false, false, false);

    public static IEnumerable<object[]> All() => new[] { V0_43, V0_46, V0_47, V0_49, V1_0 }.Select(f => new object[] { f.Release });

    public static StrimziReleaseFacts Of(string release) => new[] { V0_43, V0_46, V0_47, V0_49, V1_0 }.Single(f => f.Release == release);

    /// <summary>The apiVersion a client should use: v1 where served.</summary>
    public string ApiVersion => "kafka.strimzi.io/" + (Served.Contains("v1") ? "v1" : "v1beta2");
}
