using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class PortForwardTests
{
    private static void AddPod(EmulatedCluster cluster, string name) =>
        cluster.Emulator.Upsert(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "connect", ["image"] = "strimzi/kafka" }) },
        });

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(EmulatedCluster.Timeout);
        return buffer;
    }

    [Fact]
    public async Task Bytes_reach_the_target_through_the_demuxer_and_come_back()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await using var echo = await EchoServer.StartAsync();
        AddPod(cluster, "connect-0");
        cluster.Emulator.PortForwardTarget = (ns, pod, port) => (ns, pod, port) == ("default", "connect-0", 8083) ? echo.EndPoint : null;

        using var socket = await cluster.Client.WebSocketNamespacedPodPortForwardAsync("connect-0", "default", [8083], "v4.channel.k8s.io");
        using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
        var stream = demuxer.GetStream((byte?)0, (byte?)0);
        demuxer.Start();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /connectors"));
        var answer = await ReadExactlyAsync(stream, 15);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("again"));
        var again = await ReadExactlyAsync(stream, 5);

        Assert.Equal("GET /connectors", Encoding.ASCII.GetString(answer));
        Assert.Equal("again", Encoding.ASCII.GetString(again));
        Assert.Contains(cluster.Emulator.Requests, r => r.Path == "/api/v1/namespaces/default/pods/connect-0/portforward" && r.Query.Contains("ports=8083"));
    }

    [Fact]
    public async Task The_first_frame_on_each_channel_is_the_port_in_little_endian()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await using var echo = await EchoServer.StartAsync();
        AddPod(cluster, "connect-0");
        cluster.Emulator.PortForwardTarget = (_, _, _) => echo.EndPoint;

        using var socket = await cluster.Client.WebSocketNamespacedPodPortForwardAsync("connect-0", "default", [8083, 9404], "v4.channel.k8s.io");
        var frames = new List<string>();
        var buffer = new byte[16];
        for (var i = 0; i < 4; i++)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(EmulatedCluster.Timeout);
            frames.Add(Convert.ToHexString(buffer, 0, result.Count));
        }

        // 8083 = 0x1F93, 9404 = 0x24BC; port i has data channel 2i and error channel 2i+1.
        Assert.Equal("v4.channel.k8s.io", socket.SubProtocol);
        Assert.Equal(["00931F", "01931F", "02BC24", "03BC24"], frames);
    }

    [Fact]
    public async Task An_unreachable_port_is_reported_on_the_error_channel_and_the_connection_closes()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        AddPod(cluster, "connect-0");
        cluster.Emulator.PortForwardTarget = (_, _, _) => null;

        using var socket = await cluster.Client.WebSocketNamespacedPodPortForwardAsync("connect-0", "default", [8083], "v4.channel.k8s.io");
        using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        demuxer.ConnectionClosed += (_, _) => closed.TrySetResult();
        var errors = demuxer.GetStream((byte?)1, null);
        demuxer.Start();
        using var reader = new StreamReader(errors);
        var message = await reader.ReadToEndAsync().WaitAsync(EmulatedCluster.Timeout);
        await closed.Task.WaitAsync(EmulatedCluster.Timeout);

        Assert.StartsWith("error forwarding port 8083 to pod default/connect-0", message);
    }

    [Fact]
    public async Task Port_forwarding_to_a_missing_pod_fails_before_the_upgrade()
    {
        await using var cluster = await EmulatedCluster.StartAsync();

        // The Status body is sent, but KubernetesClient surfaces a failed upgrade as a bare WebSocketException.
        var error = await Assert.ThrowsAsync<WebSocketException>(() => cluster.Client.WebSocketNamespacedPodPortForwardAsync("ghost", "default", [8083], "v4.channel.k8s.io"));

        Assert.Contains("'404'", error.Message);
        Assert.Contains(cluster.Emulator.Requests, r => r.Path == "/api/v1/namespaces/default/pods/ghost/portforward");
    }

    /// <summary>A TCP server on 127.0.0.1 that sends back whatever it receives.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private Task? accepting;

        public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndpoint;

        public static Task<EchoServer> StartAsync()
        {
            var server = new EchoServer();
            server.listener.Start();
            server.accepting = server.AcceptAsync();
            return Task.FromResult(server);
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await (accepting ?? Task.CompletedTask).ContinueWith(_ => { }, TaskScheduler.Default);
            stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await client.GetStream().CopyToAsync(client.GetStream(), stop.Token);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                        {
                        }
                    }
                });
            }
        }
    }
}
