using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using Xunit;

namespace KafkaReplication.Engine.Tests.Connect;

/// <summary>
/// The one-pass read of a GET /connectors/{c}/offsets body (Get-SourceOffset, Get-ReplicationState) against the JSON
/// tree it replaces there: the same key fields for every entry, and for Connect's compact bodies the same raw text.
/// </summary>
public sealed class StoredConnectOffsetTests
{
    private static List<StoredConnectOffset>? Read(string body) => StoredConnectOffset.ReadOffsetsBody(Encoding.UTF8.GetBytes(body));

    // The JSON-tree path: ConnectRestClient.GetOffsetsAsync's entries, then their fields.
    private static List<StoredConnectOffset> ViaTree(string body) =>
        (JsonNode.Parse(body)!["offsets"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Select(o => StoredConnectOffset.From(new ConnectOffset((JsonObject)o["partition"]!.DeepClone(), o["offset"]?.DeepClone() as JsonObject)))
            .ToList();

    private const string Compact =
        """{"offsets":[{"partition":{"cluster":"src","partition":3,"topic":"orders"},"offset":{"offset":41}},""" +
        """{"partition":{"partition":0,"topic":"audit"},"offset":null},""" +
        """{"partition":{"cluster":"src","partition":1,"topic":"t\u00e9st \"q\"","extra":[1,{"a":null}]},"offset":{"offset":9007199254740993,"x":"y"}},""" +
        """{"partition":{"cluster":"src","partition":2,"topic":null},"offset":{"offset":null}},""" +
        """{"partition":{"heartbeat":"x"},"offset":{}}],"more":{"offsets":1}}""";

    // Same fields; the raw text is the same JSON (the server's own text: its escapes may differ from a re-serialisation).
    private static void AssertSame(List<StoredConnectOffset> expected, List<StoredConnectOffset>? actual)
    {
        Assert.Equal(expected.Select(o => o with { Raw = "" }), actual!.Select(o => o with { Raw = "" }));
        Assert.All(expected.Zip(actual!), p => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(p.First.Raw), JsonNode.Parse(p.Second.Raw)), p.Second.Raw));
    }

    [Fact]
    public void A_compact_body_reads_as_the_JSON_tree_does()
    {
        AssertSame(ViaTree(Compact), Read(Compact));
        // Without escapes the text is the same too.
        Assert.Equal(ViaTree(Compact)[..2], Read(Compact)![..2]);
        Assert.Equal(new StoredConnectOffset("src", "orders", 3, 41, """{"partition":{"cluster":"src","partition":3,"topic":"orders"},"offset":{"offset":41}}"""), Read(Compact)![0]);
    }

    [Fact]
    public void An_indented_body_with_a_byte_order_mark_reads_the_same()
    {
        var indented = JsonNode.Parse(Compact)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        AssertSame(ViaTree(Compact), Read("\uFEFF" + indented));
    }

    [Theory]
    [InlineData("""{"offsets":[]}""", 0)]
    [InlineData("""{"other":1}""", 0)]
    [InlineData("""{"offsets":[1,"x",null,[]]}""", 0)]
    [InlineData("""{"offsets":{"partition":{}}}""", 0)]
    public void Bodies_without_entries_have_none(string body, int count) => Assert.Equal(count, Read(body)!.Count);

    [Fact]
    public void A_body_that_is_not_an_object_is_null() => Assert.Null(Read("""[{"partition":{}}]"""));

    [Theory]
    [InlineData("""{"offsets":[{"offset":{"offset":1}}]}""", "no partition object")]
    [InlineData("""{"offsets":[{"partition":{"topic":"t","partition":"1"}}]}""", "\"partition\" is not a number")]
    [InlineData("""{"offsets":[{"partition":{"topic":1,"partition":1}}]}""", "\"topic\" is not a string")]
    [InlineData("""{"offsets":[{"partition":{"topic":"t","partition":1},"offset":{"offset":"5"}}]}""", "\"offset\" is not a number")]
    public void An_entry_of_the_wrong_shape_is_a_FormatException(string body, string why) =>
        Assert.Contains(why, Assert.Throws<FormatException>(() => Read(body)).Message);

    [Theory]
    [InlineData("""{"offsets":[""")]
    [InlineData("""{"offsets":[]} x""")]
    [InlineData("<html>proxy error</html>")]
    public void A_body_that_is_not_JSON_is_a_JsonException(string body) =>
        Assert.ThrowsAny<JsonException>(() => Read(body));
}
