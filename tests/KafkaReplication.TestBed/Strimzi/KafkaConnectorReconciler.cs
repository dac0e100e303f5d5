using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Kubernetes;
using static KafkaReplication.TestBed.Strimzi.StrimziNames;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>
/// Reconciles one KafkaConnector against its cluster's Connect emulator, in the order of Strimzi's
/// AbstractConnectOperator.maybeCreateOrUpdateConnector: a config that differs (or a missing connector) is written
/// with the desired state; otherwise the state is synced from the connector's *reported* state (updateState), then
/// offsets (0.44+), restart and restart-task annotations; finally the status. The operator talks to the herder
/// directly rather than over HTTP, so injected REST faults and recorded requests concern the module alone.
/// </summary>
internal sealed class KafkaConnectorReconciler(KubernetesEmulator k8s, StrimziVersion version, Func<string?>? ignoredOffsetsAction = null)
{
    public void Reconcile(JsonObject connector, Func<string, string, ConnectCluster?> clusterOf)
    {
        var ns = Str(connector, "metadata", "namespace")!;
        var name = Str(connector, "metadata", "name")!;

        // AbstractConnectOperator.createConnectorWatch / reconcileConnector: why a connector cannot be reconciled.
        var clusterName = Label(connector, ClusterLabel);
        if (clusterName is null)
        {
            WriteFailure(connector, "InvalidResourceException", $"Resource lacks label '{ClusterLabel}': No connect cluster in which to create this connector.");
            return;
        }

        var kafkaConnect = k8s.Get(ApiVersion, KafkaConnect, ns, clusterName);
        if (kafkaConnect is null || IsDeleting(kafkaConnect))
        {
            WriteFailure(connector, "NoSuchResourceException", $"KafkaConnect resource '{clusterName}' identified by label '{ClusterLabel}' does not exist in namespace {ns}.");
            return;
        }

        if (Long(kafkaConnect, 3, "spec", "replicas") == 0)
        {
            WriteFailure(connector, "RuntimeException", $"Kafka Connect cluster '{clusterName}' in namespace {ns} has 0 replicas.");
            return;
        }

        if (Annotation(kafkaConnect, UseConnectorResources) != "true")
        {
            WriteFailure(connector, "NoSuchResourceException", $"{KafkaConnect} {clusterName} is not configured with annotation {UseConnectorResources}");
            return;
        }

        // Not reconciled yet, or held by a rolling restart (Strimzi's per-cluster lock): the next pass will do it.
        if (clusterOf(ns, clusterName) is not { Rolling: false } cluster)
        {
            return;
        }

        if (connector["spec"] is not JsonObject spec)
        {
            WriteFailure(connector, "InvalidResourceException", "spec property is required");
            return;
        }

        var herder = cluster.Connect.Store;
        var desired = DesiredConfig(name, spec);
        // The v1 schema has no spec.pause: the API server prunes it, so it never reaches the operator.
        var target = TargetState(Str(connector, "apiVersion") == Group + "/v1" ? Without(spec, "pause") : spec, out var bothSet);
        var warnings = new List<JsonObject>();
        var current = cluster.Connect.Get(name);
        if (current is null || !SameConfig(desired, current.Config))
        {
            try
            {
                cluster.Connect.PutConnector(name, desired, target);
            }
            catch (ArgumentException e)
            {
                // KafkaConnectApiImpl surfaces a refused PUT as a ConnectRestException naming the request.
                WriteFailure(connector, "ConnectRestException", $"PUT /connectors/{name}/config returned 400 (Bad Request): {e.Message}");
                return;
            }

            // The connector starts with its config resolved in the pod: one it cannot use to connect fails.
            if (ConnectorConfigResolver.Problem(k8s, ns, clusterName, desired, WorkerFile.For(k8s, kafkaConnect, version)) is { } trace)
            {
                cluster.Connect.FailConnector(name, trace);
            }
        }
        else
        {
            if (bothSet)
            {
                warnings.Add(StrimziConditions.Warning("UpdateState",
                    $"Both pause and state are set. Since pause is deprecated, state takes precedence so the connector will be {Str(spec, "state")}"));
            }

            UpdateState(cluster.Connect, name, current.ConnectorState, target);
            if (version >= StrimziVersion.V0_45 && (ignoredOffsetsAction?.Invoke() is not { } ignored || Annotation(connector, ConnectorOffsets) != ignored))
            {
                new ConnectorOffsetsAnnotation(k8s, herder).Apply(connector, warnings);
            }

            MaybeRestartConnector(connector, herder, warnings);
            MaybeRestartTask(connector, herder, warnings);
        }

        WriteSuccess(connector, spec, herder.Status(name), warnings);
    }

    private static JsonObject Without(JsonObject o, string key)
    {
        var copy = (JsonObject)o.DeepClone();
        copy.Remove(key);
        return copy;
    }

    /// <summary>spec.config (values as strings) plus name, connector.class and tasks.max, as needsReconfiguring compares them.</summary>
    private static JsonObject DesiredConfig(string name, JsonObject spec)
    {
        var config = new JsonObject();
        foreach (var (key, value) in spec["config"] as JsonObject ?? [])
        {
            if (value is JsonValue v)
            {
                config[key] = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
            }
        }

        if (spec["tasksMax"] is JsonValue tasksMax)
        {
            config["tasks.max"] = tasksMax.ToJsonString().Trim('"');
        }

        config["name"] = name;
        if (Str(spec, "class") is { } connectorClass)
        {
            config["connector.class"] = connectorClass;
        }

        return config;
    }

    private static bool SameConfig(JsonObject desired, JsonObject actual) =>
        desired.Count == actual.Count && desired.All(p => actual[p.Key]?.ToString() == p.Value?.ToString());

    // spec.state wins; the deprecated spec.pause: true means paused.
    private static string TargetState(JsonObject spec, out bool bothSet)
    {
        var state = Str(spec, "state");
        var pause = spec["pause"] is JsonValue p && p.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? p.GetValue<bool>() : (bool?)null;
        bothSet = state is not null && pause is not null;
        return state switch
        {
            "paused" => ConnectorRecord.Paused,
            "stopped" => ConnectorRecord.Stopped,
            "running" => ConnectorRecord.Started,
            _ => pause == true ? ConnectorRecord.Paused : ConnectorRecord.Started,
        };
    }

    // AbstractConnectOperator.updateState: from the reported state; UNASSIGNED, RESTARTING and FAILED are left alone.
    private static void UpdateState(ConnectEmulator connect, string name, string reported, string target)
    {
        var wanted = target switch
        {
            ConnectorRecord.Paused => "PAUSED",
            ConnectorRecord.Stopped => "STOPPED",
            _ => "RUNNING",
        };
        if (reported is "RUNNING" or "PAUSED" or "STOPPED" && reported != wanted)
        {
            connect.SetTargetState(name, target);
        }
    }

    // strimzi.io/restart: "true" restarts the connector instance; includeTasks / onlyFailed restart tasks too.
    private void MaybeRestartConnector(JsonObject connector, ConnectorStore herder, List<JsonObject> warnings)
    {
        var value = Annotation(connector, Restart);
        if (value is null)
        {
            return;
        }

        var args = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var name = Str(connector, "metadata", "name")!;
        if (value != "true" && (args.Length == 0 || args.Any(a => a is not ("includeTasks" or "onlyFailed"))))
        {
            warnings.Add(StrimziConditions.Warning("RestartConnector", "Invalid annotation format"));
            return;
        }

        try
        {
            if (value == "true")
            {
                herder.RestartConnector(name);
            }
            else
            {
                herder.RestartConnectorAndTasks(name, args.Contains("includeTasks"), args.Contains("onlyFailed"));
            }

            RemoveAnnotations(k8s, connector, Restart);
        }
        catch (ConnectRestError e)
        {
            warnings.Add(StrimziConditions.Warning("RestartConnector", $"Failed to restart connector {name}. {e.Message}"));
        }
    }

    // strimzi.io/restart-task: "<id>"; a value that is not a task id is ignored, a failure kept for the next pass.
    private void MaybeRestartTask(JsonObject connector, ConnectorStore herder, List<JsonObject> warnings)
    {
        if (!int.TryParse(Annotation(connector, RestartTask), NumberStyles.None, CultureInfo.InvariantCulture, out var task))
        {
            return;
        }

        var name = Str(connector, "metadata", "name")!;
        try
        {
            herder.RestartTask(name, task);
            RemoveAnnotations(k8s, connector, RestartTask);
        }
        catch (ConnectRestError e)
        {
            warnings.Add(StrimziConditions.Warning("RestartConnectorTask", $"Failed to restart connector task {name}:{task}. {e.Message}"));
        }
    }

    /// <summary>Removes annotations from the stored object (the stored status stays).</summary>
    public static void RemoveAnnotations(KubernetesEmulator k8s, JsonObject connector, params string[] keys)
    {
        var stored = k8s.Get(ApiVersion, KafkaConnector, Str(connector, "metadata", "namespace"), Str(connector, "metadata", "name")!);
        if (stored?["metadata"]?["annotations"] is not JsonObject annotations || !keys.Any(annotations.ContainsKey))
        {
            return;
        }

        foreach (var key in keys)
        {
            annotations.Remove(key);
        }

        stored.Remove("status");
        k8s.Upsert(stored);
    }

    private void WriteSuccess(JsonObject connector, JsonObject spec, JsonObject connectorStatus, List<JsonObject> warnings)
    {
        // Readiness from the reported state (AbstractConnectOperator.maybeUpdateConnectorStatus).
        var failedTasks = connectorStatus["tasks"]!.AsArray().Where(t => Str(t, "state") == "FAILED").Select(t => t!["id"]!.ToJsonString()).ToList();
        var readiness = Str(connectorStatus, "connector", "state") == "FAILED"
            ? StrimziConditions.NotReady("Throwable", "Connector has failed, see connectorStatus for more details.")
            : failedTasks.Count > 0
                ? StrimziConditions.NotReady("Throwable", $"The following tasks have failed: {string.Join(", ", failedTasks)}, see connectorStatus for more details.")
                : StrimziConditions.Ready();
        var tasks = connectorStatus["tasks"]!.AsArray().Count;
        var status = new JsonObject
        {
            ["conditions"] = StrimziConditions.Stamp([readiness, .. warnings], connector["status"]),
            ["observedGeneration"] = Long(connector, 1, "metadata", "generation"),
            ["connectorStatus"] = connectorStatus,
            ["tasksMax"] = tasks > 0 ? tasks : spec["tasksMax"]?.DeepClone(),
            ["topics"] = new JsonArray(),
        };
        Write(connector, status);
    }

    private void WriteFailure(JsonObject connector, string reason, string message)
    {
        var status = new JsonObject
        {
            ["conditions"] = StrimziConditions.Stamp([StrimziConditions.NotReady(reason, message)], connector["status"]),
            ["observedGeneration"] = Long(connector, 1, "metadata", "generation"),
        };
        if (connector["spec"]?["tasksMax"] is { } tasksMax)
        {
            status["tasksMax"] = tasksMax.DeepClone();
        }

        Write(connector, status);
    }

    private void Write(JsonObject connector, JsonObject status)
    {
        if (status["tasksMax"] is null)
        {
            status.Remove("tasksMax");
        }

        if (!JsonNode.DeepEquals(connector["status"], status))
        {
            k8s.PatchStatus(ApiVersion, KafkaConnector, Str(connector, "metadata", "namespace")!, Str(connector, "metadata", "name")!, status);
        }
    }
}
