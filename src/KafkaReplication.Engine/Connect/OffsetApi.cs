namespace KafkaReplication.Engine.Connect;

/// <summary>The path for connector offsets and states.</summary>
public enum OffsetApi
{
    /// <summary>Strimzi 0.44+ KafkaConnector annotations where the operator supports them (and no -ConnectUri is given), else Connect REST.</summary>
    Auto,
    ConnectRest,
    StrimziAnnotations,
}
