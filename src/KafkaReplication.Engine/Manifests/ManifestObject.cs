using System.Text.Json.Nodes;

namespace KafkaReplication.Engine.Manifests;

/// <summary>One Kubernetes object of a flow, as plain JSON (the API's own shape, no client model types).</summary>
public sealed class ManifestObject
{
    public ManifestObject(JsonObject body)
    {
        Body = body;
    }

    public JsonObject Body { get; }
    public string ApiVersion => (string)Body["apiVersion"]!;
    public string Kind => (string)Body["kind"]!;
    public string Name => (string)Body["metadata"]!["name"]!;
    public string? Namespace => (string?)Body["metadata"]!["namespace"];
    /// <summary>Secret keys whose values are secret (rendered as placeholders unless asked otherwise).</summary>
    public IReadOnlyDictionary<string, string> SecretKeys { get; init; } = new Dictionary<string, string>();

    public string Group => ApiVersion.Contains('/') ? ApiVersion[..ApiVersion.IndexOf('/')] : "";
    public string Version => ApiVersion.Contains('/') ? ApiVersion[(ApiVersion.IndexOf('/') + 1)..] : ApiVersion;

    /// <summary>"Kind namespace/name", as the module names objects in messages.</summary>
    public string DisplayName => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    public override string ToString() => DisplayName;
}
