using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;

namespace KafkaReplication.Hosting;

/// <summary>
/// A flow cmdlet that also reads the source Kafka cluster. Connection settings come from -Source, or else from the
/// flow's own source ConfigMap and Secret; -SourceBootstrapServers and -KafkaConfig override them, since in-cluster
/// addresses are often unreachable from a workstation.
/// </summary>
public abstract class KafkaFlowCmdlet : ConnectorApiCmdlet
{
    /// <summary>The source cluster; default: rebuilt from the flow's source ConfigMap and Secret.</summary>
    [Parameter]
    public ReplicationClusterReference? Source { get; set; }

    /// <summary>Bootstrap servers of the source reachable from here (a port-forward, a load balancer).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceBootstrapServers { get; set; }

    /// <summary>Extra librdkafka settings for the source client, applied last (e.g. @{ 'ssl.ca.location' = './ca.pem' }).</summary>
    [Parameter]
    public Hashtable? KafkaConfig { get; set; }

    private readonly Dictionary<(string, string), ISourceKafka> _kafka = new();

    protected ISourceKafka OpenSourceKafka(FlowHandle flow)
    {
        if (_kafka.TryGetValue((flow.Namespace, flow.Name), out var known)) return known;
        var kube = Kube;
        var cluster = Source ?? Run(ct => SourceClusterResolver.ResolveAsync(kube, flow, ct));
        var extra = KafkaConfig?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "");
        var kafka = SourceKafka.Create(cluster, SourceBootstrapServers, extra, Log);
        WriteVerbose($"Source Kafka: {kafka.Gateway.Settings}");
        _kafka[(flow.Namespace, flow.Name)] = kafka;
        return kafka;
    }

    protected override void EndProcessing()
    {
        foreach (var k in _kafka.Values) k.Dispose();
        _kafka.Clear();
        base.EndProcessing();
    }
}
