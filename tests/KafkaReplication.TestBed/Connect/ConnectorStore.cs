using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Connect;

/// <summary>
/// The emulated herder: connectors, their states and offsets behind one lock, with the error texts of Apache Kafka 3.8
/// (DistributedHerder.java, AbstractHerder.java). <paramref name="onChanged"/> runs after the lock is released, once
/// per operation that changed something.
/// </summary>
internal sealed class ConnectorStore(string workerId, Action<string> onChanged)
{
    private const string AlteredMessage = "The offsets for this connector have been altered successfully";
    private const string ResetMessage = "The offsets for this connector have been reset successfully";

    private readonly Lock gate = new();
    private readonly SortedDictionary<string, ConnectorRecord> connectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OffsetTable> offsets = new(StringComparer.Ordinal);

    public string WorkerId => workerId;

    public IReadOnlyList<string> Names()
    {
        lock (gate)
        {
            return connectors.Keys.ToList();
        }
    }

    public ConnectorSnapshot? Snapshot(string name)
    {
        lock (gate)
        {
            return connectors.TryGetValue(name, out var record) ? record.Snapshot() : null;
        }
    }

    public JsonObject Info(string name) => Read(name, $"Connector {name} not found", r => r.Info(withTasks: true));

    public JsonObject Config(string name) => Read(name, $"Connector {name} not found", r => (JsonObject)r.Config.DeepClone());

    // AbstractHerder.connectorStatus
    public JsonObject Status(string name) => Read(name, $"No status found for connector {name}", r => r.Status());

    public JsonArray TaskConfigs(string name) => Read(name, $"Connector {name} not found", r =>
    {
        var taskClass = r.Class.EndsWith("Connector", StringComparison.Ordinal) ? r.Class[..^"Connector".Length] + "Task" : r.Class;
        return new JsonArray(Enumerable.Range(0, r.TaskConfigCount).Select(i =>
        {
            var config = (JsonObject)r.Config.DeepClone();
            config["task.class"] = taskClass;
            return (JsonNode)new JsonObject { ["id"] = r.TaskId(i), ["config"] = config };
        }).ToArray());
    });

    // AbstractHerder.taskStatus
    public JsonObject TaskStatus(string name, int task) => Read(name, $"No status found for task {name}-{task}", r =>
        (JsonObject?)r.Status()["tasks"]!.AsArray().FirstOrDefault(t => (int)t!["id"]! == task)?.DeepClone()
            ?? throw ConnectRestError.NotFound($"No status found for task {name}-{task}"));

    /// <summary>
    /// POST /connectors (<paramref name="allowReplace"/> false) or PUT .../config. A new connector starts in
    /// <paramref name="targetState"/>; an existing one keeps its target state unless one is given.
    /// </summary>
    public (bool Created, JsonObject Info) Put(string name, JsonObject rawConfig, bool allowReplace, string? targetState)
    {
        var config = NormalizeConfig(name, rawConfig);
        return Write(name, () =>
        {
            var exists = connectors.TryGetValue(name, out var record);
            if (exists && !allowReplace)
            {
                throw ConnectRestError.Conflict($"Connector {name} already exists");
            }

            // The answer lists the task configs known before this write, as DistributedHerder.putConnectorConfig does.
            var info = record?.Info(withTasks: true) ?? new ConnectorRecord(name, config, workerId).Info(withTasks: false);
            info["config"] = config.DeepClone();
            record ??= connectors[name] = new ConnectorRecord(name, config, workerId);
            record.Configure(config, targetState ?? (exists ? record.TargetState : ConnectorRecord.Started));
            return (!exists, info);
        });
    }

    public bool Delete(string name)
    {
        bool removed;
        lock (gate)
        {
            removed = connectors.Remove(name);
        }

        if (removed)
        {
            onChanged(name);
        }

        return removed;
    }

    public void SetTargetState(string name, string target, string unknownMessage) =>
        Mutate(name, unknownMessage, r => r.SetTargetState(target));

    public void SetNeverReachStopped(string name, bool value) =>
        Mutate(name, $"Connector {name} not found", r => r.SetNeverReachStopped(value));

    public void Fail(string name, string trace) => Mutate(name, $"Connector {name} not found", r => r.Fail(trace));

    public void FailTask(string name, int task, string trace) => Mutate(name, $"Connector {name} not found", r =>
    {
        var record = r.Tasks.FirstOrDefault(t => t.Id == task) ?? throw ConnectRestError.NotFound($"Unknown task: {name}-{task}");
        record.State = "FAILED";
        record.Trace = trace;
    });

    // DistributedHerder.restartConnector
    public void RestartConnector(string name) => Mutate(name, $"Unknown connector: {name}", r => r.RestartConnector());

    // DistributedHerder.restartTask
    public void RestartTask(string name, int task) => Mutate(name, $"Unknown connector: {name}", r =>
    {
        var record = task < r.TaskConfigCount ? r.Tasks.FirstOrDefault(t => t.Id == task) : null;
        r.RestartTask(record ?? throw ConnectRestError.NotFound($"Unknown task: {name}-{task}"));
    });

    /// <summary>
    /// DistributedHerder.restartConnectorAndTasks: answers the plan (RestartPlan.restartConnectorStateInfo, with
    /// RESTARTING for what restarts) and then carries it out, at once here.
    /// </summary>
    public JsonObject RestartConnectorAndTasks(string name, bool includeTasks, bool onlyFailed)
    {
        JsonObject? plan = null;
        Mutate(name, $"Unknown connector: {name}", r =>
        {
            // RestartRequest.shouldRestartConnector / shouldRestartTask
            var connector = !onlyFailed || r.State == "FAILED";
            var tasks = r.Tasks.Where(t => includeTasks && (!onlyFailed || t.State == "FAILED")).ToList();
            plan = r.Status(connector, tasks.Select(t => t.Id).ToHashSet());
            if (connector)
            {
                r.RestartConnector();
            }

            tasks.ForEach(r.RestartTask);
        });
        return plan!;
    }

    public JsonObject Offsets(string name)
    {
        lock (gate)
        {
            Require(name, $"Connector {name} not found");
            return Table(name).ToJson();
        }
    }

    public IReadOnlyList<(JsonObject Partition, JsonObject? Offset)> OffsetsOf(string name)
    {
        lock (gate)
        {
            return offsets.TryGetValue(name, out var table) ? table.Copy() : [];
        }
    }

    /// <summary>PATCH .../offsets after the resource's body check: existence, STOPPED, the connector's own validation.</summary>
    public string AlterOffsets(string name, IReadOnlyList<(JsonNode? Partition, JsonNode? Offset)> entries) => ModifyOffsets(name, record =>
    {
        var validated = MirrorOffsetRules.Validates(record.Class);
        MirrorOffsetRules.Validate(record.Class, entries);
        var changed = false;
        var table = Table(name);
        foreach (var (partition, offset) in entries)
        {
            if (partition is JsonObject p)
            {
                changed |= table.Put(p, offset as JsonObject);
            }
        }

        return (changed, validated ? AlteredMessage : FrameworkMessage("altered"));
    });

    /// <summary>DELETE .../offsets: every offset of the connector goes.</summary>
    public string ResetOffsets(string name) => ModifyOffsets(name, record =>
        (Table(name).Clear(), MirrorOffsetRules.Validates(record.Class) ? ResetMessage : FrameworkMessage("reset")));

    /// <summary>Offsets written as a running task commits them; a null offset removes the entry.</summary>
    public void CommitOffsets(string name, IEnumerable<(JsonObject Partition, JsonObject? Offset)> entries)
    {
        var changed = false;
        lock (gate)
        {
            if (!connectors.ContainsKey(name))
            {
                throw new InvalidOperationException($"Connector {name} not found");
            }

            var table = Table(name);
            foreach (var (partition, offset) in entries)
            {
                changed |= table.Put(partition, offset);
            }
        }

        if (changed)
        {
            onChanged(name);
        }
    }

    private static string FrameworkMessage(string verb) =>
        $"The Connect framework-managed offsets for this connector have been {verb} successfully. However, if this connector manages offsets externally, they will need to be manually {verb} in the system that the connector uses.";

    // Connector configs are Map<String, String>: Jackson turns scalars into strings and refuses objects and arrays.
    private static JsonObject NormalizeConfig(string name, JsonObject raw)
    {
        var config = new JsonObject();
        foreach (var (key, value) in raw)
        {
            switch (value)
            {
                case null:
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    config[key] = v.GetValue<string>();
                    break;
                case JsonValue v:
                    config[key] = v.ToJsonString();
                    break;
                default:
                    throw ConnectRestError.BadRequest($"Cannot deserialize value of type `java.lang.String` from {(value is JsonArray ? "Array" : "Object")} value (token `JsonToken.START_{(value is JsonArray ? "ARRAY" : "OBJECT")}`) for key '{key}'");
            }
        }

        // ConnectorsResource.checkAndPutConnectorConfigName
        if (config["name"]?.GetValue<string>() is { } included && included != name)
        {
            throw ConnectRestError.BadRequest($"Connector name configuration ({included}) doesn't match connector name in the URL ({name})");
        }

        config["name"] = name;

        // AbstractHerder.validateConnectorConfig
        if (config["connector.class"] is null)
        {
            throw ConnectRestError.BadRequest($"Connector config {JavaText.Of(config)} contains no connector type");
        }

        var tasksMax = config["tasks.max"]?.GetValue<string>() ?? "1";
        if (!int.TryParse(tasksMax, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var max) || max < 1)
        {
            var error = int.TryParse(tasksMax, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? $"Invalid value {tasksMax} for configuration tasks.max: Value must be at least 1"
                : $"Invalid value {tasksMax} for configuration tasks.max: Not a number of type INT";
            throw ConnectRestError.BadRequest(
                $"Connector configuration is invalid and contains the following 1 error(s):\n{error}\nYou can also find the above list of errors at the endpoint `/connector-plugins/{{connectorType}}/config/validate`");
        }

        return config;
    }

    private string ModifyOffsets(string name, Func<ConnectorRecord, (bool Changed, string Message)> modify)
    {
        bool changed;
        string message;
        lock (gate)
        {
            // DistributedHerder.modifyConnectorOffsetsChecks: unknown connector, then the target state read from the config topic.
            var record = Require(name, $"Connector {name} not found");
            if (record.TargetState != ConnectorRecord.Stopped || record.TaskConfigCount != 0)
            {
                throw ConnectRestError.BadRequest(
                    $"Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/{name}/stop' endpoint");
            }

            (changed, message) = modify(record);
        }

        if (changed)
        {
            onChanged(name);
        }

        return message;
    }

    private OffsetTable Table(string name)
    {
        if (!offsets.TryGetValue(name, out var table))
        {
            offsets[name] = table = new OffsetTable();
        }

        return table;
    }

    private ConnectorRecord Require(string name, string notFound) =>
        connectors.TryGetValue(name, out var record) ? record : throw ConnectRestError.NotFound(notFound);

    private T Read<T>(string name, string notFound, Func<ConnectorRecord, T> read)
    {
        lock (gate)
        {
            return read(Require(name, notFound));
        }
    }

    private void Mutate(string name, string notFound, Action<ConnectorRecord> change)
    {
        bool changed;
        lock (gate)
        {
            var record = Require(name, notFound);
            var before = record.Fingerprint();
            change(record);
            changed = before != record.Fingerprint();
        }

        if (changed)
        {
            onChanged(name);
        }
    }

    private (bool, JsonObject) Write(string name, Func<(bool Created, JsonObject Info)> write)
    {
        (bool, JsonObject) result;
        bool changed;
        lock (gate)
        {
            var before = connectors.TryGetValue(name, out var record) ? record.Fingerprint() : null;
            result = write();
            changed = before != connectors[name].Fingerprint();
        }

        if (changed)
        {
            onChanged(name);
        }

        return result;
    }
}
