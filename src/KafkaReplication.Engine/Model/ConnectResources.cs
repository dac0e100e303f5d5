namespace KafkaReplication.Engine.Model;

/// <summary>
/// CPU and memory requests and limits of the Kafka Connect pods (KafkaConnect spec.resources), as Kubernetes
/// quantities ("500m", "2", "1Gi"). Null values are left out.
/// </summary>
public sealed record ConnectResources
{
    public string? CpuRequest { get; init; }
    public string? MemoryRequest { get; init; }
    public string? CpuLimit { get; init; }
    public string? MemoryLimit { get; init; }

    public bool IsEmpty => CpuRequest is null && MemoryRequest is null && CpuLimit is null && MemoryLimit is null;

    public override string ToString() =>
        $"requests cpu={CpuRequest ?? "-"} memory={MemoryRequest ?? "-"}; limits cpu={CpuLimit ?? "-"} memory={MemoryLimit ?? "-"}";
}
