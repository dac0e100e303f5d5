using System.Collections;
using System.Management.Automation;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Monitoring;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Failover;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Session;

namespace KafkaReplication.Hosting;

/// <summary>
/// A controlled failover or failback run as a runbook: steps in order, manual ones through hooks or the operator,
/// progress recorded in the cluster so a re-run resumes after the last completed step (the record and where to start are the engine's
/// <see cref="RunbookProgressStore"/>). -Flow, -Namespace and the Connect access parameters are declared as on
/// <see cref="ConnectFlowCmdlet"/>; the Kafka parameters as on the other cmdlets that read both clusters.
/// </summary>
public abstract class ControlledRunbookCmdlet : KubernetesCmdlet
{
    /// <summary>The flow's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.FlowNameCompleter))]
    public string Flow { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>How to reach the Connect REST API: PortForward (default), ServiceProxy, or Direct with -ConnectUri.</summary>
    [Parameter]
    public ConnectAccess ConnectAccess { get; set; } = ConnectAccess.PortForward;

    /// <summary>A URL of the Connect REST API (implies -ConnectAccess Direct). User info in it is used as Basic credentials and never shown.</summary>
    [Parameter]
    public Uri? ConnectUri { get; set; }

    /// <summary>Basic credentials for -ConnectUri (e.g. an authenticating ingress in front of Connect).</summary>
    [Parameter]
    [Credential]
    public PSCredential? ConnectCredential { get; set; }

    /// <summary>PEM file of the CA that the -ConnectUri server's certificate must chain to (its host name is checked too).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConnectCaCertificatePath { get; set; }

    /// <summary>How offsets are read and states observed: Auto, ConnectRest or StrimziAnnotations (Strimzi 0.44+).</summary>
    [Parameter]
    public OffsetApi OffsetApi { get; set; } = OffsetApi.Auto;

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
    [ValidateTimeout]
    public TimeSpan? WaitTimeout { get; set; }

    /// <summary>The source cluster; default: rebuilt from the flow's source ConfigMap and Secret.</summary>
    [Parameter]
    public ReplicationClusterReference? Source { get; set; }

    /// <summary>Bootstrap servers of the source reachable from here (a port-forward, a load balancer).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceBootstrapServers { get; set; }

    /// <summary>Extra librdkafka settings for the source client, applied last (e.g. @{ 'ssl.ca.location' = './ca.pem' }).</summary>
    [Parameter]
    public Hashtable? KafkaConfig { get; set; }

    /// <summary>The target cluster; default: the KafkaConnect's bootstrapServers without security.</summary>
    [Parameter]
    public ReplicationClusterReference? Target { get; set; }

    /// <summary>Bootstrap servers of the target reachable from here.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetBootstrapServers { get; set; }

    /// <summary>Extra librdkafka settings for the target client, applied last.</summary>
    [Parameter]
    public Hashtable? TargetKafkaConfig { get; set; }

    /// <summary>The groups in a stable order (the run's identity), and those the waits watch.</summary>
    protected (IReadOnlyList<string> All, IReadOnlyList<string> Active) Groups()
    {
        var all = Group.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return (all, all.Except(ExcludeGroup ?? Array.Empty<string>(), StringComparer.Ordinal).ToList());
    }

    protected FailoverContext FailoverContextFor(FlowHandle flow, IReadOnlyList<string> groups)
    {
        var kube = Kube;
        var sourceEndpoint = KafkaParameters.Endpoint(Source, SourceBootstrapServers, KafkaConfig);
        var targetEndpoint = KafkaParameters.Endpoint(Target, TargetBootstrapServers, TargetKafkaConfig);
        var source = Run(ct => Session.SourceKafkaAsync(flow, sourceEndpoint, ct)).Gateway;
        var target = Run(ct => Session.TargetKafkaAsync(flow, targetEndpoint, ct));
        var (offsets, states) = ConnectorAccess(flow, ConnectParameters.Endpoint(this, ConnectAccess, ConnectUri, ConnectCredential, ConnectCaCertificatePath), OffsetApi, TimeSpan.FromMinutes(5));
        var topics = Run(async ct =>
        {
            var all = new List<string>();
            foreach (var c in flow.SourceConnectors) all.AddRange(await ReplicationStateReader.TopicRegexesAsync(kube, flow.Namespace, c, ct).ConfigureAwait(false));
            return all;
        });
        return new FailoverContext
        {
            TopicNames = TopicNames.LiteralsOrNone(topics),
            Kube = kube, Flow = flow, Source = source, Target = target, States = states, Offsets = offsets,
            Groups = groups, Log = Log, WaitTimeout = WaitTimeout,
        };
    }

    /// <summary>Plan (-WhatIf), or run from the recorded position. Writes one RunbookStep per step.</summary>
    protected void Execute(FlowHandle flow, string runId, string action, IReadOnlyList<RunbookStepDefinition> plan)
    {
        var manual = plan.Where(s => s.Kind == RunbookStepKind.Manual).Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in (Hook?.Keys.Cast<object>().Select(k => k.ToString()!) ?? Enumerable.Empty<string>()).Concat(ConfirmedStep ?? Array.Empty<string>()))
            if (!manual.Contains(key))
                throw ReplicationException.Invalid(ErrorIds.HookUnknown, $"-Hook or -ConfirmedStep names '{key}', which is not a manual step of this run ({string.Join(", ", manual)}).", key);

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

        // The record's rules (validation, resume position, concurrency, retried saves) are the engine's.
        var store = new RunbookProgressStore(Kube, flow.Namespace, flow.Name, Log);
        var start = Run(ct => store.PrepareAsync(runId, steps, Restart, ct));
        if (start.Kind == RunbookStartKind.Finished)
        {
            WriteWarning($"This run of flow '{flow.Name}' finished already; use -Restart to run it again.");
            foreach (var s in start.Steps) WriteObject(s);
            return;
        }
        var completed = start.Completed;
        steps = start.Steps.ToList();
        if (completed > 0) WriteVerbose($"Resuming after step {completed} ({steps[completed - 1].Name}), as recorded in {store.RecordName}.");
        if (!Force && !ShouldProcess($"flow {flow.Namespace}/{flow.Name}", action)) return;

        // Record writes are not cancelled by Ctrl+C (each is one bounded request): a step that has run is recorded even
        // when the stop lands right after it, so a re-run does not repeat it (a hook that moved producers must not run
        // twice), and a stopped write never races the save that clears the step's running marker.
        void Save(int done, bool finished) => Run(_ => store.SaveAsync(done, finished, steps, CancellationToken.None), stoppable: false);
        Run(_ => store.ClaimAsync(completed, steps, CancellationToken.None), stoppable: false);
        for (var i = 0; i < completed; i++) WriteObject(steps[i]);
        for (var i = completed; i < plan.Count; i++)
        {
            var def = plan[i];
            var step = steps[i];
            var index = i;
            try
            {
                // Inside the try: a stop that lands while the marker is written still clears it below.
                Run(_ => store.StartStepAsync(index, steps, CancellationToken.None), stoppable: false);
                step.Start = DateTimeOffset.UtcNow;
                WriteProgress(new ProgressRecord(20, action, $"step {step.Index}/{plan.Count}: {step.Name}") { PercentComplete = i * 100 / plan.Count });
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
            catch (Exception) when (step.Status != RunbookStepStatus.Completed)
            {
                // Stopped (Ctrl+C) or failed otherwise: the step is not done, and no longer running.
                // Through Run: its writes to a stopped pipeline fail, but the save itself completes.
                try { Save(i, false); }
                catch (Exception) { /* if even that failed, the marker stays; the next run says so and how to go on */ }
                throw;
            }
            step.End = DateTimeOffset.UtcNow;
            Run(_ => store.CompleteStepAsync(index, index + 1 == plan.Count, steps, CancellationToken.None), stoppable: false);
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
                throw ReplicationException.Invalid(ErrorIds.HookInvalid, $"-Hook {def.Name} must be a script block.", def.Name);
            var script = Hook[hook] as ScriptBlock ?? (ScriptBlock)((PSObject)Hook[hook]!).BaseObject;
            try { script.Invoke(step); }
            catch (RuntimeException e) when (e is not PipelineStoppedException)
            {
                throw new ReplicationException(ReplicationErrorKind.OperationFailed, ErrorIds.HookFailed, $"The {def.Name} hook failed: {e.Message}", def.Name, e);
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
        Fail(new ReplicationException(ReplicationErrorKind.PreconditionFailed, ErrorIds.ManualStepPending,
            $"Stopped at manual step '{def.Name}': {def.Description} Progress is recorded; run the same command again to resume here.", def.Name)
        {
            RecommendedAction = $"Do the step, then re-run with -Force, or give -Hook @{{ {def.Name} = {{ ... }} }}.",
        });
}
