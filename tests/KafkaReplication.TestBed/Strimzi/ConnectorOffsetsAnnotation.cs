using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Kubernetes;
using static KafkaReplication.TestBed.Strimzi.StrimziNames;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>
/// Strimzi 0.44+ connector offsets without REST (AbstractConnectOperator.manageConnectorOffsets, proposal 076):
/// the annotation <c>strimzi.io/connector-offsets</c> = list writes GET .../offsets into the ConfigMap named by
/// spec.listOffsets.toConfigMap (key offsets.json); alter PATCHes the offsets from spec.alterOffsets.fromConfigMap;
/// reset DELETEs them. alter and reset need the connector to report STOPPED. The annotation is removed once done;
/// a failure becomes a Warning condition and the annotation stays, to be retried on the next reconciliation.
/// </summary>
internal sealed class ConnectorOffsetsAnnotation(KubernetesEmulator k8s, ConnectorStore herder)
{
    public const string ConfigMapKey = "offsets.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Apply(JsonObject connector, List<JsonObject> warnings)
    {
        var name = Str(connector, "metadata", "name")!;
        switch (Annotation(connector, ConnectorOffsets))
        {
            case null:
                return;
            case "list":
                Guard(warnings, "ListOffsets", "Encountered error listing connector offsets. ", () => List(connector, name, warnings));
                return;
            case "alter":
                Guard(warnings, "AlterOffsets", "Encountered error altering connector offsets. ", () => Alter(connector, name, warnings));
                return;
            case "reset":
                Guard(warnings, "ResetOffsets", "Encountered error resetting connector offsets. ", () =>
                {
                    RequireStopped(name);
                    Rest("DELETE", $"/connectors/{name}/offsets", () => herder.ResetOffsets(name));
                    Done(connector);
                });
                return;
            case var other:
                warnings.Add(StrimziConditions.Warning("ManageOffsets",
                    $"Encountered error getting connector offsets annotation. Annotation {ConnectorOffsets} has an unsupported value '{other}'; supported values are list, alter and reset"));
                return;
        }
    }

    private static void Guard(List<JsonObject> warnings, string reason, string prefix, Action action)
    {
        try
        {
            action();
        }
        catch (OffsetsException e)
        {
            warnings.Add(StrimziConditions.Warning(reason, prefix + e.Message));
        }
    }

    private void List(JsonObject connector, string name, List<JsonObject> warnings)
    {
        if (Str(connector, "spec", "listOffsets", "toConfigMap", "name") is not { } configMapName)
        {
            warnings.Add(StrimziConditions.Warning("ListOffsets", $"Failed to list the connector offsets due to missing property listOffsets in {KafkaConnector} CR."));
            return;
        }

        var offsets = Rest("GET", $"/connectors/{name}/offsets", () => herder.Offsets(name)).ToJsonString(Indented);
        var ns = Str(connector, "metadata", "namespace")!;

        // generateListOffsetsConfigMap: an existing ConfigMap keeps its other keys, gains the connector's labels and,
        // if it has none, an owner reference to the connector.
        var configMap = k8s.Get("v1", "ConfigMap", ns, configMapName) ?? new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = configMapName, ["namespace"] = ns },
        };
        var metadata = configMap["metadata"]!.AsObject();
        var labels = metadata["labels"] as JsonObject ?? new JsonObject();
        foreach (var (key, value) in connector["metadata"]?["labels"] as JsonObject ?? [])
        {
            labels[key] = value?.DeepClone();
        }

        metadata["labels"] = labels;
        if (metadata["ownerReferences"] is not JsonArray { Count: > 0 })
        {
            metadata["ownerReferences"] = new JsonArray(OwnerReference(connector, controller: false));
        }

        var data = configMap["data"] as JsonObject ?? new JsonObject();
        data[ConfigMapKey] = offsets;
        configMap["data"] = data;
        k8s.Upsert(configMap);
        Done(connector);
    }

    private void Alter(JsonObject connector, string name, List<JsonObject> warnings)
    {
        if (Str(connector, "spec", "alterOffsets", "fromConfigMap", "name") is not { } configMapName)
        {
            warnings.Add(StrimziConditions.Warning("AlterOffsets", $"Failed to alter the connector offsets due to missing property alterOffsets in {KafkaConnector} CR."));
            return;
        }

        RequireStopped(name);
        var ns = Str(connector, "metadata", "namespace")!;
        var configMap = k8s.Get("v1", "ConfigMap", ns, configMapName)
            ?? throw new OffsetsException($"Encountered error fetching offsets to use in alter operation. ConfigMap {ns}/{configMapName} does not exist.");
        var json = Str(configMap, "data", ConfigMapKey)
            ?? throw new OffsetsException($"Encountered error fetching offsets to use in alter operation. Data field {ConfigMapKey} is missing.");
        try
        {
            JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new OffsetsException($"Failed to parse contents of {ConfigMapKey} as JSON: {e.Message}");
        }

        Rest("PATCH", $"/connectors/{name}/offsets", () => herder.AlterOffsets(name, ConnectRestApi.ParseOffsets(json)));
        Done(connector);
    }

    // verifyConnectorStopped reads the reported state, not the target state.
    private void RequireStopped(string name)
    {
        if (Str(Rest("GET", $"/connectors/{name}/status", () => herder.Status(name)), "connector", "state") != "STOPPED")
        {
            throw new OffsetsException("Connector is not in STOPPED state");
        }
    }

    // KafkaConnectApiImpl turns an error answer into a ConnectRestException naming the request.
    private static T Rest<T>(string method, string path, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ConnectRestError e)
        {
            var reason = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(e.Code);
            throw new OffsetsException($"{method} {path} returned {e.Code} ({reason}): {e.Message}");
        }
    }

    private void Done(JsonObject connector) => KafkaConnectorReconciler.RemoveAnnotations(k8s, connector, ConnectorOffsets);

    private sealed class OffsetsException(string message) : Exception(message);
}
