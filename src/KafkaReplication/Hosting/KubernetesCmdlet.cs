using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Session;

namespace KafkaReplication.Hosting;

/// <summary>
/// A cmdlet that talks to a Kubernetes cluster (and through it to Kafka Connect and Kafka): kubeconfig resolution
/// like kubectl, and the per-request limit. Connections come from <see cref="ReplicationCmdlet.Session"/>.
/// </summary>
public abstract class KubernetesCmdlet : ReplicationCmdlet
{
    /// <summary>Path of a kubeconfig file; default: KUBECONFIG, then ~/.kube/config, then in-cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>kubeconfig context to use instead of the current one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.KubeContextCompleter))]
    public string? Context { get; set; }

    /// <summary>How long one request to a server may take (default 30 s; set it once with $PSDefaultParameterValues['*:RequestTimeout']).</summary>
    [Parameter]
    [ValidateTimeout(3600)]
    public TimeSpan RequestTimeout { get; set; } = RequestLimits.Default.Request;

    private protected override ReplicationSession CreateSession() => CreateKubeSession(this, Kubeconfig, Context, RequestTimeout);

    /// <summary>A session for a cluster; the kubeconfig path is resolved here, on the pipeline thread (it needs the session state).</summary>
    internal static ReplicationSession CreateKubeSession(ReplicationCmdlet cmdlet, string? kubeconfig, string? context, TimeSpan requestTimeout) =>
        new(cmdlet, new RequestLimits { Request = requestTimeout },
            new KubeTarget(kubeconfig is null ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(kubeconfig), context));

    /// <summary>The gateway; read it on the pipeline thread, before handing it to engine work.</summary>
    protected KubeGateway Kube => Session.Kube;

    protected string DefaultNamespace => Session.DefaultNamespace;

    /// <summary>A deployed flow, resolved once per invocation and namespace.</summary>
    protected FlowHandle ResolveFlow(string ns, string flow) => Run(ct => Session.FlowAsync(ns, flow, ct));

    /// <summary>The Connect REST client of the flow's Connect cluster (one route per flow per invocation).</summary>
    protected ConnectRestClient OpenConnect(FlowHandle flow, ConnectEndpoint endpoint) => Run(ct => Session.ConnectAsync(flow, endpoint, ct));

    /// <summary>The offsets and state path for the flow (REST or Strimzi annotations), chosen once per invocation.</summary>
    protected (IConnectorOffsets Offsets, IConnectorStates States) ConnectorAccess(FlowHandle flow, ConnectEndpoint endpoint, OffsetApi api, TimeSpan annotationTimeout) =>
        Run(ct => Session.ConnectorAccessAsync(flow, endpoint, api, annotationTimeout, ct));

    /// <summary>A connector as Get-ReplicationConnector shows it: Connect's status and the KafkaConnector's conditions.</summary>
    protected ReplicationConnector Describe(FlowHandle flow, FlowConnector connector, ConnectEndpoint endpoint)
    {
        var connect = OpenConnect(flow, endpoint);
        var kube = Kube;
        var resource = Run(ct => kube.GetAsync(FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnector, flow.Namespace, connector.Name, ct));
        return Run(ct => ConnectorControl.DescribeAsync(connect, flow, connector, resource, ct));
    }
}
