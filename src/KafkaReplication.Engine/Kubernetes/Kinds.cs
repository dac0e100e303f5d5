namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// The Kubernetes kinds the module writes or reads, named once (the Strimzi kinds from strimzi/strimzi-kafka-operator
/// api/.../model/connect/KafkaConnect.java and api/.../model/connector/KafkaConnector.java; the rest are core/RBAC kinds).
/// </summary>
public static class Kinds
{
    public const string KafkaConnect = "KafkaConnect";
    public const string KafkaConnector = "KafkaConnector";
    public const string Namespace = "Namespace";
    public const string ConfigMap = "ConfigMap";
    public const string Secret = "Secret";
    public const string ServiceAccount = "ServiceAccount";
    public const string Role = "Role";
    public const string RoleBinding = "RoleBinding";
}
