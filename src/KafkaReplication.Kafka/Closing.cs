using KafkaReplication.Engine.Kafka;

namespace KafkaReplication.Kafka;

/// <summary>
/// Where this context's native clients close in the background: the set of the context's <see cref="KafkaGatewayFactory"/>
/// (statics are per context), or one of its own where gateways are made directly (tests, benchmarks).
/// </summary>
internal static class Closing
{
    public static ClosingClients Clients { get; set; } = new();

    public static void InBackground(Action close) => Clients.InBackground(close);
}
