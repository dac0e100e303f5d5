using System.Text.Json.Nodes;
using Xunit;

namespace KafkaReplication.Engine.Tests;

internal static class JsonAssert
{
    /// <summary>Every key of expected is in actual with the same value (scalars compared as text); returns mismatches.</summary>
    public static List<string> Missing(JsonNode? expected, JsonNode? actual, string path = "")
    {
        var errors = new List<string>();
        Walk(expected, actual, path, errors);
        return errors;
    }

    private static void Walk(JsonNode? e, JsonNode? a, string path, List<string> errors)
    {
        switch (e)
        {
            case JsonObject eo:
                if (a is not JsonObject ao) { errors.Add($"{path}: expected an object, got {a?.ToJsonString() ?? "nothing"}"); return; }
                foreach (var (k, v) in eo) Walk(v, ao[k], $"{path}.{k}", errors);
                return;
            case JsonArray ea:
                if (a is not JsonArray aa || aa.Count != ea.Count) { errors.Add($"{path}: expected {ea.ToJsonString()}, got {a?.ToJsonString() ?? "nothing"}"); return; }
                for (var i = 0; i < ea.Count; i++) Walk(ea[i], aa[i], $"{path}[{i}]", errors);
                return;
            case null:
                if (a is not null) errors.Add($"{path}: expected null, got {a.ToJsonString()}");
                return;
            default:
                if (a is null || Text(e) != Text(a)) errors.Add($"{path}: expected {e.ToJsonString()}, got {a?.ToJsonString() ?? "nothing"}");
                return;
        }
    }

    /// <summary>Leaf paths of a node (for finding keys one side has and the other lacks).</summary>
    public static IEnumerable<string> LeafPaths(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                    foreach (var p in LeafPaths(v, $"{path}.{k}")) yield return p;
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                    foreach (var p in LeafPaths(arr[i], $"{path}[{i}]")) yield return p;
                break;
            default:
                yield return path;
                break;
        }
    }

    private static string Text(JsonNode n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n.ToJsonString();

    public static void Empty(List<string> errors, string context) =>
        Assert.True(errors.Count == 0, $"{context}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
}
