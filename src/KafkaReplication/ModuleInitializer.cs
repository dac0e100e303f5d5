using System.Management.Automation;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Session;

namespace KafkaReplication;

/// <summary>
/// Removal of the cmdlet assembly: closes the clients kept between calls, then unloads the Kafka client's collectible
/// context and frees librdkafka (<see cref="KafkaClients.Release"/>). Imported through the manifest, the cmdlet
/// assembly is in the default context and the engine with every dependency in the module's private context
/// (KafkaReplication.Loader, imported first as the manifest's nested module); Confluent.Kafka and librdkafka are in a
/// context of their own below the engine's.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyCleanup
{
    /// <summary>
    /// How long removal waits for native Kafka clients that are still closing (a client's destroy waits for requests in
    /// flight). What is still closing after that keeps librdkafka loaded (safe), to be freed by a later release.
    /// </summary>
    internal static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // Clients kept for the next cmdlet call hold connections and credentials: none outlives the module.
        ClientPool.Shared.Clear();
        KafkaClients.Shared.Release(CloseWait);
    }
}
