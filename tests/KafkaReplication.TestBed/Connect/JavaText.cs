using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Connect;

/// <summary>Renders values as Java's toString does, for error messages that upstream builds with String.format.</summary>
internal static class JavaText
{
    /// <summary>AbstractMap.toString: <c>{key=value, key=value}</c>; strings unquoted, null as "null".</summary>
    public static string Of(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject map => "{" + string.Join(", ", map.Select(p => $"{p.Key}={Of(p.Value)}")) + "}",
        JsonArray list => "[" + string.Join(", ", list.Select(Of)) + "]",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
