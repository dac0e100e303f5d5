namespace KafkaReplication.TestBed.Strimzi;

/// <summary>The operator release to emulate. What changes between them is in <see cref="StrimziReleases"/>.</summary>
public enum StrimziVersion
{
    /// <summary>Strimzi 0.43.0 with Kafka 3.8.0 (Cloudera Streams Messaging Operator 1.2's).</summary>
    V0_43,

    /// <summary>Strimzi 0.45.0: adds KafkaConnector spec.listOffsets / spec.alterOffsets and the strimzi.io/connector-offsets annotation (0.44+).</summary>
    V0_45,

    /// <summary>Strimzi 0.46: the worker file holds config-provider placeholders instead of the security values.</summary>
    V0_46,

    /// <summary>Strimzi 0.47: PEM truststore in the worker file; ssl.truststore.location/password no longer written.</summary>
    V0_47,

    /// <summary>Strimzi 0.49: serves kafka.strimzi.io v1 next to the deprecated v1beta2.</summary>
    V0_49,

    /// <summary>Strimzi 1.0: serves v1 only; KafkaConnect needs spec.groupId and the storage topics, refuses them in spec.config.</summary>
    V1_0,
}
