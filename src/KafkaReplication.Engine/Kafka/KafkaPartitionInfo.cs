namespace KafkaReplication.Engine.Kafka;

/// <summary>One partition as the cluster's metadata describes it. LeaderId is -1 while the partition has no leader.</summary>
public sealed record KafkaPartitionInfo(string Topic, int Partition, int LeaderId, IReadOnlyList<int> Replicas, IReadOnlyList<int> InSyncReplicas)
{
    public (string Topic, int Partition) Key => (Topic, Partition);

    public override string ToString() => $"{Topic}[{Partition}] leader {LeaderId}";
}
