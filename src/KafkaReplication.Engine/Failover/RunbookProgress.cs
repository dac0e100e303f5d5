using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Failover;

/// <summary>
/// A runbook's progress as recorded in the ConfigMap <c>&lt;flow&gt;-runbook</c> in the flow's namespace, so that a re-run
/// (another pipeline stage, after an approval or an interruption) resumes after the last completed step.
/// <see cref="Identity"/> says which run it is (runbook, mode, groups); <see cref="Flow"/> which flow it belongs to;
/// <see cref="Plan"/> the step names in order, so a changed plan is noticed; <see cref="Running"/> the step a run has
/// started and not yet recorded as ended (with that run's holder id), so a second run cannot run it too.
/// </summary>
public sealed record RunbookProgress(string Identity, string Flow, int Completed, bool Finished, IReadOnlyList<string> Plan,
    IReadOnlyList<RunbookStep> Steps, string Running = "")
{
    /// <summary>Version of the record's layout; 1 had no format, flow, plan or running entries.</summary>
    public const int Format = 2;

    public static string ConfigMapName(string flow) => $"{flow}-runbook";

    /// <summary>The record's data entries (all strings, as a ConfigMap holds them).</summary>
    public JsonObject ToData() => new()
    {
        ["format"] = Format.ToString(CultureInfo.InvariantCulture),
        ["flow"] = Flow,
        ["run"] = Identity,
        ["completed"] = Completed.ToString(CultureInfo.InvariantCulture),
        ["finished"] = Finished ? "true" : "false",
        ["plan"] = JsonSerializer.Serialize(Plan),
        ["steps"] = JsonSerializer.Serialize(Steps),
        ["running"] = Running,
    };

    /// <summary>Reads and checks a record; the reason it cannot be used otherwise (never an exception for bad content).</summary>
    public static (RunbookProgress? Progress, string? Problem) Parse(JsonNode? data, string expectedFlow)
    {
        if (data is not JsonObject d) return (null, "it has no data");
        string? Text(string key) => d[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        var format = Text("format");
        int version = 1;
        if (format is not null && !int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out version))
            return (null, $"its format '{format}' is not a number");
        if (version > Format) return (null, $"it was written in format {version} by a newer version of the module (this one reads up to {Format})");
        if (version < 1) return (null, $"its format {version} is unknown");

        var run = Text("run");
        if (string.IsNullOrEmpty(run)) return (null, "it names no run");
        var flow = Text("flow") ?? expectedFlow; // format 1 did not record it
        if (flow != expectedFlow) return (null, $"it belongs to flow '{flow}', not '{expectedFlow}'");
        if (!int.TryParse(Text("completed"), NumberStyles.None, CultureInfo.InvariantCulture, out var completed))
            return (null, $"its completed step count '{Text("completed")}' is not a number");
        bool finished;
        switch (Text("finished"))
        {
            case "true": finished = true; break;
            case "false" or null: finished = false; break;
            default: return (null, $"its finished flag '{Text("finished")}' is neither true nor false");
        }

        List<RunbookStep> steps;
        try { steps = JsonSerializer.Deserialize<List<RunbookStep>>(Text("steps") ?? "[]") ?? new List<RunbookStep>(); }
        catch (JsonException e) { return (null, $"its steps are not readable ({e.Message})"); }
        List<string> plan;
        if (Text("plan") is { } p)
        {
            try { plan = JsonSerializer.Deserialize<List<string>>(p) ?? new List<string>(); }
            catch (JsonException e) { return (null, $"its plan is not readable ({e.Message})"); }
        }
        else plan = steps.Select(s => s.Name).ToList(); // format 1: the steps carried the plan's names

        // A format-1 record without steps does not know its plan: the run's plan is checked against it later (CheckRange).
        if (plan.Count == 0 && version > 1) return (null, "its plan has no steps");
        if (plan.Count > 0 && CheckRange(completed, finished, plan.Count) is { } problem) return (null, problem);
        return (new RunbookProgress(run, flow, completed, finished, plan, steps, Text("running") ?? ""), null);
    }

    /// <summary>Why a completed count does not fit a plan of <paramref name="steps"/> steps, or null when it does.</summary>
    public static string? CheckRange(int completed, bool finished, int steps) =>
        completed > steps ? $"it counts {completed} completed steps of a plan of {steps}"
        : completed == steps && !finished ? $"all {steps} steps are completed but the run is not marked finished"
        : null;

    public static ReplicationException Conflict(string flow, string recorded, string wanted) =>
        new(ReplicationErrorKind.Conflict, "RunbookConflict",
            $"Flow '{flow}' has a recorded run '{recorded}' that is not finished; this run is '{wanted}'.", flow)
        {
            RecommendedAction = "Finish the recorded run with the same parameters, or start over with -Restart.",
        };
}
