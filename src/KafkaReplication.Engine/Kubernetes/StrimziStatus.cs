using System.Text.Json.Nodes;
using KafkaReplication.Engine.Flows;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// The one reading of a Strimzi object's status (KafkaConnect, KafkaConnector): has the operator reconciled the
/// current spec (status.observedGeneration ≥ metadata.generation; Strimzi's Status class in
/// api/src/main/java/io/strimzi/api/kafka/model/kafka/Status.java), and is it Ready. A missing observedGeneration
/// means the operator has not reconciled the object yet: not observed, never "ready by default".
/// </summary>
public readonly record struct StrimziStatus(long Generation, long? ObservedGeneration, bool? Ready, string? Reason)
{
    public static StrimziStatus Of(JsonObject? o)
    {
        var (ready, reason) = FlowInventory.ReadyCondition(o);
        return new StrimziStatus((long?)o?["metadata"]?["generation"] ?? 0, (long?)o?["status"]?["observedGeneration"], ready, reason);
    }

    /// <summary>The operator has acted on the current spec.</summary>
    public bool Observed => ObservedGeneration is { } observed && observed >= Generation;

    /// <summary>The current spec is reconciled and the object is Ready.</summary>
    public bool Settled => Observed && Ready == true;

    /// <summary>Why it is not settled, for progress and timeout messages.</summary>
    public string Pending => !Observed
        ? $"operator at generation {ObservedGeneration?.ToString() ?? "none"} of {Generation}{(Ready == false ? $", not ready: {Reason}" : "")}"
        : $"not ready{(Reason is null ? "" : $" ({Reason})")}";
}
