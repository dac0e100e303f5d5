using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Workflows;

namespace KafkaReplication.Hosting;

/// <summary>
/// Runs a runbook: steps in order, manual ones through hooks or the operator, progress recorded in the cluster so a
/// re-run resumes after the last completed step. Reads both clusters (source from <see cref="KafkaFlowCmdlet"/>).
/// </summary>
public abstract class RunbookCmdlet : KafkaFlowCmdlet
{
    /// <summary>The target cluster; default: the KafkaConnect's bootstrapServers without security.</summary>
    [Parameter]
    public ReplicationClusterReference? Target { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetBootstrapServers { get; set; }

    [Parameter]
    public Hashtable? TargetKafkaConfig { get; set; }

    /// <summary>Script blocks for the manual steps, by step name (e.g. @{ StopProducers = { ... } }).</summary>
    [Parameter]
    public Hashtable? Hook { get; set; }

    /// <summary>Treats manual steps without a hook as done without asking, and skips the confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Manual steps done outside the run (by name): confirmed without asking, so a pipeline stage approves exactly those.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ConfirmedStep { get; set; }

    /// <summary>Forgets a recorded run of this flow and starts over.</summary>
    [Parameter]
    public SwitchParameter Restart { get; set; }

    /// <summary>Bounds every wait (the checkpoint wait defaults to the guide's formula, the others to 10 minutes).</summary>
    [Parameter]
    public TimeSpan? WaitTimeout { get; set; }

    private KafkaGateway? _target;

    protected FailoverContext FailoverContextFor(FlowHandle flow, IReadOnlyList<string> groups)
    {
        var kube = Kube;
        var source = ((SourceKafka)OpenSourceKafka(flow)).Gateway;
        var cluster = Run(ct => KafkaConnections.TargetAsync(kube, flow, Target, TargetKafkaConfig, ct));
        _target = KafkaConnections.Gateway(cluster, TargetBootstrapServers, TargetKafkaConfig, Log);
        var (offsets, states) = ConnectorAccess(flow);
        var topics = Run(async ct =>
        {
            var all = new List<string>();
            foreach (var c in flow.SourceConnectors) all.AddRange(await ReplicationStateReader.TopicRegexesAsync(kube, flow.Namespace, c, ct).ConfigureAwait(false));
            return all;
        });
        // A dot is the usual separator in topic names; any other regex character means a pattern, not a name.
        var literal = topics.All(t => !System.Text.RegularExpressions.Regex.IsMatch(t, @"[\\^$|?*+()\[\]{}]")) ? topics.Distinct().ToList() : new List<string>();
        return new FailoverContext
        {
            TopicNames = literal,
            Kube = kube, Flow = flow, Source = source, Target = _target, States = states, Offsets = offsets,
            Groups = groups, Log = Log, WaitTimeout = WaitTimeout,
        };
    }

    /// <summary>Plan (-WhatIf), or run from the recorded position. Writes one RunbookStep per step.</summary>
    protected void Execute(FlowHandle flow, string runId, string action, IReadOnlyList<RunbookStepDefinition> plan)
    {
        var manual = plan.Where(s => s.Kind == RunbookStepKind.Manual).Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in (Hook?.Keys.Cast<object>().Select(k => k.ToString()!) ?? Enumerable.Empty<string>()).Concat(ConfirmedStep ?? Array.Empty<string>()))
            if (!manual.Contains(key))
                throw ReplicationException.Invalid("HookUnknown", $"-Hook or -ConfirmedStep names '{key}', which is not a manual step of this run ({string.Join(", ", manual)}).", key);

        var steps = plan.Select((s, i) => new RunbookStep { Index = i + 1, Name = s.Name, Kind = s.Kind, Detail = s.Description }).ToList();
        if (IsWhatIf)
        {
            foreach (var s in steps)
            {
                ShouldProcess($"flow {flow.Namespace}/{flow.Name}", $"step {s.Index} {s.Name} ({s.Kind}): {s.Detail}");
                WriteObject(s);
            }
            return;
        }

        var kube = Kube;
        var recorded = Run(ct => RunbookProgress.LoadAsync(kube, flow.Namespace, flow.Name, ct));
        var completed = 0;
        if (recorded is not null && !Restart)
        {
            if (recorded.Identity != runId && !recorded.Finished) throw RunbookProgress.Conflict(flow.Name, recorded.Identity, runId);
            if (recorded.Identity == runId)
            {
                if (recorded.Finished)
                {
                    WriteWarning($"This run of flow '{flow.Name}' finished already; use -Restart to run it again.");
                    foreach (var s in recorded.Steps) WriteObject(s);
                    return;
                }
                completed = recorded.Completed;
                for (var i = 0; i < completed && i < recorded.Steps.Count && i < steps.Count; i++) steps[i] = recorded.Steps[i];
                if (completed > 0) WriteVerbose($"Resuming after step {completed} ({steps[completed - 1].Name}), as recorded in ConfigMap {RunbookProgress.ConfigMapName(flow.Name)}.");
            }
        }
        if (!Force && !ShouldProcess($"flow {flow.Namespace}/{flow.Name}", action)) return;

        // Not cancelled by Ctrl+C: a step that has run is recorded even when the stop lands right after it, so a re-run
        // does not repeat it (a hook that moved producers must not run twice).
        void Save(int done, bool finished) => Run(_ => new RunbookProgress(runId, done, finished, steps).SaveAsync(kube, flow.Namespace, flow.Name, CancellationToken.None));
        Save(completed, false);
        for (var i = 0; i < completed; i++) WriteObject(steps[i]);
        for (var i = completed; i < plan.Count; i++)
        {
            var def = plan[i];
            var step = steps[i];
            step.Start = DateTimeOffset.UtcNow;
            WriteProgress(new ProgressRecord(20, action, $"step {step.Index}/{plan.Count}: {step.Name}") { PercentComplete = i * 100 / plan.Count });
            try
            {
                if (def.ExecuteAsync is not null) step.Detail = Run(def.ExecuteAsync);
                else if (!RunManual(def, step)) { Save(i, false); WriteObject(step); StopAtManual(def); return; }
                step.Status = RunbookStepStatus.Completed;
            }
            catch (ReplicationException e)
            {
                step.Status = RunbookStepStatus.Failed;
                step.Detail = e.Message;
                step.End = DateTimeOffset.UtcNow;
                Save(i, false);
                WriteObject(step);
                throw;
            }
            step.End = DateTimeOffset.UtcNow;
            Save(i + 1, i + 1 == plan.Count);
            WriteObject(step);
        }
        WriteProgress(new ProgressRecord(20, action, "done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>The hook, else -Force, else the operator's answer; false when nobody can answer (non-interactive).</summary>
    private bool RunManual(RunbookStepDefinition def, RunbookStep step)
    {
        var hook = Hook?.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k.ToString(), def.Name, StringComparison.OrdinalIgnoreCase));
        if (hook is not null)
        {
            if (Hook![hook] is not ScriptBlock block && (Hook[hook] as PSObject)?.BaseObject is not ScriptBlock)
                throw ReplicationException.Invalid("HookInvalid", $"-Hook {def.Name} must be a script block.", def.Name);
            var script = Hook[hook] as ScriptBlock ?? (ScriptBlock)((PSObject)Hook[hook]!).BaseObject;
            try { script.Invoke(step); }
            catch (RuntimeException e) when (e is not PipelineStoppedException)
            {
                throw new ReplicationException(ReplicationErrorKind.OperationFailed, "HookFailed", $"The {def.Name} hook failed: {e.Message}", def.Name, e);
            }
            step.Detail = $"{def.Description} Done by the {def.Name} hook.";
            return true;
        }
        if (ConfirmedStep?.Contains(def.Name, StringComparer.OrdinalIgnoreCase) == true) { step.Detail = $"{def.Description} Confirmed by -ConfirmedStep."; return true; }
        if (Force) { step.Detail = $"{def.Description} Confirmed by -Force."; return true; }
        try
        {
            if (!ShouldContinue(def.Description + " Continue when it is done.", $"Manual step {step.Index}: {def.Name}"))
            {
                step.Status = RunbookStepStatus.Stopped;
                step.Detail = $"{def.Description} Not confirmed; run again to resume here.";
                return false;
            }
        }
        catch (Exception e) when (e is System.Management.Automation.Host.HostException or PSInvalidOperationException or NotImplementedException || e.GetType().Name == "PromptingException")
        {
            step.Status = RunbookStepStatus.Stopped;
            step.Detail = $"{def.Description} No hook and no interactive session: run again after doing it, with -Force, or give -Hook @{{ {def.Name} = {{ ... }} }}.";
            return false;
        }
        step.Detail = $"{def.Description} Confirmed by the operator.";
        return true;
    }

    private void StopAtManual(RunbookStepDefinition def) =>
        Fail(new ReplicationException(ReplicationErrorKind.PreconditionFailed, "ManualStepPending",
            $"Stopped at manual step '{def.Name}': {def.Description} Progress is recorded; run the same command again to resume here.", def.Name)
        {
            RecommendedAction = $"Do the step, then re-run with -Force, or give -Hook @{{ {def.Name} = {{ ... }} }}.",
        });

    protected override void EndProcessing()
    {
        _target?.Dispose();
        base.EndProcessing();
    }
}

/// <summary>A controlled failover or failback: the mode and the consumer groups that move.</summary>
public abstract class ControlledRunbookCmdlet : RunbookCmdlet
{
    /// <summary>Continuous (consumers first, no pause in production) or Cutoff (producers first, then everything moves).</summary>
    [Parameter(Mandatory = true)]
    public FailoverMode Mode { get; set; }

    /// <summary>The consumer groups that move (explicit ids: groups are never listed).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.GroupCompleter))]
    public string[] Group { get; set; } = Array.Empty<string>();

    /// <summary>Groups to leave out of the waits (for example ones whose lag never reaches 0); they still count as part of the run.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.GroupCompleter))]
    public string[]? ExcludeGroup { get; set; }
}
