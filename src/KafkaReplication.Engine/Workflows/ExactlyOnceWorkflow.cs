using System.Text.Json.Nodes;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Workflows;

public enum ExactlyOnceStepKind { SetPreparing, WaitForRollingRestart, SetEnabled, SetReadCommitted }

/// <summary>One step of enabling exactly-once on a live flow; Target is the object it changes or waits on.</summary>
public sealed record ExactlyOnceStep(ExactlyOnceStepKind Kind, string ObjectKind, string Target, string Description)
{
    public bool Changes => Kind != ExactlyOnceStepKind.WaitForRollingRestart;
}

/// <summary>Where a live flow stands on the way to exactly-once, read from the KafkaConnect and KafkaConnector specs and status.</summary>
public sealed record ExactlyOnceState(string WorkerSetting, bool RollFinished, IReadOnlyList<string> ConnectorsWithoutReadCommitted);

/// <summary>
/// The guide's "Enabling exactly-once semantics" for existing resources: exactly.once.source.support=preparing, wait
/// for the rolling restart, then enabled, wait again, then source.consumer.isolation.level=read_committed on the
/// source connectors. The steps are derived from the current state each time, so a run that was interrupted resumes
/// where it stopped and a finished flow needs no step.
/// </summary>
public sealed class ExactlyOnceWorkflow(KubeGateway kube, IOperationLog log)
{
    public const string WorkerKey = "exactly.once.source.support";
    public const string IsolationKey = "source.consumer.isolation.level";

    public async Task<ExactlyOnceState> ReadAsync(FlowHandle flow, CancellationToken ct)
    {
        var kc = await kube.GetAsync(FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnect, flow.Namespace, flow.ConnectCluster, ct).ConfigureAwait(false)
            ?? throw new ReplicationException(ReplicationErrorKind.NotFound, "FlowNotFound", $"KafkaConnect {flow.Namespace}/{flow.ConnectCluster} of flow '{flow.Name}' is gone.", flow.Name);
        var setting = kc["spec"]?["config"]?[WorkerKey]?.ToString() ?? "disabled";
        var finished = StrimziStatus.Of(kc).Settled;
        var pending = flow.SourceConnectors.Where(c => !string.Equals(c.Config[IsolationKey]?.ToString(), "read_committed", StringComparison.Ordinal))
            .Select(c => c.Name).ToList();
        return new ExactlyOnceState(setting, finished, pending);
    }

    public static IReadOnlyList<ExactlyOnceStep> Plan(FlowHandle flow, ExactlyOnceState state)
    {
        var connect = $"KafkaConnect {flow.Namespace}/{flow.ConnectCluster}";
        var steps = new List<ExactlyOnceStep>();
        ExactlyOnceStep Wait(string after) => new(ExactlyOnceStepKind.WaitForRollingRestart, Kinds.KafkaConnect, connect, $"wait for the rolling restart of the Connect pods ({after})");
        switch (state.WorkerSetting)
        {
            case "enabled":
                if (!state.RollFinished) steps.Add(Wait("enabled"));
                break;
            case "preparing":
                steps.Add(Wait("preparing"));
                steps.Add(new(ExactlyOnceStepKind.SetEnabled, Kinds.KafkaConnect, connect, $"set {WorkerKey} to enabled (rolling restart of the Connect pods)"));
                steps.Add(Wait("enabled"));
                break;
            default:
                steps.Add(new(ExactlyOnceStepKind.SetPreparing, Kinds.KafkaConnect, connect, $"set {WorkerKey} to preparing (rolling restart of the Connect pods)"));
                steps.Add(Wait("preparing"));
                steps.Add(new(ExactlyOnceStepKind.SetEnabled, Kinds.KafkaConnect, connect, $"set {WorkerKey} to enabled (rolling restart of the Connect pods)"));
                steps.Add(Wait("enabled"));
                break;
        }
        steps.AddRange(state.ConnectorsWithoutReadCommitted.Select(c =>
            new ExactlyOnceStep(ExactlyOnceStepKind.SetReadCommitted, Kinds.KafkaConnector, $"KafkaConnector {flow.Namespace}/{c}", $"set {IsolationKey} to read_committed")));
        return steps;
    }

    public async Task RunAsync(FlowHandle flow, ExactlyOnceStep step, TimeSpan timeout, CancellationToken ct)
    {
        var strimzi = FlowManifestBuilder.StrimziApiVersion;
        switch (step.Kind)
        {
            case ExactlyOnceStepKind.SetPreparing or ExactlyOnceStepKind.SetEnabled:
                var value = step.Kind == ExactlyOnceStepKind.SetPreparing ? "preparing" : "enabled";
                await kube.MergePatchAsync(strimzi, Kinds.KafkaConnect, flow.Namespace, flow.ConnectCluster,
                    new JsonObject { ["spec"] = new JsonObject { ["config"] = new JsonObject { [WorkerKey] = value } } }, ct).ConfigureAwait(false);
                break;
            case ExactlyOnceStepKind.WaitForRollingRestart:
                await ConnectRollWait.WaitAsync(kube, flow.Namespace, flow.ConnectCluster, timeout, log,
                    $"Exactly-once for flow '{flow.Name}': {step.Description}", ct).ConfigureAwait(false);
                break;
            case ExactlyOnceStepKind.SetReadCommitted:
                var name = step.Target[(step.Target.LastIndexOf('/') + 1)..];
                var patched = await kube.MergePatchAsync(strimzi, Kinds.KafkaConnector, flow.Namespace, name,
                    new JsonObject { ["spec"] = new JsonObject { ["config"] = new JsonObject { [IsolationKey] = "read_committed" } } }, ct).ConfigureAwait(false);
                var generation = (long?)patched["metadata"]?["generation"] ?? 0;
                // The operator pushes the new config to Connect; done when it reports this generation (or a later one) as Ready.
                await KubeWait.UntilAsync(kube, strimzi, Kinds.KafkaConnector, flow.Namespace, name, o =>
                {
                    var status = StrimziStatus.Of(o);
                    status = status with { Generation = Math.Max(status.Generation, generation) };
                    return status.Settled
                        ? WaitCheck.Complete($"{name} runs with read_committed")
                        : WaitCheck.Pending($"{name}: {status.Pending}");
                }, timeout, log, $"Exactly-once for flow '{flow.Name}': {name}", ct).ConfigureAwait(false);
                break;
        }
    }
}
