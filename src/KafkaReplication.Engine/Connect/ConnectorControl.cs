using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Connect;

/// <summary>
/// Changes a connector's state the way Strimzi requires: through the KafkaConnector's spec.state (the operator
/// reverts changes made through REST), then waits until Connect itself reports the state.
/// </summary>
public sealed class ConnectorControl(KubeGateway kube, IConnectorStates states, IOperationLog log)
{
    public static string ConnectStateFor(string desired) => desired switch
    {
        "stopped" => "STOPPED",
        "paused" => "PAUSED",
        _ => "RUNNING",
    };

    public async Task SetStateAsync(FlowHandle flow, string connector, string desired, TimeSpan timeout, CancellationToken ct)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["state"] = desired } };
        await kube.MergePatchAsync(FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnector, flow.Namespace, connector, patch, ct).ConfigureAwait(false);
        await WaitForStateAsync(connector, ConnectStateFor(desired), timeout, ct).ConfigureAwait(false);
    }

    public Task WaitForStateAsync(string connector, string expected, TimeSpan timeout, CancellationToken ct) =>
        Poll.UntilAsync(async token =>
        {
            var state = await states.GetStateAsync(connector, token).ConfigureAwait(false) ?? "not registered yet";
            return state == expected ? WaitCheck.Complete($"{connector} is {state}") : WaitCheck.Pending($"{connector} is {state}, waiting for {expected}");
        }, timeout, log, $"Waiting for connector '{connector}' to be {expected}", connector, ct);

    /// <summary>The connector's status with its tasks, from Connect.</summary>
    public static async Task<ReplicationConnector> DescribeAsync(ConnectRestClient connect, FlowHandle flow, FlowConnector c, JsonObject? resource, CancellationToken ct)
    {
        JsonObject? status = null;
        try { status = await connect.GetStatusAsync(c.Name, ct).ConfigureAwait(false); }
        catch (ReplicationException e) when (e.ErrorId == "ConnectorNotFound") { }
        var conditions = (resource?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Select(x => $"{x["type"]}={x["status"]}{(x["reason"] is null ? "" : $" ({x["reason"]})")}").ToList() ?? new List<string>();
        return new ReplicationConnector
        {
            Flow = flow.Name,
            Namespace = flow.Namespace,
            Name = c.Name,
            Role = c.Role,
            DesiredState = c.DesiredState,
            State = status is null ? "NOT REGISTERED" : (string?)status["connector"]?["state"],
            WorkerId = (string?)status?["connector"]?["worker_id"],
            Trace = (string?)status?["connector"]?["trace"],
            Tasks = (status?["tasks"] as JsonArray)?.OfType<JsonObject>()
                .Select(t => new ReplicationConnectorTask((int?)t["id"] ?? 0, (string?)t["state"] ?? "", (string?)t["worker_id"], (string?)t["trace"])).ToList()
                ?? new List<ReplicationConnectorTask>(),
            Conditions = conditions,
        };
    }
}
