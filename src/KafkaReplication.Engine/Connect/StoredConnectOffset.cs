using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaReplication.Engine.Connect;

/// <summary>
/// One stored offset read for display: the fields of a MirrorSourceConnector partition key and offset value (null
/// where the entry has none) and the entry's JSON text. What the reading paths need, without a JSON tree per entry.
/// </summary>
public sealed record StoredConnectOffset(string? Cluster, string? Topic, int? Partition, long? Offset, string Raw)
{
    /// <summary>The same fields of an entry held as JSON objects (Strimzi annotations, tests).</summary>
    public static StoredConnectOffset From(ConnectOffset o) => new(
        (string?)o.Partition["cluster"], (string?)o.Partition["topic"], (int?)o.Partition["partition"], (long?)o.Offset?["offset"],
        $"{{\"partition\":{o.Partition.ToJsonString()},\"offset\":{o.Offset?.ToJsonString() ?? "null"}}}");

    /// <summary>
    /// The entries of a GET /connectors/{c}/offsets body ({"offsets":[{"partition":{...},"offset":{...}},...]}), read
    /// with one forward pass over the bytes. Null when the body is not a JSON object; no "offsets" array is no entry;
    /// entries that are not objects are skipped. Fails with JsonException on JSON that is not well formed, and with
    /// FormatException on an entry without a partition object or with a key field of the wrong type.
    /// </summary>
    internal static List<StoredConnectOffset>? ReadOffsetsBody(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8)) body = body[3..]; // a UTF-8 byte order mark
        var result = new List<StoredConnectOffset>();
        var r = new Utf8JsonReader(body);
        if (!r.Read()) throw new FormatException("the body is empty");
        if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); while (r.Read()) { } return null; }
        var seen = false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var offsets = !seen && r.ValueTextEquals("offsets"u8);
            r.Read();
            if (!offsets || r.TokenType != JsonTokenType.StartArray) { r.Skip(); continue; }
            seen = true;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); continue; }
                result.Add(ReadEntry(ref r, body));
            }
        }
        while (r.Read()) { } // trailing content must be whitespace
        return result;
    }

    private static StoredConnectOffset ReadEntry(ref Utf8JsonReader r, ReadOnlySpan<byte> body)
    {
        var start = (int)r.TokenStartIndex;
        string? cluster = null, topic = null;
        int? partition = null;
        long? offset = null;
        var hasPartition = false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("partition"u8))
            {
                r.Read();
                if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); hasPartition = false; continue; }
                hasPartition = true;
                cluster = topic = null;
                partition = null;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("topic"u8)) { r.Read(); topic = String(ref r, "topic"); }
                    else if (r.ValueTextEquals("cluster"u8)) { r.Read(); cluster = String(ref r, "cluster"); }
                    else if (r.ValueTextEquals("partition"u8)) { r.Read(); partition = r.TokenType == JsonTokenType.Null ? null : Int32(ref r, "partition"); }
                    else { r.Read(); r.Skip(); }
                }
            }
            else if (r.ValueTextEquals("offset"u8))
            {
                r.Read();
                offset = null;
                if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); continue; }
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("offset"u8)) { r.Read(); offset = r.TokenType == JsonTokenType.Null ? null : Int64(ref r, "offset"); }
                    else { r.Read(); r.Skip(); }
                }
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }
        if (!hasPartition) throw new FormatException("an offset entry has no partition object");
        return new StoredConnectOffset(cluster, topic, partition, offset, Encoding.UTF8.GetString(body[start..(int)r.BytesConsumed]));
    }

    private static string? String(ref Utf8JsonReader r, string what) => r.TokenType switch
    {
        JsonTokenType.String => r.GetString(),
        JsonTokenType.Null => null,
        _ => throw new FormatException($"an offset entry's \"{what}\" is not a string"),
    };

    private static int Int32(ref Utf8JsonReader r, string what) => r.TokenType switch
    {
        JsonTokenType.Number => r.GetInt32(),
        _ => throw new FormatException($"an offset entry's \"{what}\" is not a number"),
    };

    private static long Int64(ref Utf8JsonReader r, string what) => r.TokenType switch
    {
        JsonTokenType.Number => r.GetInt64(),
        _ => throw new FormatException($"an offset entry's \"{what}\" is not a number"),
    };
}
