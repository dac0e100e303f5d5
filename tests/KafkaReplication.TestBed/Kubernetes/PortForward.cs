using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>
/// <c>GET .../pods/{pod}/portforward?ports=N</c> over WebSocket with the <c>v4.channel.k8s.io</c> channel protocol, as the
/// kubelet serves it (pkg/kubelet/cri/streaming/portforward/websocket.go): port i uses data channel 2i and error channel
/// 2i+1; the first frame on each is the port as a little-endian uint16; then every frame is "channel byte + bytes".
/// The bytes are bridged to a TCP endpoint chosen by <see cref="Target"/>.
/// </summary>
internal sealed class PortForwarder
{
    private const string Protocol = "v4.channel.k8s.io";
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 section 4.2.2

    public Func<string, string, int, IPEndPoint?>? Target { get; set; }

    public async Task HandleAsync(HttpContext context, string ns, string pod, CancellationToken shutdown)
    {
        var ports = Ports(context.Request.Query["ports"]);
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true } || !string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase))
        {
            throw StatusErrors.BadRequest("port-forward is served over WebSocket only (the emulator does not speak SPDY)");
        }

        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (key.Length == 0)
        {
            throw StatusErrors.BadRequest("missing Sec-WebSocket-Key");
        }

        var offered = context.Request.Headers.SecWebSocketProtocol
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (offered.Count > 0 && !offered.Contains(Protocol))
        {
            throw StatusErrors.BadRequest($"none of the offered WebSocket subprotocols ({string.Join(", ", offered)}) is supported; the emulator speaks {Protocol}");
        }

        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
        if (offered.Count > 0)
        {
            context.Response.Headers.SecWebSocketProtocol = Protocol;
        }

        await using var socket = new WebSocketFrames(await upgrade.UpgradeAsync());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown);
        var connections = new TcpClient?[ports.Length];
        try
        {
            for (var i = 0; i < ports.Length; i++)
            {
                var prefix = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(prefix, (ushort)ports[i]);
                await socket.SendAsync(WebSocketFrames.Binary, Frame((byte)(2 * i), prefix), stop.Token);
                await socket.SendAsync(WebSocketFrames.Binary, Frame((byte)(2 * i + 1), prefix), stop.Token);
            }

            for (var i = 0; i < ports.Length; i++)
            {
                connections[i] = await ConnectAsync(socket, ns, pod, ports[i], (byte)(2 * i + 1), stop.Token);
            }

            if (connections.Any(c => c is not null))
            {
                var pumps = connections.Select((c, i) => c is null ? Task.CompletedTask : FromTargetAsync(socket, c, (byte)(2 * i), stop.Token)).ToList();
                var reader = FromClientAsync(socket, connections, stop.Token);

                // Like the kubelet: the connection ends when the client leaves or every forwarded port is done.
                await Task.WhenAny(reader, Task.WhenAll(pumps));
                await stop.CancelAsync();
                await Task.WhenAll(pumps.Append(reader).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            }

            await socket.CloseAsync(1000, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either side went away.
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection?.Dispose();
            }
        }
    }

    private static int[] Ports(StringValues values)
    {
        var ports = new List<int>();
        foreach (var part in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw StatusErrors.BadRequest($"invalid port \"{part}\"");
            }

            ports.Add(port);
        }

        return ports.Count > 0 ? ports.ToArray() : throw StatusErrors.BadRequest("query parameter \"ports\" is required");
    }

    private static byte[] Frame(byte channel, ReadOnlySpan<byte> data)
    {
        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame.AsSpan(1));
        return frame;
    }

    // A port that cannot be reached gets the kubelet's message on its error channel.
    private async Task<TcpClient?> ConnectAsync(WebSocketFrames socket, string ns, string pod, int port, byte errorChannel, CancellationToken cancel)
    {
        string reason;
        if (Target?.Invoke(ns, pod, port) is { } endpoint)
        {
            var client = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
            try
            {
                await client.ConnectAsync(endpoint, cancel);
                return client;
            }
            catch (SocketException e)
            {
                client.Dispose();
                reason = $"failed to connect to {endpoint}: {e.Message}";
            }
        }
        else
        {
            reason = $"nothing listens on port {port} in pod {ns}/{pod}";
        }

        var message = $"error forwarding port {port} to pod {ns}/{pod}: {reason}";
        await socket.SendAsync(WebSocketFrames.Binary, Frame(errorChannel, Encoding.UTF8.GetBytes(message)), cancel);
        return null;
    }

    private static async Task FromClientAsync(WebSocketFrames socket, TcpClient?[] connections, CancellationToken cancel)
    {
        try
        {
            while (await socket.ReadAsync(cancel) is var (opcode, payload))
            {
                switch (opcode)
                {
                    case WebSocketFrames.Close:
                        return;
                    case WebSocketFrames.Ping:
                        await socket.SendAsync(WebSocketFrames.Pong, payload, cancel);
                        break;
                    case WebSocketFrames.Binary or WebSocketFrames.Text or WebSocketFrames.Continuation when payload.Length > 1:
                        // Even channels carry data; the client writing on an error channel means nothing to the kubelet either.
                        var channel = payload[0];
                        if (channel % 2 == 0 && channel / 2 < connections.Length && connections[channel / 2] is { } target)
                        {
                            await target.GetStream().WriteAsync(payload.AsMemory(1), cancel);
                        }

                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task FromTargetAsync(WebSocketFrames socket, TcpClient target, byte channel, CancellationToken cancel)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            var stream = target.GetStream();
            while (true)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(1), cancel);
                if (n == 0)
                {
                    return;
                }

                buffer[0] = channel;
                await socket.SendAsync(WebSocketFrames.Binary, buffer.AsMemory(0, n + 1), cancel);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
