using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Strimzi;

namespace KafkaReplication.Engine.Validation;

/// <summary>
/// What the kafka.strimzi.io/v1 schemas (Strimzi 0.49+) demand of hand-written or older manifests: the KafkaConnect's
/// storage fields (KafkaConnectSpec.java @RequiredInVersions("v1+")), no storage keys in spec.config (refused from
/// 1.0), no KafkaConnector spec.pause, and no target security read from a worker file that holds placeholders.
/// </summary>
internal static class StrimziSchemaChecks
{
    private static readonly string[] StorageFields = { "groupId", "configStorageTopic", "offsetStorageTopic", "statusStorageTopic" };

    public static void Check(IReadOnlyList<ManifestObject> objects, Action<FindingSeverity, string, string, string> add)
    {
        foreach (var o in objects.Where(o => o.Kind is "KafkaConnect" or "KafkaConnector" && o.ApiVersion == StrimziApi.V1))
        {
            var spec = o.Body["spec"] as JsonObject ?? new JsonObject();
            if (o.Kind == "KafkaConnect")
            {
                var missing = StorageFields.Where(f => spec[f] is null).ToList();
                if (missing.Count > 0)
                    add(FindingSeverity.Error, "StrimziV1FieldMissing", $"{o.DisplayName} is kafka.strimzi.io/v1, whose schema requires spec.{string.Join(", spec.", missing)}.", o.DisplayName);
                var keys = StrimziVersion.StorageConfigKeys.Where(k => spec["config"]?[k] is not null).ToList();
                if (keys.Count > 0)
                    add(FindingSeverity.Error, "StrimziV1ConfigKeyForbidden", $"{o.DisplayName} sets {string.Join(", ", keys)} in spec.config: deprecated in Strimzi 0.49 and refused from 1.0; use spec.groupId and the spec.*StorageTopic fields.", o.DisplayName);
            }
            else
            {
                if (spec["pause"] is not null)
                    add(FindingSeverity.Error, "StrimziV1PauseRemoved", $"{o.DisplayName} sets spec.pause, which kafka.strimzi.io/v1 does not have (the API server drops it); use spec.state.", o.DisplayName);
                foreach (var (key, value) in spec["config"] as JsonObject ?? new JsonObject())
                    if (value?.ToString() is { } v && v.Contains(ConfigRef.WorkerPropertiesFile, StringComparison.Ordinal)
                        && (v.Contains(":sasl.", StringComparison.Ordinal) || v.Contains(":ssl.", StringComparison.Ordinal)))
                        add(FindingSeverity.Error, "WorkerFilePlaceholder", $"{o.DisplayName} '{key}' reads {v}; from Strimzi 0.46 that file holds config-provider placeholders, not the values. Read the target's settings from the flow's own ConfigMap and Secrets.", o.DisplayName);
            }
        }
    }
}
