using System.Text.Json.Nodes;

namespace KafkaReplication.Engine.Flows;

/// <summary>
/// Compares what the module applies with what the server holds. Server-side apply owns only the fields it sent,
/// so "unchanged" means every desired field is present with the same value (extra live fields are the server's).
/// </summary>
internal static class JsonDiff
{
    public static List<string> DesiredNotInLive(JsonNode? desired, JsonNode? live, string path = "")
    {
        var diffs = new List<string>();
        Walk(desired, live, path, diffs);
        return diffs;
    }

    private static void Walk(JsonNode? desired, JsonNode? live, string path, List<string> diffs)
    {
        switch (desired)
        {
            case JsonObject d:
                if (live is not JsonObject l) { diffs.Add(Display(path)); return; }
                foreach (var (key, value) in d)
                    Walk(value, l.TryGetPropertyValue(key, out var lv) ? lv : null, path.Length == 0 ? key : $"{path}.{key}", diffs);
                return;
            case JsonArray da:
                if (live is not JsonArray la || la.Count != da.Count) { diffs.Add(Display(path)); return; }
                for (var i = 0; i < da.Count; i++) Walk(da[i], la[i], $"{path}[{i}]", diffs);
                return;
            case null:
                if (live is not null) diffs.Add(Display(path));
                return;
            default:
                if (live is null || ScalarText(desired) != ScalarText(live)) diffs.Add(Display(path));
                return;
        }
    }

    /// <summary>
    /// Fields this module's field manager applied before (metadata.managedFields, operation Apply) that the desired
    /// object no longer has: applying it again makes the server remove them (a switch turned off, a transform taken
    /// away), so they are changes too. Lists and their items count as one field.
    /// </summary>
    public static List<string> OwnedNotDesired(JsonObject desired, JsonObject live, string manager)
    {
        var removed = new List<string>();
        foreach (var entry in live["metadata"]?["managedFields"] as JsonArray ?? new JsonArray())
            if ((string?)entry?["manager"] == manager && (string?)entry?["operation"] == "Apply" && entry?["fieldsV1"] is JsonObject fields)
                WalkOwned(fields, desired, "", removed);
        return removed.Distinct().ToList();
    }

    private static void WalkOwned(JsonObject fields, JsonObject desired, string path, List<string> removed)
    {
        foreach (var (key, child) in fields)
        {
            // "." is the node itself; "k:", "v:" and "i:" are list items, compared with their list.
            if (!key.StartsWith("f:", StringComparison.Ordinal)) continue;
            var name = key[2..];
            var at = path.Length == 0 ? name : $"{path}.{name}";
            if (!desired.TryGetPropertyValue(name, out var value)) { removed.Add($"{at} (removed)"); continue; }
            if (child is JsonObject owned && value is JsonObject d) WalkOwned(owned, d, at, removed);
        }
    }

    private static string ScalarText(JsonNode n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n.ToJsonString();

    private static string Display(string path) => path.Length == 0 ? "(object)" : path;
}
