using System.Net.WebSockets;
using System.Text.Json.Nodes;
using k8s;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Connect;

/// <summary>Opens a route to a flow's Kafka Connect REST API (port 8083 of the Strimzi Connect pods).</summary>
public static class ConnectTransportFactory
{
    public const int RestPort = 8083;

    public static async Task<ConnectTransport> CreateAsync(KubeGateway kube, string ns, string connectCluster, ConnectAccess access, ConnectDirectOptions? direct, IOperationLog log, CancellationToken ct)
    {
        switch (access)
        {
            case ConnectAccess.Direct:
                if (direct is null) throw ReplicationException.Invalid("ConnectUriRequired", "Direct access to Kafka Connect needs -ConnectUri.");
                return ConnectDirectTransport.Create(direct);
            case ConnectAccess.ServiceProxy:
                return ServiceProxy(kube, ns, connectCluster);
            default:
                var pod = await FindReadyPodAsync(kube, ns, connectCluster, ct).ConfigureAwait(false);
                log.Verbose($"Connect REST API through a port-forward to pod {ns}/{pod}:{RestPort}");
                return PortForward(kube.Client, ns, pod);
        }
    }

    /// <summary>A ready pod of the Connect cluster (Strimzi labels strimzi.io/cluster and strimzi.io/name=&lt;name&gt;-connect).</summary>
    public static async Task<string> FindReadyPodAsync(KubeGateway kube, string ns, string connectCluster, CancellationToken ct) =>
        (await FindReadyPodsAsync(kube, ns, connectCluster, ct).ConfigureAwait(false))[0];

    /// <summary>Every ready pod of the Connect cluster, by name; refused when there is none.</summary>
    public static async Task<IReadOnlyList<string>> FindReadyPodsAsync(KubeGateway kube, string ns, string connectCluster, CancellationToken ct)
    {
        var pods = await kube.ListAsync("v1", "Pod", ns, $"strimzi.io/cluster={connectCluster},strimzi.io/name={connectCluster}-connect", ct).ConfigureAwait(false);
        var ready = pods.Where(IsReady).Select(p => (string)p["metadata"]!["name"]!).OrderBy(n => n, StringComparer.Ordinal).ToList();
        return ready.Count > 0 ? ready : throw new ReplicationException(ReplicationErrorKind.Unreachable, "ConnectPodNotReady",
            pods.Count == 0
                ? $"No pod of Kafka Connect cluster '{connectCluster}' in namespace '{ns}'. Is the KafkaConnect deployed and reconciled by Strimzi?"
                : $"None of the {pods.Count} pods of Kafka Connect cluster '{connectCluster}' in namespace '{ns}' is ready.", connectCluster)
        {
            RecommendedAction = "Wait until the Connect pods are ready (Wait-ReplicationFlow -Condition Ready), or give -ConnectUri.",
        };
    }

    private static bool IsReady(JsonObject pod)
    {
        if (pod["metadata"]?["deletionTimestamp"] is not null) return false;
        var conditions = pod["status"]?["conditions"] as JsonArray;
        var ready = conditions?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
        return ready is not null ? (string?)ready["status"] == "True" : (string?)pod["status"]?["phase"] == "Running";
    }

    /// <summary>
    /// HttpClient whose every TCP connection is a fresh port-forward WebSocket (v4.channel.k8s.io) to the pod; a
    /// dropped forward fails that request only, and the retry opens a new one.
    /// </summary>
    public static ConnectTransport PortForward(IKubernetes client, string ns, string pod, int port = RestPort)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (_, ct) =>
            {
                var ws = await client.WebSocketNamespacedPodPortForwardAsync(pod, ns, new[] { port }, "v4.channel.k8s.io", cancellationToken: ct).ConfigureAwait(false);
                var demux = new StreamDemuxer(ws, StreamType.PortForward);
                demux.Start();
                return new ForwardedStream(demux.GetStream((byte?)0, (byte?)0), demux, ws);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"http://{pod}.{ns}:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        // One port-forward stream per request: a forwarded connection is not reused after its response (the
        // WebSocket channel carries one TCP stream; keeping it idle between requests gains little and can stall).
        http.DefaultRequestHeaders.ConnectionClose = true;
        return new ConnectTransport(http, $"port-forward to pod {ns}/{pod}:{port}");
    }

    private static ConnectTransport ServiceProxy(KubeGateway kube, string ns, string connectCluster)
    {
        var config = kube.Configuration ?? throw ReplicationException.Invalid("ServiceProxyUnsupported",
            "The service proxy needs a kubeconfig-based connection.");
        // The API server authenticates the proxied request with the kubeconfig's own credentials and TLS settings.
        var handler = new HttpClientHandler();
        if (config.SkipTlsVerify)
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        else if (config.SslCaCerts is { Count: > 0 } cas)
            // The bearer token goes with every request: only to a server that has the API server's name and chains to
            // the kubeconfig's CA (KubernetesClient's own CertificateValidationCallBack, Kubernetes.ConfigInit.cs in
            // kubernetes-client/csharp, accepts a name mismatch when the chain needs the custom CA; kubectl does not).
            handler.ServerCertificateCustomValidationCallback = (_, cert, _, errors) => ServerCertificates.Verify(cas, cert, errors, config.TlsServerName);
        if (config.ClientCertificateData is not null && config.ClientCertificateKeyData is not null)
            handler.ClientCertificates.Add(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
                FromBase64(config.ClientCertificateData), FromBase64(config.ClientCertificateKeyData)));
        else if (config.ClientCertificateFilePath is not null && config.ClientKeyFilePath is not null)
            handler.ClientCertificates.Add(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
                config.ClientCertificateFilePath, config.ClientKeyFilePath));
        var http = new HttpClient(handler) { BaseAddress = new Uri(new Uri(config.Host.TrimEnd('/') + "/"), $"api/v1/namespaces/{ns}/services/{connectCluster}-connect-api:{RestPort}/proxy/") };
        if (!string.IsNullOrEmpty(config.AccessToken))
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", config.AccessToken);
        else if (!string.IsNullOrEmpty(config.Username))
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}")));
        return new ConnectTransport(http, $"API server service proxy to {ns}/{connectCluster}-connect-api:{RestPort}");
    }

    private static string FromBase64(string s) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(s));

    /// <summary>The data channel of a port-forward; disposing it closes the demuxer and the WebSocket.</summary>
    private sealed class ForwardedStream(Stream inner, StreamDemuxer demux, WebSocket ws) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.WriteAsync(buffer, offset, count, ct);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                demux.Dispose();
                ws.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
