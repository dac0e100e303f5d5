using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>The discovery documents (/version, /api, /apis, /api/v1, /apis/{group}/{version}) built from the kind table.</summary>
internal static class Discovery
{
    public static JsonObject? Document(ResourceTypes types, string path)
    {
        var segments = path.Trim('/').Split('/');
        return segments switch
        {
            ["version"] => new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "33",
                ["gitVersion"] = "v1.33.0-emulator",
                ["platform"] = "linux/amd64",
            },
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(),
            },
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray(types.GroupVersions().Where(g => g.Group.Length > 0).GroupBy(g => g.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(JsonNode? (g) => new JsonObject
                    {
                        ["name"] = g.Key,
                        ["versions"] = new JsonArray(g.Select(JsonNode? (v) => new JsonObject { ["groupVersion"] = $"{g.Key}/{v.Version}", ["version"] = v.Version }).ToArray()),
                        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{g.Key}/{g.First().Version}", ["version"] = g.First().Version },
                    }).ToArray()),
            },
            ["api", var version] => Resources(types, "", version),
            ["apis", var group, var version] when types.IsServed(group, version) => Resources(types, group, version),
            _ => null,
        };
    }

    private static JsonObject Resources(ResourceTypes types, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in types.InGroupVersion(group, version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Kind.ToLowerInvariant(),
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            });
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural + "/status",
                ["singularName"] = "",
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray("get", "patch", "update"),
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
