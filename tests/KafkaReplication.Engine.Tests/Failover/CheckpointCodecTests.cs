using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests.Failover;

/// <summary>
/// The bytes are written out by hand from apache/kafka connect/mirror-client/.../mirror/Checkpoint.java: KEY_SCHEMA
/// (group STRING, topic STRING, partition INT32), HEADER_SCHEMA (version INT16) + VALUE_SCHEMA_V0 (upstreamOffset
/// INT64, offset INT64, metadata STRING); Kafka protocol types are big-endian, STRING = INT16 length + UTF-8.
/// </summary>
public sealed class CheckpointCodecTests
{
    private static readonly byte[] Key =
    {
        0x00, 0x07, (byte)'b', (byte)'i', (byte)'l', (byte)'l', (byte)'i', (byte)'n', (byte)'g',
        0x00, 0x0A, (byte)'s', (byte)'r', (byte)'c', (byte)'.', (byte)'o', (byte)'r', (byte)'d', (byte)'e', (byte)'r', (byte)'s',
        0x00, 0x00, 0x01, 0x02, // partition 258
    };

    private static readonly byte[] Value =
    {
        0x00, 0x00,                                     // version 0
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, // upstream 2^32 + 5
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2C, // downstream 300
        0x00, 0x02, (byte)'m', (byte)'d',               // metadata "md"
    };

    private static readonly Checkpoint Expected = new("billing", "src.orders", 258, (1L << 32) + 5, 300, "md");

    [Fact]
    public void Decodes_bytes_laid_out_as_the_java_schema_writes_them() =>
        Assert.Equal(Expected, CheckpointCodec.Decode(Key, Value));

    [Fact]
    public void Encodes_to_exactly_those_bytes()
    {
        Assert.Equal(Key, CheckpointCodec.EncodeKey(Expected));
        Assert.Equal(Value, CheckpointCodec.EncodeValue(Expected));
    }

    [Theory]
    [InlineData("g", "t", 0, 0L, 0L, "")]
    [InlineData("grüppe-ä", "tgt.é", int.MaxValue, long.MaxValue, long.MaxValue - 1, "meta data")]
    public void Round_trips(string group, string topic, int partition, long up, long down, string metadata)
    {
        var c = new Checkpoint(group, topic, partition, up, down, metadata);
        Assert.Equal(c, CheckpointCodec.Decode(CheckpointCodec.EncodeKey(c), CheckpointCodec.EncodeValue(c)));
    }

    [Fact]
    public void Refuses_an_unknown_version_and_truncated_records()
    {
        var v1 = (byte[])Value.Clone();
        v1[1] = 1;
        Assert.Equal("CheckpointUnreadable", Assert.Throws<ReplicationException>(() => CheckpointCodec.Decode(Key, v1)).ErrorId);
        Assert.Equal("CheckpointUnreadable", Assert.Throws<ReplicationException>(() => CheckpointCodec.Decode(Key, Value[..^1])).ErrorId);
        Assert.Equal("CheckpointUnreadable", Assert.Throws<ReplicationException>(() => CheckpointCodec.Decode(Key[..5], Value)).ErrorId);
    }
}
