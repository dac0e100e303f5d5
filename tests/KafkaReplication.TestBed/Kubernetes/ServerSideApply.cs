using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>The fields one manager owns through server-side apply, as JSON pointers to leaves.</summary>
internal sealed class ManagedFieldSet
{
    public required HashSet<string> Fields { get; init; }

    public required string ApiVersion { get; set; }

    public required string Time { get; set; }
}

/// <summary>
/// Server-side apply, reduced to what clients observe (https://kubernetes.io/docs/reference/using-api/server-side-apply/):
/// the new live object is the live object minus the fields this manager applied last time and nobody else owns,
/// merged with the applied configuration (maps merge; lists and scalars replace, i.e. every list is atomic, as for
/// custom resources without list-type markers). A field another manager owns with a different value is a conflict
/// (409) unless force=true, which takes it over. Plain updates (PUT, merge/JSON patch) that change a field take it
/// away from its appliers, as the real field manager does for Update operations.
/// </summary>
internal static class ServerSideApply
{
    // Identity and server-owned metadata: never owned, never removed.
    private static readonly HashSet<string> Unowned = new(StringComparer.Ordinal)
    {
        "/apiVersion", "/kind", "/metadata/name", "/metadata/namespace", "/metadata/uid", "/metadata/resourceVersion",
        "/metadata/generation", "/metadata/creationTimestamp", "/metadata/managedFields", "/metadata/deletionTimestamp",
        "/metadata/deletionGracePeriodSeconds", "/metadata/selfLink",
    };

    /// <summary>Applies <paramref name="config"/> for <paramref name="key"/>, returning the new object and field sets.</summary>
    /// <param name="statusOnly">True for the /status subresource: only .status is applied; otherwise .status is left alone.</param>
    public static (JsonObject Result, Dictionary<(string Manager, string Subresource), ManagedFieldSet> Sets) Apply(
        JsonObject? live,
        JsonObject config,
        (string Manager, string Subresource) key,
        bool force,
        IReadOnlyDictionary<(string Manager, string Subresource), ManagedFieldSet> sets,
        bool statusOnly,
        ResourceType type,
        string name,
        string now)
    {
        var scoped = (JsonObject)StripNulls(config)!;
        var newFields = Leaves(scoped).Where(p => !Unowned.Contains(p) && IsStatus(p) == statusOnly).ToHashSet(StringComparer.Ordinal);

        var result = new Dictionary<(string, string), ManagedFieldSet>();
        foreach (var (owner, set) in sets)
        {
            result[owner] = new ManagedFieldSet { Fields = [.. set.Fields], ApiVersion = set.ApiVersion, Time = set.Time };
        }

        var conflicts = new List<(string Manager, string Field)>();
        foreach (var (owner, set) in result.Where(s => s.Key != key))
        {
            foreach (var field in newFields.Where(set.Fields.Contains).ToList())
            {
                if (!JsonNode.DeepEquals(Get(live, field), Get(scoped, field)))
                {
                    conflicts.Add((owner.Item1, ToFieldPath(field)));
                    set.Fields.Remove(field);
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw StatusErrors.ApplyConflicts(type, name, conflicts);
        }

        var next = live is null ? new JsonObject() : (JsonObject)live.DeepClone();
        var ownedByOthers = result.Where(s => s.Key != key).SelectMany(s => s.Value.Fields).ToHashSet(StringComparer.Ordinal);
        if (result.TryGetValue(key, out var previous))
        {
            foreach (var field in previous.Fields.Where(f => !newFields.Contains(f) && !ownedByOthers.Contains(f)))
            {
                Remove(next, field);
            }
        }

        foreach (var (property, value) in scoped)
        {
            if ((property == "status") == statusOnly)
            {
                next[property] = Merge(next[property], value);
            }
        }

        var apiVersion = scoped["apiVersion"]?.GetValue<string>() ?? type.ApiVersion;
        if (newFields.Count == 0)
        {
            result.Remove(key);
        }
        else if (previous is null || !previous.Fields.SetEquals(newFields))
        {
            result[key] = new ManagedFieldSet { Fields = newFields, ApiVersion = apiVersion, Time = now };
        }

        foreach (var empty in result.Where(s => s.Value.Fields.Count == 0).Select(s => s.Key).ToList())
        {
            result.Remove(empty);
        }

        return (next, result);
    }

    /// <summary>An update (not an apply) that changed a field takes it away from the managers that applied it.</summary>
    public static void ReleaseChangedFields(JsonObject before, JsonObject after, Dictionary<(string Manager, string Subresource), ManagedFieldSet> sets)
    {
        foreach (var (owner, set) in sets.ToList())
        {
            set.Fields.RemoveWhere(f => !JsonNode.DeepEquals(Get(before, f), Get(after, f)));
            if (set.Fields.Count == 0)
            {
                sets.Remove(owner);
            }
        }
    }

    /// <summary>metadata.managedFields in the FieldsV1 form ("f:data": {"f:key": {}}), one Apply entry per manager.</summary>
    public static JsonArray Render(IReadOnlyDictionary<(string Manager, string Subresource), ManagedFieldSet> sets)
    {
        var entries = new JsonArray();
        foreach (var ((manager, subresource), set) in sets.OrderBy(s => s.Key.Manager, StringComparer.Ordinal).ThenBy(s => s.Key.Subresource, StringComparer.Ordinal))
        {
            var fields = new JsonObject();
            foreach (var pointer in set.Fields.Order(StringComparer.Ordinal))
            {
                var node = fields;
                foreach (var token in Tokens(pointer))
                {
                    var name = "f:" + token;
                    if (node[name] is not JsonObject child)
                    {
                        child = new JsonObject();
                        node[name] = child;
                    }

                    node = child;
                }
            }

            var entry = new JsonObject
            {
                ["manager"] = manager,
                ["operation"] = "Apply",
                ["apiVersion"] = set.ApiVersion,
                ["time"] = set.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = fields,
            };
            if (subresource.Length > 0)
            {
                entry["subresource"] = subresource;
            }

            entries.Add(entry);
        }

        return entries;
    }

    private static bool IsStatus(string pointer) => pointer == "/status" || pointer.StartsWith("/status/", StringComparison.Ordinal);

    // Maps merge key by key; lists and scalars replace (atomic).
    private static JsonNode? Merge(JsonNode? live, JsonNode? applied)
    {
        if (applied is JsonObject appliedObject && live is JsonObject liveObject)
        {
            var merged = (JsonObject)liveObject.DeepClone();
            foreach (var (key, value) in appliedObject)
            {
                merged[key] = Merge(merged[key], value);
            }

            return merged;
        }

        return applied?.DeepClone();
    }

    // A null in an applied configuration sets nothing and owns nothing.
    private static JsonNode? StripNulls(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return node?.DeepClone();
        }

        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (value is not null)
            {
                result[key] = StripNulls(value);
            }
        }

        return result;
    }

    private static IEnumerable<string> Leaves(JsonObject obj, string prefix = "")
    {
        foreach (var (key, value) in obj)
        {
            var pointer = prefix + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
            if (value is JsonObject { Count: > 0 } child)
            {
                foreach (var leaf in Leaves(child, pointer))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return pointer;
            }
        }
    }

    private static string[] Tokens(string pointer) =>
        pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static string ToFieldPath(string pointer) => "." + string.Join('.', Tokens(pointer));

    private static JsonNode? Get(JsonNode? node, string pointer)
    {
        foreach (var token in Tokens(pointer))
        {
            node = node is JsonObject obj ? obj[token] : null;
        }

        return node;
    }

    // Removes a leaf and then every map it leaves empty (but not the object or its metadata).
    private static void Remove(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        var chain = new List<JsonObject> { root };
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            if (chain[^1][tokens[i]] is not JsonObject next)
            {
                return;
            }

            chain.Add(next);
        }

        chain[^1].Remove(tokens[^1]);
        for (var i = chain.Count - 1; i >= 1; i--)
        {
            if (chain[i].Count > 0 || (i == 1 && tokens[0] == "metadata"))
            {
                break;
            }

            chain[i - 1].Remove(tokens[i - 1]);
        }
    }
}
