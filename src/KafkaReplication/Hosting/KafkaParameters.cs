using System.Collections;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Session;

namespace KafkaReplication.Hosting;

/// <summary>Turns a cmdlet's Kafka parameters (-Source/-Target, -*BootstrapServers, -*KafkaConfig) into an engine endpoint.</summary>
internal static class KafkaParameters
{
    public static KafkaEndpoint Endpoint(ReplicationClusterReference? cluster, string? bootstrapServers, Hashtable? config) =>
        new(cluster, bootstrapServers, config?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? ""));
}
