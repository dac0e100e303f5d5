using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.TestBed.Kubernetes;
using KafkaReplication.TestBed.Strimzi;
using Xunit;

namespace KafkaReplication.Engine.Tests.Connect;

/// <summary>The Connect REST client over the routes to the Strimzi emulator's Connect pods.</summary>
public sealed class ConnectTransportTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-pf-").FullName;
    private KubernetesEmulator _k8s = null!;
    private StrimziOperatorEmulator _strimzi = null!;
    private KubeGateway _kube = null!;

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesEmulator.StartAsync();
        _strimzi = await StrimziOperatorEmulator.StartAsync(_k8s);
        _kube = new KubeGateway(KubeConnection.Connect(_k8s.WriteKubeconfig(_dir)));
        _k8s.Upsert(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns"}}""")!.AsObject());
        _k8s.Upsert(JsonNode.Parse("""{"apiVersion":"kafka.strimzi.io/v1beta2","kind":"KafkaConnect","metadata":{"name":"c1","namespace":"ns","annotations":{"strimzi.io/use-connector-resources":"true"}},"spec":{"replicas":1,"bootstrapServers":"t:9092"}}""")!.AsObject());
        await _strimzi.ReconcileNowAsync();
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _strimzi.DisposeAsync();
        await _k8s.DisposeAsync();
    }

    [Fact]
    public async Task Several_requests_reach_the_connect_api_through_a_port_forward()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var transport = await ConnectTransportFactory.CreateAsync(_kube, "ns", "c1", ConnectAccess.PortForward, null, NullOperationLog.Instance, cts.Token);
        Assert.StartsWith("port-forward to pod ns/c1-connect-0", transport.Route);
        using var client = new ConnectRestClient(transport, NullOperationLog.Instance);
        for (var i = 0; i < 3; i++)
            Assert.Empty(await client.ListConnectorsAsync(cts.Token));
    }

    [Fact]
    public async Task The_service_proxy_route_reaches_the_same_api_with_the_kubeconfig_credentials()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var kube = KubeGateway.FromConfiguration(KubeConnection.ResolveConfiguration(_k8s.WriteKubeconfig(_dir)));
        using var transport = await ConnectTransportFactory.CreateAsync(kube, "ns", "c1", ConnectAccess.ServiceProxy, null, NullOperationLog.Instance, cts.Token);
        using var client = new ConnectRestClient(transport, NullOperationLog.Instance);
        Assert.Empty(await client.ListConnectorsAsync(cts.Token));
        Assert.Contains(_k8s.Requests, r => r.Path == "/api/v1/namespaces/ns/services/c1-connect-api:8083/proxy/connectors");
        kube.Dispose();
    }
}
