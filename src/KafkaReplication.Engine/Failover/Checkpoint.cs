using System.Buffers.Binary;
using System.Text;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Failover;

/// <summary>
/// One record of <c>&lt;source alias&gt;.checkpoints.internal</c>: MirrorCheckpointTask's statement that the source
/// group's commit at <see cref="UpstreamOffset"/> corresponds to <see cref="DownstreamOffset"/> on the target.
/// <see cref="Topic"/> is the target-side name: the task renames the topic before it writes the checkpoint.
/// </summary>
public sealed record Checkpoint(string Group, string Topic, int Partition, long UpstreamOffset, long DownstreamOffset, string Metadata);

/// <summary>
/// MM2's wire format of checkpoints (apache/kafka connect/mirror-client/.../mirror/Checkpoint.java): Kafka protocol
/// structs, big-endian. Key = KEY_SCHEMA (group STRING, topic STRING, partition INT32). Value = HEADER_SCHEMA
/// (version INT16) followed by the version's value schema; v0 = (upstreamOffset INT64, offset INT64, metadata STRING).
/// STRING is an INT16 byte length then UTF-8 bytes. Only version 0 exists (Checkpoint.VERSION).
/// </summary>
public static class CheckpointCodec
{
    public const short Version = 0;

    public static byte[] EncodeKey(Checkpoint c)
    {
        var buffer = new List<byte>(64);
        WriteString(buffer, c.Group);
        WriteString(buffer, c.Topic);
        WriteInt32(buffer, c.Partition);
        return buffer.ToArray();
    }

    public static byte[] EncodeValue(Checkpoint c)
    {
        var buffer = new List<byte>(32);
        WriteInt16(buffer, Version);
        WriteInt64(buffer, c.UpstreamOffset);
        WriteInt64(buffer, c.DownstreamOffset);
        WriteString(buffer, c.Metadata);
        return buffer.ToArray();
    }

    /// <summary>Decodes a record; a malformed record or an unknown version fails with CheckpointUnreadable.</summary>
    public static Checkpoint Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        try
        {
            var k = new Reader(key);
            var group = k.String();
            var topic = k.String();
            var partition = k.Int32();
            var v = new Reader(value);
            var version = v.Int16();
            // Java asserts version 0 (and would misread a newer layout): refuse rather than guess.
            if (version != Version)
                throw Unreadable($"checkpoint value version {version} is not supported (only {Version})");
            var upstream = v.Int64();
            var downstream = v.Int64();
            var metadata = v.String();
            return new Checkpoint(group, topic, partition, upstream, downstream, metadata);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Unreadable($"the record is truncated ({e.Message})");
        }
    }

    private static ReplicationException Unreadable(string why) =>
        new(ReplicationErrorKind.OperationFailed, "CheckpointUnreadable", $"A checkpoint record could not be decoded: {why}.");

    private static void WriteInt16(List<byte> b, short v) { Span<byte> s = stackalloc byte[2]; BinaryPrimitives.WriteInt16BigEndian(s, v); b.AddRange(s.ToArray()); }
    private static void WriteInt32(List<byte> b, int v) { Span<byte> s = stackalloc byte[4]; BinaryPrimitives.WriteInt32BigEndian(s, v); b.AddRange(s.ToArray()); }
    private static void WriteInt64(List<byte> b, long v) { Span<byte> s = stackalloc byte[8]; BinaryPrimitives.WriteInt64BigEndian(s, v); b.AddRange(s.ToArray()); }

    private static void WriteString(List<byte> b, string v)
    {
        var bytes = Encoding.UTF8.GetBytes(v ?? "");
        if (bytes.Length > short.MaxValue) throw new ArgumentOutOfRangeException(nameof(v), "a Kafka protocol STRING holds at most 32767 bytes");
        WriteInt16(b, (short)bytes.Length);
        b.AddRange(bytes);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || n > _rest.Length) throw new ArgumentOutOfRangeException(nameof(n), $"needs {n} bytes, {_rest.Length} left");
            var s = _rest[..n];
            _rest = _rest[n..];
            return s;
        }

        public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));
        public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));
        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        public string String()
        {
            var length = Int16();
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "null STRING where the schema forbids it");
            return Encoding.UTF8.GetString(Take(length));
        }
    }
}
