using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using Polly;
using Polly.Retry;

namespace KafkaReplication.Engine.Failover;

/// <summary>Where a run starts: from the first step, after the recorded completed steps, or not at all (finished).</summary>
public enum RunbookStartKind { Fresh, Resume, Finished }

/// <summary>The decision of <see cref="RunbookProgressStore.PrepareAsync"/>: the steps to report (recorded ones for the completed part).</summary>
public sealed record RunbookStart(RunbookStartKind Kind, int Completed, IReadOnlyList<RunbookStep> Steps);

/// <summary>Bounds for retrying a progress write that failed for a transient reason (tests shorten the delay).</summary>
public sealed record RunbookSaveRetry(int MaxRetries, TimeSpan BaseDelay)
{
    public static readonly RunbookSaveRetry Default = new(4, TimeSpan.FromMilliseconds(250));
}

/// <summary>
/// The rules of a runbook's progress record. The record is read and checked before a run (a corrupt or foreign record,
/// a changed plan and an out-of-range position are refused, each saying what -Restart does); every write is
/// conditional on the resourceVersion this run last saw, so of two runs only one can claim the record or a step (the
/// other gets RunbookConcurrentRun); a step is marked running before it runs, so a second run refuses it
/// (RunbookInProgress); and a write that fails for a transient reason is retried, bounded, before the next step starts.
/// </summary>
public sealed class RunbookProgressStore
{
    private readonly KubeGateway _kube;
    private readonly string _ns;
    private readonly string _flow;
    private readonly IOperationLog _log;
    private readonly ResiliencePipeline _retry;
    private string _runId = "";
    private IReadOnlyList<string> _plan = Array.Empty<string>();
    private string? _resourceVersion;
    private bool _exists;

    public RunbookProgressStore(KubeGateway kube, string ns, string flow, IOperationLog? log = null, RunbookSaveRetry? retry = null)
    {
        _kube = kube;
        _ns = ns;
        _flow = flow;
        _log = log ?? NullOperationLog.Instance;
        var r = retry ?? RunbookSaveRetry.Default;
        _retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = r.MaxRetries,
            Delay = r.BaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder().Handle<ReplicationException>(e =>
                e.Kind is ReplicationErrorKind.Unreachable or ReplicationErrorKind.Timeout or ReplicationErrorKind.OperationFailed),
            OnRetry = a =>
            {
                _log.Verbose($"Saving the runbook progress failed ({a.Outcome.Exception?.Message}); retrying (attempt {a.AttemptNumber + 2} of {r.MaxRetries + 1}).");
                return default;
            },
        }).Build();
    }

    /// <summary>This run's id in the running marker (another run's marker blocks a step).</summary>
    public string Holder { get; } = Guid.NewGuid().ToString("N")[..12];

    public string RecordName => $"ConfigMap {_ns}/{RunbookProgress.ConfigMapName(_flow)}";

    /// <summary>Reads and checks the record: where this run starts. Writes nothing (a declined confirmation leaves no trace).</summary>
    public async Task<RunbookStart> PrepareAsync(string runId, IReadOnlyList<RunbookStep> planned, bool restart, CancellationToken ct)
    {
        _runId = runId;
        _plan = planned.Select(s => s.Name).ToList();
        var cm = await _kube.GetAsync("v1", "ConfigMap", _ns, RunbookProgress.ConfigMapName(_flow), ct).ConfigureAwait(false);
        _exists = cm is not null;
        // Patched below, never taken over: a ConfigMap of that name without the record's label is someone else's (even with -Restart).
        if (cm is not null && (string?)cm["metadata"]?["labels"]?[FlowLabels.RunbookOf] != _flow)
            throw new ReplicationException(ReplicationErrorKind.Conflict, ErrorIds.RunbookRecordNotManaged,
                $"{RecordName} exists and is not the progress record of flow '{_flow}' (no label {FlowLabels.RunbookOf}={_flow}); the module does not overwrite it.", _flow)
            {
                RecommendedAction = "Rename or remove that ConfigMap; the runbook keeps its progress under that name.",
            };
        _resourceVersion = (string?)cm?["metadata"]?["resourceVersion"];
        if (cm is null) return new RunbookStart(RunbookStartKind.Fresh, 0, planned);

        var (recorded, problem) = RunbookProgress.Parse(cm["data"], FlowId);
        if (restart)
        {
            if (problem is not null) _log.Warning($"Discarding the unusable progress record {RecordName} ({problem}): -Restart runs every step from the first.");
            return new RunbookStart(RunbookStartKind.Fresh, 0, planned);
        }
        if (recorded is null) throw Corrupt(problem!);
        if (recorded.Running.Length > 0)
            throw InProgress(recorded.Running);
        if (recorded.Identity != runId)
            return recorded.Finished ? new RunbookStart(RunbookStartKind.Fresh, 0, planned) : throw RunbookProgress.Conflict(_flow, recorded.Identity, runId);
        if (RunbookProgress.CheckRange(recorded.Completed, recorded.Finished, _plan.Count) is { } range) throw Corrupt(range);
        if (recorded.Finished)
            return new RunbookStart(RunbookStartKind.Finished, recorded.Completed, recorded.Steps);

        // Resuming is right only if the steps done are the first steps of this plan, in the same order.
        // (A format-1 record without steps has no plan to compare.)
        var changed = recorded.Plan.Count == 0 ? -1
            : Enumerable.Range(0, recorded.Completed).FirstOrDefault(i => i >= _plan.Count || recorded.Plan[i] != _plan[i], -1);
        if (changed >= 0)
            throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "RunbookPlanChanged",
                $"The recorded run of flow '{_flow}' completed {recorded.Completed} steps of the plan ({string.Join(", ", recorded.Plan)}), " +
                $"but this run's plan is ({string.Join(", ", _plan)}): step {changed + 1} was '{recorded.Plan[changed]}' and is now " +
                $"'{(changed < _plan.Count ? _plan[changed] : "(none)")}', so resuming after step {recorded.Completed} would skip or repeat other steps.", _flow)
            {
                RecommendedAction = "Run the module version that wrote the record to finish it, or start over with -Restart (every step runs again).",
            };
        var steps = planned.ToList();
        for (var i = 0; i < recorded.Completed && i < recorded.Steps.Count; i++)
            if (recorded.Steps[i].Name == steps[i].Name) steps[i] = recorded.Steps[i];
        return new RunbookStart(RunbookStartKind.Resume, recorded.Completed, steps);
    }

    /// <summary>Claims the record for this run at its start position; refused when another run wrote it since it was read.</summary>
    public Task ClaimAsync(int completed, IReadOnlyList<RunbookStep> steps, CancellationToken ct) =>
        WriteAsync(Record(completed, false, steps, ""), ct);

    /// <summary>Marks step <paramref name="index"/> (0-based) as running by this run, before it runs.</summary>
    public Task StartStepAsync(int index, IReadOnlyList<RunbookStep> steps, CancellationToken ct) =>
        WriteAsync(Record(index, false, steps,
            $"{Holder} step {index + 1} ({_plan[index]}) since {DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture)}"), ct);

    /// <summary>Records the position after a step ended, stopped or failed, and that no step of this run is running.</summary>
    public Task SaveAsync(int completed, bool finished, IReadOnlyList<RunbookStep> steps, CancellationToken ct) =>
        WriteAsync(Record(completed, finished, steps, ""), ct);

    /// <summary>Records that step <paramref name="index"/> completed; if even the retried save fails, says so (the step ran).</summary>
    public async Task CompleteStepAsync(int index, bool finished, IReadOnlyList<RunbookStep> steps, CancellationToken ct)
    {
        try
        {
            await SaveAsync(index + 1, finished, steps, ct).ConfigureAwait(false);
        }
        catch (ReplicationException e) when (e.ErrorId != "RunbookConcurrentRun")
        {
            throw new ReplicationException(e.Kind, "RunbookProgressNotSaved",
                $"Step {index + 1} ({_plan[index]}) completed, but recording it in {RecordName} failed after retries: {e.Message} " +
                "The record still shows the step as running, so the next run is refused until you act.", _flow, e)
            {
                RecommendedAction = $"Make sure the record can be written, then run again with -Restart (every step runs again: confirm the manual ones already done with -ConfirmedStep).",
            };
        }
    }

    private string FlowId => $"{_ns}/{_flow}";

    private RunbookProgress Record(int completed, bool finished, IReadOnlyList<RunbookStep> steps, string running)
    {
        if (completed < 0 || completed > _plan.Count)
            throw new ArgumentOutOfRangeException(nameof(completed), completed, $"a plan of {_plan.Count} steps");
        return new RunbookProgress(_runId, FlowId, completed, finished, _plan, steps, running);
    }

    private ReplicationException Corrupt(string problem) =>
        new(ReplicationErrorKind.PreconditionFailed, "RunbookRecordCorrupt",
            $"The progress record {RecordName} of flow '{_flow}' cannot be used: {problem}.", _flow)
        {
            RecommendedAction = "Run again with -Restart: it discards the record and runs every step from the first (manual steps and hooks included).",
        };

    private ReplicationException InProgress(string running) =>
        new(ReplicationErrorKind.Conflict, "RunbookInProgress",
            $"Another run of flow '{_flow}''s runbook is running a step ({running}), as recorded in {RecordName}; two runs must not run a step at once.", _flow)
        {
            RecommendedAction = "Wait for that run to end, then run again to resume. If it was killed and nothing runs it any more, " +
                "check what the step did and run again with -Restart (every step runs again).",
        };

    private async Task WriteAsync(RunbookProgress record, CancellationToken ct)
    {
        var data = record.ToData();
        var attempt = 0;
        try
        {
            await _retry.ExecuteAsync(async token =>
            {
                try
                {
                    _resourceVersion = _exists ? await PatchAsync(data, token).ConfigureAwait(false) : await CreateAsync(data, token).ConfigureAwait(false);
                    _exists = true;
                }
                catch (ReplicationException e) when (e.Kind == ReplicationErrorKind.Conflict && attempt > 0)
                {
                    // An earlier attempt may have been stored although its answer was lost: fine if the record holds exactly what this run wrote.
                    if (!await IsOursAsync(data, token).ConfigureAwait(false)) throw;
                }
                finally { attempt++; }
            }, ct).ConfigureAwait(false);
        }
        catch (ReplicationException e) when (e.Kind == ReplicationErrorKind.Conflict)
        {
            throw new ReplicationException(ReplicationErrorKind.Conflict, "RunbookConcurrentRun",
                $"Another run changed the progress record {RecordName} since this run read it; this run stops before its next step so that no step runs twice.", _flow, e)
            {
                RecommendedAction = "Let the other run finish, then run again to resume from what it recorded.",
            };
        }
    }

    /// <summary>The flow in RunbookOf, which PrepareAsync checks (not the managed-by and flow labels: deploying or listing the flow would take the record for one of its objects).</summary>
    private JsonObject Labels() => new() { [FlowLabels.RunbookOf] = _flow };

    private async Task<string?> PatchAsync(JsonObject data, CancellationToken ct)
    {
        // A resourceVersion in a patch is a precondition (409 Conflict when the object changed since).
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion, ["labels"] = Labels() },
            ["data"] = data.DeepClone(),
        };
        var result = await _kube.MergePatchAsync("v1", "ConfigMap", _ns, RunbookProgress.ConfigMapName(_flow), patch, ct).ConfigureAwait(false);
        return (string?)result["metadata"]?["resourceVersion"];
    }

    private async Task<string?> CreateAsync(JsonObject data, CancellationToken ct)
    {
        // A create, not an apply: if another run created the record meanwhile, this one gets 409 AlreadyExists.
        var cm = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = RunbookProgress.ConfigMapName(_flow), NamespaceProperty = _ns,
                Labels = Labels().ToDictionary(kv => kv.Key, kv => (string)kv.Value!),
            },
            Data = data.ToDictionary(kv => kv.Key, kv => (string)kv.Value!),
        };
        _log.Verbose($"POST /api/v1/namespaces/{_ns}/configmaps ({cm.Metadata.Name})");
        try
        {
            var created = await k8s.CoreV1OperationsExtensions.CreateNamespacedConfigMapAsync(_kube.Client.CoreV1, cm, _ns, cancellationToken: ct).ConfigureAwait(false);
            return created.Metadata?.ResourceVersion;
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            throw KubeGateway.Map(e, RecordName);
        }
    }

    private async Task<bool> IsOursAsync(JsonObject data, CancellationToken ct)
    {
        var cm = await _kube.GetAsync("v1", "ConfigMap", _ns, RunbookProgress.ConfigMapName(_flow), ct).ConfigureAwait(false);
        var live = cm?["data"] as JsonObject;
        if (live is null || data.Any(kv => (string?)live[kv.Key] != (string?)kv.Value)) return false;
        _resourceVersion = (string?)cm!["metadata"]?["resourceVersion"];
        return true;
    }
}
