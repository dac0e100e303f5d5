using System.Globalization;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>
/// Status conditions as Strimzi's StatusUtils builds them: Ready, NotReady with the exception's class name as reason,
/// Warning with a reason. A condition that did not change keeps its lastTransitionTime, so that rewriting an unchanged
/// status is a no-op for the API server (Strimzi's StatusDiff ignores the timestamps too).
/// </summary>
internal static class StrimziConditions
{
    public static JsonObject Ready() => Build("Ready", null, null);

    public static JsonObject NotReady(string reason, string message) => Build("NotReady", reason, message);

    public static JsonObject Warning(string reason, string message) => Build("Warning", reason, message);

    /// <summary>Stamps each condition with the previous status's time for the same condition, or now.</summary>
    public static JsonArray Stamp(IEnumerable<JsonObject> conditions, JsonNode? previousStatus)
    {
        var previous = (previousStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var stamped = new JsonArray();
        foreach (var condition in conditions)
        {
            var same = previous.FirstOrDefault(p => Key(p) == Key(condition));
            var copy = (JsonObject)condition.DeepClone();
            copy["lastTransitionTime"] = same?["lastTransitionTime"]?.DeepClone() ?? now;
            stamped.Add(copy);
        }

        return stamped;
    }

    private static string Key(JsonObject c) => $"{c["type"]}|{c["status"]}|{c["reason"]}|{c["message"]}";

    private static JsonObject Build(string type, string? reason, string? message)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = "True" };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        if (message is not null)
        {
            condition["message"] = message;
        }

        return condition;
    }
}
