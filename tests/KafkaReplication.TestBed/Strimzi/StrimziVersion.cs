namespace KafkaReplication.TestBed.Strimzi;

/// <summary>The operator release to emulate: 0.43 (Cloudera Streams Messaging Operator 1.2's) or 0.45 (offsets without REST).</summary>
public enum StrimziVersion
{
    /// <summary>Strimzi 0.43.0 with Kafka 3.8.0.</summary>
    V0_43,

    /// <summary>Strimzi 0.45.0: adds KafkaConnector spec.listOffsets / spec.alterOffsets and the strimzi.io/connector-offsets annotation (0.44+).</summary>
    V0_45,
}
