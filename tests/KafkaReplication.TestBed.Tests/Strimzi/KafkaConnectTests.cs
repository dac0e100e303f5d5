using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using KafkaReplication.TestBed.Strimzi;

namespace KafkaReplication.TestBed.Tests.Strimzi;

/// <summary>KafkaConnect reconciliation: the objects Strimzi creates, the status, and the REST API behind the pods.</summary>
public sealed class KafkaConnectTests
{
    [Fact]
    public async Task A_KafkaConnect_gets_a_service_account_a_REST_service_running_pods_and_a_ready_status()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connect("mm2", replicas: 2));

        var connect = await cluster.GetAsync("kafkaconnects", "mm2");
        var account = await cluster.Client.CoreV1.ReadNamespacedServiceAccountAsync("mm2-connect", OperatorCluster.Ns);
        var service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("mm2-connect-api", OperatorCluster.Ns);
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(OperatorCluster.Ns, labelSelector: "strimzi.io/cluster=mm2,strimzi.io/kind=KafkaConnect");

        var uid = connect["metadata"]!["uid"]!.ToString();
        Assert.Equal(uid, account.Metadata.OwnerReferences.Single().Uid);
        Assert.Equal(8083, service.Spec.Ports.Single().Port);
        Assert.Equal("mm2-connect", service.Spec.Selector["strimzi.io/name"]);
        Assert.Equal(["mm2-connect-0", "mm2-connect-1"], pods.Items.Select(p => p.Metadata.Name));
        Assert.All(pods.Items, pod =>
        {
            Assert.Equal("Running", pod.Status.Phase);
            Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
            Assert.Equal("mm2-connect", pod.Metadata.Labels["strimzi.io/name"]);
            Assert.Equal("KafkaConnect", pod.Metadata.OwnerReferences.Single().Kind);
            Assert.Equal(uid, pod.Metadata.OwnerReferences.Single().Uid);
            Assert.Equal("1", pod.Metadata.Annotations["strimzi.io/revision"]);
        });
        var status = connect["status"]!;
        Assert.Equal("True", OperatorCluster.Condition(connect, "Ready")!["status"]!.ToString());
        Assert.Equal(1, (long)status["observedGeneration"]!);
        Assert.Equal("http://mm2-connect-api.kafka.svc:8083", status["url"]!.ToString());
        Assert.Equal(2, (int)status["replicas"]!);
        Assert.Equal("strimzi.io/cluster=mm2,strimzi.io/name=mm2-connect,strimzi.io/kind=KafkaConnect", status["labelSelector"]!.ToString());
        Assert.NotNull(cluster.Strimzi.ConnectFor(OperatorCluster.Ns, "mm2"));
    }

    [Fact]
    public async Task A_port_forward_to_a_connect_pod_reaches_that_clusters_REST_API()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        // Without connector resources, so that the operator leaves a connector made outside it alone.
        await cluster.CreateAsync(OperatorCluster.Connect("mm2", replicas: 2, useConnectorResources: false));
        await cluster.CreateAsync(OperatorCluster.Connect("other"));
        cluster.ConnectFor("mm2").PutConnector("only-in-mm2", new JsonObject { ["connector.class"] = OperatorCluster.SourceClass });

        var (status, body) = await GetOverPortForwardAsync(cluster, "mm2-connect-1", "/connectors");
        var (_, otherBody) = await GetOverPortForwardAsync(cluster, "other-connect-0", "/connectors");

        Assert.Equal(200, status);
        Assert.Equal("""["only-in-mm2"]""", body);
        Assert.Equal("[]", otherBody);
        Assert.Contains(cluster.ConnectFor("mm2").Requests, r => r is { Method: "GET", Path: "/connectors" });
    }

    [Fact]
    public async Task Port_forwards_the_operator_does_not_serve_go_to_the_target_set_before_it()
    {
        var kubernetes = await Kubernetes.EmulatedCluster.StartAsync();
        await using var _ = kubernetes;
        var elsewhere = new IPEndPoint(IPAddress.Loopback, 9);
        kubernetes.Emulator.PortForwardTarget = (ns, pod, port) => pod == "metrics-0" ? elsewhere : null;
        await kubernetes.CreateNamespaceAsync(OperatorCluster.Ns);
        var strimzi = await StrimziOperatorEmulator.StartAsync(kubernetes.Emulator);
        var previous = (Func<string, string, int, IPEndPoint?>?)null;

        await using (strimzi)
        {
            await kubernetes.Client.CustomObjects.CreateNamespacedCustomObjectAsync(OperatorCluster.Connect("mm2"), OperatorCluster.Group, OperatorCluster.Version, OperatorCluster.Ns, "kafkaconnects");
            await strimzi.ReconcileNowAsync();
            var target = kubernetes.Emulator.PortForwardTarget!;

            Assert.Equal(strimzi.ConnectFor(OperatorCluster.Ns, "mm2")!.EndPoint, target(OperatorCluster.Ns, "mm2-connect-0", 8083));
            Assert.Null(target(OperatorCluster.Ns, "mm2-connect-0", 9404));
            Assert.Null(target(OperatorCluster.Ns, "ghost-connect-0", 8083));
            Assert.Equal(elsewhere, target(OperatorCluster.Ns, "metrics-0", 8083));
        }

        previous = kubernetes.Emulator.PortForwardTarget;
        Assert.Equal(elsewhere, previous!(OperatorCluster.Ns, "metrics-0", 1));
    }

    [Fact]
    public async Task Without_use_connector_resources_connectors_are_not_managed_and_the_status_says_so()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connect("mm2", useConnectorResources: false));
        cluster.ConnectFor("mm2").PutConnector("made-by-rest", new JsonObject { ["connector.class"] = OperatorCluster.SourceClass });
        await cluster.CreateAsync(OperatorCluster.Connector("source", "mm2"));

        var connector = await cluster.GetAsync("kafkaconnectors", "source");

        var notReady = OperatorCluster.Condition(connector, "NotReady")!;
        Assert.Equal("NoSuchResourceException", notReady["reason"]!.ToString());
        Assert.Equal("KafkaConnect mm2 is not configured with annotation strimzi.io/use-connector-resources", notReady["message"]!.ToString());
        Assert.Null(connector["status"]!["connectorStatus"]);
        Assert.Equal(["made-by-rest"], cluster.ConnectFor("mm2").ConnectorNames);
    }

    [Fact]
    public async Task A_connector_whose_KafkaConnect_is_missing_is_NotReady_until_the_KafkaConnect_exists()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connector("source", "mm2"));
        var before = await cluster.GetAsync("kafkaconnectors", "source");

        await cluster.CreateAsync(OperatorCluster.Connect("mm2"));
        var after = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.Equal("KafkaConnect resource 'mm2' identified by label 'strimzi.io/cluster' does not exist in namespace kafka.",
            OperatorCluster.Condition(before, "NotReady")!["message"]!.ToString());
        Assert.Equal("True", OperatorCluster.Condition(after, "Ready")!["status"]!.ToString());
        Assert.Null(OperatorCluster.Condition(after, "NotReady"));
    }

    [Fact]
    public async Task Deleting_the_KafkaConnect_removes_its_pods_and_Connect_emulator()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connect("mm2"));
        await cluster.CreateAsync(OperatorCluster.Connector("source", "mm2"));

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(OperatorCluster.Group, OperatorCluster.Version, OperatorCluster.Ns, "kafkaconnects", "mm2");
        await cluster.Strimzi.ReconcileNowAsync();
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(OperatorCluster.Ns);
        var connector = await cluster.GetAsync("kafkaconnectors", "source");

        Assert.Empty(pods.Items);
        Assert.Null(cluster.Strimzi.ConnectFor(OperatorCluster.Ns, "mm2"));
        Assert.Equal("NoSuchResourceException", OperatorCluster.Condition(connector, "NotReady")!["reason"]!.ToString());
    }

    [Fact]
    public async Task A_deleted_pod_is_recreated()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateAsync(OperatorCluster.Connect("mm2"));
        var first = await cluster.Client.CoreV1.ReadNamespacedPodAsync("mm2-connect-0", OperatorCluster.Ns);

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("mm2-connect-0", OperatorCluster.Ns);
        await cluster.Strimzi.ReconcileNowAsync();
        var second = await cluster.Client.CoreV1.ReadNamespacedPodAsync("mm2-connect-0", OperatorCluster.Ns);

        Assert.NotEqual(first.Metadata.Uid, second.Metadata.Uid);
    }

    /// <summary>A raw HTTP/1.1 GET through a pod port-forward, as a client tunnelling to the Connect REST API would send it.</summary>
    private static async Task<(int Status, string Body)> GetOverPortForwardAsync(OperatorCluster cluster, string pod, string path)
    {
        using var socket = await cluster.Client.WebSocketNamespacedPodPortForwardAsync(pod, OperatorCluster.Ns, [8083], "v4.channel.k8s.io");
        using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
        var stream = demuxer.GetStream((byte?)0, (byte?)0);
        demuxer.Start();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost:8083\r\nAccept: application/json\r\nConnection: close\r\n\r\n"));
        return await ReadResponseAsync(stream).WaitAsync(Kubernetes.EmulatedCluster.Timeout);
    }

    private static async Task<(int Status, string Body)> ReadResponseAsync(Stream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(received, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, n);
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        var head = Encoding.ASCII.GetString(received.GetRange(0, headerEnd).ToArray()).Split("\r\n");
        var length = int.Parse(head.Single(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim());
        while (received.Count < headerEnd + 4 + length)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, n);
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        return (int.Parse(head[0].Split(' ')[1]), Encoding.UTF8.GetString(received.GetRange(headerEnd + 4, length).ToArray()));
    }

    private static int IndexOf(List<byte> data, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= data.Count; i++)
        {
            if (pattern.Select((b, j) => data[i + j] == b).All(x => x))
            {
                return i;
            }
        }

        return -1;
    }
}
