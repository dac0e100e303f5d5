using System.Buffers.Binary;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>
/// Server side of RFC 6455 framing over an upgraded connection. Hand-rolled rather than System.Net.WebSockets because
/// the channel protocol is per frame: the kubelet (golang.org/x/net/websocket) reads every frame, continuation frames
/// included, as "channel byte + data", and KubernetesClient's StreamDemuxer writes each chunk as a non-final fragment;
/// a message-oriented WebSocket API hides those frame boundaries.
/// </summary>
internal sealed class WebSocketFrames(Stream stream) : IAsyncDisposable
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    private const int MaxPayload = 16 * 1024 * 1024;

    private readonly SemaphoreSlim sending = new(1, 1);
    private bool closeSent;

    /// <summary>The next frame, unmasked; null when the connection ended.</summary>
    public async Task<(byte Opcode, byte[] Payload)?> ReadAsync(CancellationToken cancel)
    {
        var header = new byte[2];
        if (!await FillAsync(header, cancel))
        {
            return null;
        }

        var opcode = (byte)(header[0] & 0x0F);
        var masked = (header[1] & 0x80) != 0;
        long length = header[1] & 0x7F;
        if (length == 126)
        {
            var extended = new byte[2];
            if (!await FillAsync(extended, cancel))
            {
                return null;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(extended);
        }
        else if (length == 127)
        {
            var extended = new byte[8];
            if (!await FillAsync(extended, cancel))
            {
                return null;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
        }

        if (length > MaxPayload)
        {
            throw new IOException($"WebSocket frame of {length} bytes is larger than the emulator accepts");
        }

        var mask = new byte[4];
        if (masked && !await FillAsync(mask, cancel))
        {
            return null;
        }

        var payload = new byte[length];
        if (!await FillAsync(payload, cancel))
        {
            return null;
        }

        if (masked)
        {
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= mask[i % 4];
            }
        }

        return (opcode, payload);
    }

    /// <summary>Sends one final, unmasked frame (servers never mask).</summary>
    public async Task SendAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancel)
    {
        var header = new byte[10];
        header[0] = (byte)(0x80 | opcode);
        int headerLength;
        if (payload.Length < 126)
        {
            header[1] = (byte)payload.Length;
            headerLength = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)payload.Length);
            headerLength = 4;
        }
        else
        {
            header[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)payload.Length);
            headerLength = 10;
        }

        await sending.WaitAsync(cancel);
        try
        {
            if (closeSent)
            {
                return;
            }

            closeSent = opcode == Close;
            await stream.WriteAsync(header.AsMemory(0, headerLength), cancel);
            await stream.WriteAsync(payload, cancel);
            await stream.FlushAsync(cancel);
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>Sends a close frame with a status code (1000 = normal closure), once.</summary>
    public async Task CloseAsync(ushort code, CancellationToken cancel)
    {
        var payload = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        try
        {
            await SendAsync(Close, payload, cancel);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        sending.Dispose();
    }

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken cancel)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancel);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
