using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Monitoring;

namespace KafkaReplication.Engine.Failover;

/// <summary>What the runbook steps read and change: the flow, both clusters, the connectors, the groups.</summary>
public sealed class FailoverContext
{
    public required KubeGateway Kube { get; init; }
    public required FlowHandle Flow { get; init; }
    public required IKafkaGateway Source { get; init; }
    public required IKafkaGateway Target { get; init; }
    public required IConnectorStates States { get; init; }
    public required IConnectorOffsets Offsets { get; init; }
    public required IReadOnlyList<string> Groups { get; init; }
    public required IOperationLog Log { get; init; }
    /// <summary>Overrides the computed checkpoint wait and bounds the other waits.</summary>
    public TimeSpan? WaitTimeout { get; init; }

    /// <summary>The flow's topics where its topic filter names them literally (for the steps that tell clients what to subscribe to).</summary>
    public IReadOnlyList<string> TopicNames { get; init; } = Array.Empty<string>();

    public FlowConnector? CheckpointConnector => Flow.Connectors.FirstOrDefault(c => c.Role == "checkpoint");

    /// <summary>
    /// The guide's wait for checkpoints: 2 × (emit.checkpoints.interval.seconds + sync.group.offsets.interval.seconds),
    /// from the flow's checkpoint connector (MM2's defaults, 60 s each, where unset).
    /// </summary>
    public TimeSpan CheckpointWait
    {
        get
        {
            var config = CheckpointConnector?.Config;
            static int Seconds(object? v) => int.TryParse(v?.ToString(), out var s) && s > 0 ? s : 60;
            return TimeSpan.FromSeconds(2 * (Seconds(config?["emit.checkpoints.interval.seconds"]) + Seconds(config?["sync.group.offsets.interval.seconds"])));
        }
    }

    public TimeSpan OtherWaits => WaitTimeout ?? TimeSpan.FromMinutes(10);

    private IReadOnlyList<(string Topic, int Partition)>? _sourcePartitions;

    public async Task<IReadOnlyList<(string Topic, int Partition)>> SourcePartitionsAsync(CancellationToken ct)
    {
        if (_sourcePartitions is not null) return _sourcePartitions;
        var regexes = new List<string>();
        foreach (var c in Flow.SourceConnectors)
            regexes.AddRange(await ReplicationStateReader.TopicRegexesAsync(Kube, Flow.Namespace, c, ct).ConfigureAwait(false));
        return _sourcePartitions = await new SourceKafka(Source).ListPartitionsAsync(regexes, ct).ConfigureAwait(false);
    }

    public IReadOnlyList<(string Topic, int Partition)> TargetPartitions(IReadOnlyList<(string Topic, int Partition)> source) =>
        source.Select(p => (Flow.TargetTopicFor(p.Topic), p.Partition)).ToList();
}
