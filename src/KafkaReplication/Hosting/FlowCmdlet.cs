using System.Management.Automation;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;

namespace KafkaReplication.Hosting;

/// <summary>The path for connector offsets and states.</summary>
public enum OffsetApi { Auto, ConnectRest, StrimziAnnotations }

/// <summary>
/// A cmdlet that operates a deployed flow: binds the flow by name (from Get-ReplicationFlow or any object with Flow/Name
/// and Namespace properties).
/// </summary>
public abstract class FlowCmdlet : KubernetesCmdlet
{
    /// <summary>The flow's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.FlowNameCompleter))]
    public string Flow { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    private protected readonly Dictionary<(string, string), (FlowHandle Flow, ConnectRestClient? Connect)> Flows = new();

    protected string FlowNamespace => Namespace ?? DefaultNamespace;

    /// <summary>The flow, resolved once per invocation and namespace.</summary>
    protected FlowHandle ResolveFlow(string? ns = null, string? flow = null)
    {
        ns ??= FlowNamespace;
        flow ??= Flow;
        if (Flows.TryGetValue((ns, flow), out var known)) return known.Flow;
        var kube = Kube;
        var handle = Run(ct => FlowHandle.ResolveAsync(kube, ns, flow, ct));
        Flows[(ns, flow)] = (handle, null);
        return handle;
    }

    /// <summary>Connectors of the flow picked by role (Source, Checkpoint, Heartbeat) or name; all when none given.</summary>
    protected IReadOnlyList<FlowConnector> SelectConnectors(FlowHandle flow, string[]? selection)
    {
        if (selection is null || selection.Length == 0) return flow.Connectors;
        var picked = new List<FlowConnector>();
        foreach (var s in selection)
        {
            var matches = flow.Connectors.Where(c => string.Equals(c.Role, s, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Name, s, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
                throw new ReplicationException(ReplicationErrorKind.NotFound, "ConnectorNotInFlow",
                    $"Flow '{flow.Name}' has no connector '{s}' (roles: {string.Join(", ", flow.Connectors.Select(c => c.Role).Distinct())}; names: {string.Join(", ", flow.Connectors.Select(c => c.Name))}).", s);
            picked.AddRange(matches.Where(m => !picked.Contains(m)));
        }
        return picked;
    }

    protected override void EndProcessing()
    {
        foreach (var (_, c) in Flows.Values) c?.Dispose();
        Flows.Clear();
        base.EndProcessing();
    }
}

/// <summary>A flow cmdlet that talks to the flow's Kafka Connect REST API.</summary>
public abstract class ConnectFlowCmdlet : FlowCmdlet
{
    /// <summary>How to reach the Connect REST API: PortForward (default), ServiceProxy, or Direct with -ConnectUri.</summary>
    [Parameter]
    public ConnectAccess ConnectAccess { get; set; } = ConnectAccess.PortForward;

    /// <summary>A URL of the Connect REST API (implies -ConnectAccess Direct). User info in it is used as Basic credentials and never shown.</summary>
    [Parameter]
    public Uri? ConnectUri { get; set; }

    /// <summary>Basic credentials for -ConnectUri (e.g. an authenticating ingress in front of Connect).</summary>
    [Parameter]
    [Credential]
    public PSCredential? ConnectCredential { get; set; }

    /// <summary>PEM file of the CA that the -ConnectUri server's certificate must chain to (its host name is checked too).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConnectCaCertificatePath { get; set; }

    /// <summary>The Connect REST client of the flow's Connect cluster (one route per flow per invocation).</summary>
    protected ConnectRestClient OpenConnect(FlowHandle flow)
    {
        if (Flows.TryGetValue((flow.Namespace, flow.Name), out var known) && known.Connect is not null) return known.Connect;
        var kube = Kube;
        var access = ConnectUri is not null ? ConnectAccess.Direct : ConnectAccess;
        var direct = DirectOptions();
        var transport = Run(ct => ConnectTransportFactory.CreateAsync(kube, flow.Namespace, flow.ConnectCluster, access, direct, Log, ct));
        var client = new ConnectRestClient(transport, Log, RetryOptions);
        Flows[(flow.Namespace, flow.Name)] = (flow, client);
        return client;
    }

    private ConnectDirectOptions? DirectOptions()
    {
        if (ConnectUri is null)
        {
            if (ConnectCredential is not null || ConnectCaCertificatePath is not null)
                throw ReplicationException.Invalid("ConnectUriRequired", "-ConnectCredential and -ConnectCaCertificatePath go with -ConnectUri.");
            return null;
        }
        var (user, password) = Secrets.From(ConnectCredential, "ConnectCredential");
        return new ConnectDirectOptions(ConnectUri)
        {
            UserName = user, Password = password,
            CaCertificatePath = ConnectCaCertificatePath is null ? null : GetUnresolvedProviderPathFromPSPath(ConnectCaCertificatePath),
        };
    }

    /// <summary>Retry bounds for Connect calls; the environment variable lets tests shorten the backoff.</summary>
    private static ConnectRetryOptions RetryOptions =>
        int.TryParse(Environment.GetEnvironmentVariable("KAFKAREPLICATION_CONNECT_RETRY_MS"), out var ms)
            ? ConnectRetryOptions.Default with { BaseDelay = TimeSpan.FromMilliseconds(ms) }
            : ConnectRetryOptions.Default;
}

/// <summary>A flow cmdlet that reads or changes connector offsets, or waits on connector states: by REST or Strimzi annotations.</summary>
public abstract class ConnectorApiCmdlet : ConnectFlowCmdlet
{
    /// <summary>How offsets are read and changed, and states observed: Auto uses Strimzi 0.44+ KafkaConnector
    /// annotations where the installed operator supports them (and no -ConnectUri is given), else the Connect REST API.</summary>
    [Parameter]
    public OffsetApi OffsetApi { get; set; } = OffsetApi.Auto;

    /// <summary>How long a Strimzi annotation request may take.</summary>
    protected virtual TimeSpan ConnectorApiTimeout => TimeSpan.FromMinutes(5);

    private bool? _strimziOffsets;

    /// <summary>The offsets and state path for the flow, chosen once per invocation (and said in verbose output).</summary>
    protected (IConnectorOffsets Offsets, IConnectorStates States) ConnectorAccess(FlowHandle flow)
    {
        var kube = Kube;
        _strimziOffsets ??= OffsetApi switch
        {
            OffsetApi.StrimziAnnotations => true,
            OffsetApi.ConnectRest => false,
            _ => ConnectUri is null && Run(ct => StrimziConnectorAccess.IsSupportedAsync(kube, ct)),
        };
        if (_strimziOffsets == true)
        {
            var access = new StrimziConnectorAccess(kube, flow.Namespace, flow.Name, Log, ConnectorApiTimeout);
            WriteVerbose($"Offsets through {access.Description}.");
            return (access, access);
        }
        var rest = new RestConnectorAccess(OpenConnect(flow));
        WriteVerbose($"Offsets through {rest.Description}.");
        return (rest, rest);
    }
}
