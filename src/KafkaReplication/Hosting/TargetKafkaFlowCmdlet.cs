using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Hosting;

/// <summary>A flow cmdlet that reads the target Kafka cluster.</summary>
public abstract class TargetKafkaFlowCmdlet : ConnectorApiCmdlet
{
    /// <summary>The target cluster; default: the KafkaConnect's bootstrapServers without security.</summary>
    [Parameter]
    public ReplicationClusterReference? Target { get; set; }

    /// <summary>Bootstrap servers of the target reachable from here.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetBootstrapServers { get; set; }

    /// <summary>Extra librdkafka settings for the target client, applied last.</summary>
    [Parameter]
    public Hashtable? TargetKafkaConfig { get; set; }

    private readonly Dictionary<(string, string), Engine.Kafka.KafkaGateway> _targets = new();

    protected Engine.Kafka.KafkaGateway OpenTargetKafka(Engine.Workflows.FlowHandle flow)
    {
        if (_targets.TryGetValue((flow.Namespace, flow.Name), out var known)) return known;
        var kube = Kube;
        var cluster = Run(ct => KafkaConnections.TargetAsync(kube, flow, Target, TargetKafkaConfig, ct));
        var gateway = KafkaConnections.Gateway(cluster, TargetBootstrapServers, TargetKafkaConfig, Log);
        WriteVerbose($"Target Kafka: {gateway.Settings}");
        _targets[(flow.Namespace, flow.Name)] = gateway;
        return gateway;
    }

    protected override void EndProcessing()
    {
        foreach (var g in _targets.Values) g.Dispose();
        _targets.Clear();
        base.EndProcessing();
    }
}
