using KafkaReplication.Engine;
using KafkaReplication.Engine.Kafka;

namespace KafkaReplication.Kafka;

/// <summary>The entry point the engine finds by name in the Kafka client context (Engine/Kafka/KafkaClients.cs).</summary>
public sealed class KafkaGatewayFactory : IKafkaGatewayFactory
{
    /// <param name="closing">Where the context's clients close; the engine waits for it before freeing librdkafka.</param>
    public KafkaGatewayFactory(ClosingClients closing) => Closing.Clients = closing;

    public IKafkaGateway Create(KafkaClientSettings settings, IOperationLog? log, RequestLimits? limits) => new KafkaGateway(settings, log, limits);
}
