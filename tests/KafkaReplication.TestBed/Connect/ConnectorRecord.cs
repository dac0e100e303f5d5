using System.Globalization;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Connect;

/// <summary>One task in the status store.</summary>
internal sealed class TaskRecord(int id, string state)
{
    public int Id { get; } = id;

    public string State { get; set; } = state;

    public string? Trace { get; set; }
}

/// <summary>
/// One connector: its config and target state (the config topic) and its status (the status topic), changed together
/// under the store's lock. Transitions take effect at once, as if the single worker acted immediately. A STOPPED
/// connector has no task configs (DistributedHerder.stopConnector writes an empty set before the target state).
/// </summary>
internal sealed class ConnectorRecord(string name, JsonObject config, string workerId)
{
    public const string Started = "STARTED";
    public const string Paused = "PAUSED";
    public const string Stopped = "STOPPED";

    public string Name { get; } = name;

    public JsonObject Config { get; private set; } = config;

    public string TargetState { get; private set; } = Started;

    public string State { get; private set; } = "UNASSIGNED";

    public string? Trace { get; private set; }

    public List<TaskRecord> Tasks { get; } = [];

    /// <summary>How many task configs the config topic holds; GET .../tasks lists these.</summary>
    public int TaskConfigCount { get; private set; }

    /// <summary>Fault: the target state may become STOPPED, but the status keeps reporting what it did before.</summary>
    public bool NeverReachStopped { get; private set; }

    public string Class => Config["connector.class"]?.GetValue<string>() ?? "";

    public int TasksMax => int.Parse(Config["tasks.max"]?.GetValue<string>() ?? "1", CultureInfo.InvariantCulture);

    // AbstractHerder.connectorType: by the plugin's kind; the emulator only knows class names.
    public string Type => Class.EndsWith("SinkConnector", StringComparison.Ordinal) ? "sink" : "source";

    public static bool IsTargetState(string value) => value is Started or Paused or Stopped;

    /// <summary>A new config (or a new connector): the worker restarts the connector, which regenerates its tasks when STARTED.</summary>
    public void Configure(JsonObject newConfig, string targetState)
    {
        Config = newConfig;
        TargetState = targetState;
        Trace = null;
        switch (targetState)
        {
            case Started:
                State = "RUNNING";
                RegenerateTasks("RUNNING");
                break;
            case Paused:
                // A paused connector does not reconfigure its tasks: the existing task configs stay, paused.
                State = Paused;
                SetTaskStates(Paused, keepFailed: false);
                break;
            default:
                ApplyStopped();
                break;
        }
    }

    public void SetTargetState(string target)
    {
        var wasStopped = TaskConfigCount == 0;
        TargetState = target;
        switch (target)
        {
            case Started when wasStopped:
                // Resuming a stopped connector starts it, and it generates a new set of tasks.
                State = "RUNNING";
                Trace = null;
                RegenerateTasks("RUNNING");
                break;
            case Started:
                // Failed connectors and tasks stay failed until restarted (WorkerConnector / WorkerTask transitions).
                State = State == "FAILED" ? State : "RUNNING";
                SetTaskStates("RUNNING", keepFailed: true);
                break;
            case Paused when wasStopped:
                State = Paused;
                Trace = null;
                Tasks.Clear();
                break;
            case Paused:
                State = State == "FAILED" ? State : Paused;
                SetTaskStates(Paused, keepFailed: true);
                break;
            default:
                ApplyStopped();
                break;
        }
    }

    public void SetNeverReachStopped(bool value)
    {
        NeverReachStopped = value;
        if (!value && TargetState == Stopped)
        {
            ApplyStopped();
        }
    }

    /// <summary>Restarting the connector instance: it comes back in its target state.</summary>
    public void RestartConnector()
    {
        Trace = null;
        State = TargetState switch
        {
            Started => "RUNNING",
            Paused => Paused,
            _ when NeverReachStopped => State,
            _ => Stopped,
        };
    }

    public void RestartTask(TaskRecord task)
    {
        task.Trace = null;
        task.State = TargetState == Paused ? Paused : "RUNNING";
    }

    public void Fail(string trace)
    {
        State = "FAILED";
        Trace = trace;
    }

    public JsonObject Info(bool withTasks) => new()
    {
        ["name"] = Name,
        ["config"] = Config.DeepClone(),
        ["tasks"] = withTasks ? new JsonArray(Enumerable.Range(0, TaskConfigCount).Select(i => (JsonNode)TaskId(i)).ToArray()) : new JsonArray(),
        ["type"] = Type,
    };

    public JsonObject TaskId(int task) => new() { ["connector"] = Name, ["task"] = task };

    /// <summary>ConnectorStateInfo as GET .../status serialises it; <paramref name="restarting"/> overrides states (a restart plan).</summary>
    public JsonObject Status(bool connectorRestarting = false, ISet<int>? restartingTasks = null)
    {
        var connector = new JsonObject { ["state"] = connectorRestarting ? "RESTARTING" : State, ["worker_id"] = workerId };
        if (Trace is not null && !connectorRestarting)
        {
            connector["trace"] = Trace;
        }

        var tasks = new JsonArray();
        foreach (var task in Tasks)
        {
            var restarting = restartingTasks?.Contains(task.Id) == true;
            var entry = new JsonObject { ["id"] = task.Id, ["state"] = restarting ? "RESTARTING" : task.State, ["worker_id"] = workerId };
            if (task.Trace is not null && !restarting)
            {
                entry["trace"] = task.Trace;
            }

            tasks.Add(entry);
        }

        return new JsonObject { ["name"] = Name, ["connector"] = connector, ["tasks"] = tasks, ["type"] = Type };
    }

    public ConnectorSnapshot Snapshot() => new(
        Name, Class, (JsonObject)Config.DeepClone(), TargetState, State,
        Tasks.Select(t => new TaskSnapshot(t.Id, t.State, t.Trace)).ToList(), Trace, workerId);

    /// <summary>Everything observable, to tell whether an operation changed anything.</summary>
    public string Fingerprint() => $"{TargetState}|{TaskConfigCount}|{NeverReachStopped}|{Config.ToJsonString()}|{Status().ToJsonString()}";

    private void ApplyStopped()
    {
        TaskConfigCount = 0;
        if (NeverReachStopped)
        {
            return;
        }

        State = Stopped;
        Trace = null;
        Tasks.Clear();
    }

    private void RegenerateTasks(string state)
    {
        TaskConfigCount = TasksMax;
        Tasks.Clear();
        for (var i = 0; i < TaskConfigCount; i++)
        {
            Tasks.Add(new TaskRecord(i, state));
        }
    }

    private void SetTaskStates(string state, bool keepFailed)
    {
        while (Tasks.Count < TaskConfigCount)
        {
            Tasks.Add(new TaskRecord(Tasks.Count, state));
        }

        foreach (var task in Tasks.Where(t => !keepFailed || t.State != "FAILED"))
        {
            task.State = state;
            task.Trace = null;
        }
    }
}
