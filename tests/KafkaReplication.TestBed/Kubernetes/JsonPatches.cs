using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>The non-apply PATCH flavours: JSON merge patch (RFC 7386) and JSON patch (RFC 6902).</summary>
internal static class JsonPatches
{
    /// <summary>
    /// RFC 7386: objects merge recursively, null removes a key, anything else replaces. Strategic merge patch is
    /// served the same way: the emulator has no patchMergeKey metadata, so lists replace instead of merging by key.
    /// </summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key], value);
            }
        }

        return result;
    }

    /// <summary>RFC 6902: add, remove, replace, move, copy and test, applied in order to a copy.</summary>
    public static JsonNode? JsonPatch(JsonNode target, JsonArray operations)
    {
        JsonNode? document = target.DeepClone();
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op || op["op"]?.GetValue<string>() is not { } name || op["path"]?.GetValue<string>() is not { } path)
            {
                throw Invalid("each operation needs \"op\" and \"path\"");
            }

            switch (name)
            {
                case "add":
                    document = Add(document, path, Required(op, "value"));
                    break;
                case "remove":
                    document = Remove(document, path, out _);
                    break;
                case "replace":
                    document = Remove(document, path, out _);
                    document = Add(document, path, Required(op, "value"));
                    break;
                case "move":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw Invalid("move needs \"from\"");
                    document = Remove(document, from, out var moved);
                    document = Add(document, path, moved);
                    break;
                }

                case "copy":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw Invalid("copy needs \"from\"");
                    document = Add(document, path, Resolve(document, from)?.DeepClone());
                    break;
                }

                case "test":
                    if (!JsonNode.DeepEquals(Resolve(document, path), Required(op, "value")))
                    {
                        throw Invalid($"testing value {path} failed");
                    }

                    break;
                default:
                    throw Invalid($"Unexpected kind: {name}");
            }
        }

        return document;
    }

    private static JsonNode? Required(JsonObject op, string member) =>
        op.TryGetPropertyValue(member, out var value) ? value?.DeepClone() : throw Invalid($"missing \"{member}\"");

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw Invalid($"JSON pointer must start with '/': {pointer}");
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    private static JsonNode? Resolve(JsonNode? document, string pointer) => Resolve(document, Tokens(pointer), pointer);

    private static JsonNode? Resolve(JsonNode? document, IEnumerable<string> tokens, string pointer)
    {
        var node = document;
        foreach (var token in tokens)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Invalid($"path {pointer} does not exist"),
            };
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? document, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            return value;
        }

        var parent = Resolve(document, tokens[..^1], pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Invalid($"cannot add at {pointer}");
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string pointer, out JsonNode? removed)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            throw Invalid("cannot remove the whole document");
        }

        var parent = Resolve(document, tokens[..^1], pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var child):
                removed = child;
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw Invalid($"Unable to remove nonexistent key: {last}: missing value");
        }

        return document;
    }

    // apiserver patch.go answers a patch that cannot be applied with 422 (NewGenericServerResponse).
    private static ApiError Invalid(string message) => StatusErrors.UnprocessablePatch(message);
}
