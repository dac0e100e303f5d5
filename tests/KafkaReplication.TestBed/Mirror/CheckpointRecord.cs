using System.Buffers.Binary;
using System.Text;

namespace KafkaReplication.TestBed.Mirror;

/// <summary>
/// A checkpoint as MirrorCheckpointTask writes it, encoded here independently of the module (from apache/kafka
/// connect/mirror-client/.../mirror/Checkpoint.java): key = group STRING, topic STRING, partition INT32; value =
/// version INT16 (0), upstreamOffset INT64, offset INT64, metadata STRING; big-endian, STRING = INT16 length + UTF-8.
/// Topic is the target-side (renamed) topic.
/// </summary>
public sealed record CheckpointRecord(string Group, string Topic, int Partition, long UpstreamOffset, long DownstreamOffset, string Metadata = "")
{
    public byte[] Key()
    {
        using var s = new MemoryStream();
        Str(s, Group);
        Str(s, Topic);
        Int(s, Partition, 4);
        return s.ToArray();
    }

    public byte[] Value()
    {
        using var s = new MemoryStream();
        Int(s, 0, 2);
        Int(s, UpstreamOffset, 8);
        Int(s, DownstreamOffset, 8);
        Str(s, Metadata);
        return s.ToArray();
    }

    private static void Str(Stream s, string v)
    {
        var b = Encoding.UTF8.GetBytes(v);
        Int(s, b.Length, 2);
        s.Write(b);
    }

    private static void Int(Stream s, long v, int size)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, v);
        s.Write(b[(8 - size)..]);
    }
}
