using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Connect;

/// <summary>
/// A connector's source offsets, as the offsets topic holds them: keyed by source partition (compared as canonical
/// JSON), in first-written order. Entries outlive the connector, as records in the offsets topic do.
/// </summary>
internal sealed class OffsetTable
{
    private readonly List<(string Key, JsonObject Partition, JsonObject Offset)> entries = [];

    public bool IsEmpty => entries.Count == 0;

    /// <summary>Writes an offset, or removes the entry for a null one (a tombstone). True when something changed.</summary>
    public bool Put(JsonObject partition, JsonObject? offset)
    {
        var key = Canonical(partition);
        var index = entries.FindIndex(e => e.Key == key);
        if (offset is null)
        {
            if (index < 0)
            {
                return false;
            }

            entries.RemoveAt(index);
            return true;
        }

        if (index >= 0 && JsonNode.DeepEquals(entries[index].Offset, offset))
        {
            return false;
        }

        var entry = (key, (JsonObject)partition.DeepClone(), (JsonObject)offset.DeepClone());
        if (index >= 0)
        {
            entries[index] = entry;
        }
        else
        {
            entries.Add(entry);
        }

        return true;
    }

    public bool Clear()
    {
        var had = entries.Count > 0;
        entries.Clear();
        return had;
    }

    public IReadOnlyList<(JsonObject Partition, JsonObject? Offset)> Copy() =>
        entries.Select(e => ((JsonObject)e.Partition.DeepClone(), (JsonObject?)e.Offset.DeepClone())).ToList();

    /// <summary>The body of GET /connectors/{c}/offsets.</summary>
    public JsonObject ToJson() => new()
    {
        ["offsets"] = new JsonArray(entries.Select(e => (JsonNode)new JsonObject
        {
            ["partition"] = e.Partition.DeepClone(),
            ["offset"] = e.Offset.DeepClone(),
        }).ToArray()),
    };

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject map => "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{System.Text.Json.JsonSerializer.Serialize(p.Key)}:{Canonical(p.Value)}")) + "}",
        JsonArray list => "[" + string.Join(",", list.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
