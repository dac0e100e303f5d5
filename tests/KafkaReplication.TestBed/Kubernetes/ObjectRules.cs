using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>What the API server's registry strategies do to an object on its way in: names, defaults, Secrets.</summary>
internal static partial class ObjectRules
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789"; // apiserver names.SimpleNameGenerator

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }

        return metadata;
    }

    public static string? Name(JsonObject obj) => obj["metadata"]?["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Resolves metadata.generateName into a name, as POST does.</summary>
    public static void GenerateName(JsonObject obj)
    {
        var metadata = Metadata(obj);
        if (string.IsNullOrEmpty(Name(obj)) && metadata["generateName"] is JsonValue g && g.TryGetValue<string>(out var prefix) && prefix.Length > 0)
        {
            var suffix = new string(Enumerable.Range(0, 5).Select(_ => GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)]).ToArray());
            metadata["name"] = prefix + suffix;
        }
    }

    /// <summary>ValidateObjectMeta's name checks (422 Invalid).</summary>
    public static void ValidateName(ResourceType type, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw StatusErrors.Invalid(type.Kind, type.Group, "", "metadata.name", "FieldValueRequired", "Required value: name or generateName is required");
        }

        var problem = type.NameRule switch
        {
            NameRule.Dns1123Label when name.Length > 63 => "must be no more than 63 characters",
            NameRule.Dns1123Label when !Dns1123Label().IsMatch(name) =>
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            NameRule.Dns1035Label when name.Length > 63 => "must be no more than 63 characters",
            NameRule.Dns1035Label when !Dns1035Label().IsMatch(name) =>
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            NameRule.Dns1123Subdomain when name.Length > 253 => "must be no more than 253 characters",
            NameRule.Dns1123Subdomain when !Dns1123Subdomain().IsMatch(name) =>
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            NameRule.PathSegment when name is "." or ".." => $"may not be '{name}'",
            NameRule.PathSegment when name.Contains('/') || name.Contains('%') => $"may not contain '{(name.Contains('/') ? "/" : "%")}'",
            _ => null,
        };
        if (problem is not null)
        {
            throw StatusErrors.Invalid(type.Kind, type.Group, name, "metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": {problem}");
        }
    }

    /// <summary>Defaults the registry sets on create; status written by clients on create is dropped (PrepareForCreate).</summary>
    public static void PrepareForCreate(ResourceType type, JsonObject obj, bool keepStatus)
    {
        if (!keepStatus)
        {
            obj.Remove("status");
        }

        if (type is { Group: "", Plural: "namespaces" })
        {
            // Since 1.21 every namespace carries this immutable label (NamespaceDefaultLabelName).
            var metadata = Metadata(obj);
            if (metadata["labels"] is not JsonObject labels)
            {
                labels = new JsonObject();
                metadata["labels"] = labels;
            }

            labels["kubernetes.io/metadata.name"] = Name(obj);
            obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] ??= new JsonObject { ["phase"] = "Active" };
        }
        else if (type is { Group: "", Plural: "pods" })
        {
            obj["status"] ??= new JsonObject { ["phase"] = "Pending" };
        }
        else if (type is { Group: "", Plural: "services" })
        {
            obj["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }

    /// <summary>Secrets: stringData is write-only; its entries are base64-encoded into data (secret strategy).</summary>
    public static void FoldStringData(ResourceType type, JsonObject obj)
    {
        if (type is not { Group: "", Plural: "secrets" } || obj["stringData"] is not JsonObject stringData)
        {
            obj.Remove("stringData");
            return;
        }

        if (obj["data"] is not JsonObject data)
        {
            data = new JsonObject();
            obj["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
        }

        obj.Remove("stringData");
    }

    /// <summary>True when anything outside metadata and status differs: what bumps metadata.generation.</summary>
    public static bool SpecChanged(JsonObject before, JsonObject after)
    {
        var keys = before.Select(p => p.Key).Union(after.Select(p => p.Key)).Where(k => k is not ("metadata" or "status" or "apiVersion" or "kind"));
        return keys.Any(k => !JsonNode.DeepEquals(before[k], after[k]));
    }

    public static IEnumerable<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray list ? list.Select(f => f?.ToString() ?? "") : [];

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();
}
