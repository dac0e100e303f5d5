using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.TestBed.Kubernetes;
using KafkaReplication.TestBed.Strimzi;
using KafkaReplication.TestBed.Tls;
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

    [Fact]
    public async Task The_service_proxy_sends_the_token_only_to_a_server_with_the_api_servers_name_and_CA()
    {
        // Both servers chain to the kubeconfig's CA and pass requests on to the emulator; only one has the name.
        var ca = TestCertificates.CreateCa("cluster-ca");
        var backend = new IPEndPoint(IPAddress.Loopback, _k8s.BaseUri.Port);
        await using var impostor = await TlsFrontEnd.StartAsync(backend, TestCertificates.IssueServer(ca, ["impostor.example"]));
        await using var apiServer = await TlsFrontEnd.StartAsync(backend, TestCertificates.IssueServer(ca, ["localhost"], [IPAddress.Loopback]));
        const string token = "token-for-the-api-server-only";
        KubeGateway Gateway(Uri host) => KubeGateway.FromConfiguration(new k8s.KubernetesClientConfiguration
        {
            Host = host.ToString(), SslCaCerts = new X509Certificate2Collection(ca), AccessToken = token,
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using (var kube = Gateway(impostor.BaseUri))
        using (var client = new ConnectRestClient(await ConnectTransportFactory.CreateAsync(kube, "ns", "c1", ConnectAccess.ServiceProxy, null, NullOperationLog.Instance, cts.Token),
                   NullOperationLog.Instance, new ConnectRetryOptions(1, TimeSpan.FromMilliseconds(10))))
        {
            var e = await Assert.ThrowsAsync<ReplicationException>(() => client.ListConnectorsAsync(cts.Token));
            Assert.Equal("ConnectUnreachable", e.ErrorId);
        }
        Assert.Empty(impostor.Users); // the TLS handshake failed: no request, so no token, reached it

        using (var kube = Gateway(apiServer.BaseUri))
        using (var client = new ConnectRestClient(await ConnectTransportFactory.CreateAsync(kube, "ns", "c1", ConnectAccess.ServiceProxy, null, NullOperationLog.Instance, cts.Token),
                   NullOperationLog.Instance))
            Assert.Empty(await client.ListConnectorsAsync(cts.Token));
        Assert.Equal("Bearer " + token, apiServer.LastAuthorization);
    }
}
