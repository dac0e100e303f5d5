using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Failover;

/// <summary>
/// A runbook's progress, kept in a ConfigMap in the flow's namespace so that a re-run (another pipeline stage, after
/// an approval or an interruption) resumes after the last completed step. <see cref="Identity"/> says which run it
/// is (runbook, mode, groups); a record of another run is a conflict unless the caller restarts.
/// </summary>
public sealed record RunbookProgress(string Identity, int Completed, bool Finished, IReadOnlyList<RunbookStep> Steps)
{
    public static string ConfigMapName(string flow) => $"{flow}-runbook";

    public static async Task<RunbookProgress?> LoadAsync(KubeGateway kube, string ns, string flow, CancellationToken ct)
    {
        var cm = await kube.GetAsync("v1", "ConfigMap", ns, ConfigMapName(flow), ct).ConfigureAwait(false);
        var data = cm?["data"];
        if (data is null) return null;
        var steps = JsonSerializer.Deserialize<List<RunbookStep>>((string?)data["steps"] ?? "[]") ?? new List<RunbookStep>();
        return new RunbookProgress((string?)data["run"] ?? "", int.Parse((string?)data["completed"] ?? "0"), (string?)data["finished"] == "true", steps);
    }

    public async Task SaveAsync(KubeGateway kube, string ns, string flow, CancellationToken ct)
    {
        var cm = new ManifestObject(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = ConfigMapName(flow),
                ["namespace"] = ns,
                // Not the flow label: deploying the flow again would prune an object it does not render.
                ["labels"] = new JsonObject { [FlowLabels.RunbookOf] = flow },
            },
            ["data"] = new JsonObject
            {
                ["run"] = Identity,
                ["completed"] = Completed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["finished"] = Finished ? "true" : "false",
                ["steps"] = JsonSerializer.Serialize(Steps),
            },
        });
        await kube.ApplyAsync(cm, dryRun: false, ct).ConfigureAwait(false);
    }

    public static Task ClearAsync(KubeGateway kube, string ns, string flow, CancellationToken ct) =>
        kube.DeleteAsync("v1", "ConfigMap", ns, ConfigMapName(flow), ct);

    public static ReplicationException Conflict(string flow, string recorded, string wanted) =>
        new(ReplicationErrorKind.Conflict, "RunbookConflict",
            $"Flow '{flow}' has a recorded run '{recorded}' that is not finished; this run is '{wanted}'.", flow)
        {
            RecommendedAction = "Finish the recorded run with the same parameters, or start over with -Restart.",
        };
}
