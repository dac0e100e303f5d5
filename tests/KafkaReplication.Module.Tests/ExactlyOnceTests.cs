using System.Management.Automation;
using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Enable-ReplicationExactlyOnce on a deployed flow, against the Strimzi emulator (which rolls the Connect pods one by
/// one on every KafkaConnect spec change and reports the generation only when the roll is over).
/// </summary>
public sealed class ExactlyOnceTests : IAsyncLifetime
{
    private const string Strimzi = "kafka.strimzi.io/v1beta2";
    private const string Key = "exactly.once.source.support";
    private OperatedFlow _f = null!;
    private readonly List<string> _events = new();

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        _f.K8s.Changed += Record;
    }

    public async Task DisposeAsync()
    {
        _f.K8s.Changed -= Record;
        await _f.DisposeAsync();
    }

    /// <summary>What a `kubectl get pods --watch` and the KafkaConnect status show, in order.</summary>
    private void Record(WatchEventRecord e)
    {
        var kind = (string?)e.Object["kind"];
        string? line = kind switch
        {
            "KafkaConnect" => $"connect {e.Object["spec"]?["config"]?[Key] ?? "disabled"} generation={e.Object["metadata"]?["generation"]} observed={e.Object["status"]?["observedGeneration"]}",
            "Pod" when e.Type == "ADDED" => $"pod added {e.Object["metadata"]?["name"]}",
            _ => null,
        };
        if (line is not null) lock (_events) _events.Add(line);
    }

    private List<string> Events() { lock (_events) return _events.ToList(); }

    private string? WorkerSetting() => (string?)_f.K8s.Get(Strimzi, "KafkaConnect", OperatedFlow.Ns, OperatedFlow.Connect)!["spec"]!["config"]![Key];

    private string? Isolation() => (string?)_f.K8s.Get(Strimzi, "KafkaConnector", OperatedFlow.Ns, OperatedFlow.SourceConnector)!["spec"]!["config"]!["source.consumer.isolation.level"];

    /// <summary>'enabled' is set only after a roll under 'preparing' has finished (that generation observed).</summary>
    private void AssertPreparedBeforeEnabled()
    {
        var events = Events();
        var firstEnabled = events.FindIndex(e => e.StartsWith("connect enabled", StringComparison.Ordinal));
        Assert.True(firstEnabled > 0, string.Join("\n", events));
        var prepared = events.Take(firstEnabled).LastOrDefault(e => e.StartsWith("connect preparing", StringComparison.Ordinal));
        Assert.NotNull(prepared);
        var parts = prepared!.Split(' ');
        Assert.Equal(parts[2]["generation=".Length..], parts[3]["observed=".Length..]);
        // Every Connect pod was restarted under 'preparing' before 'enabled' was written.
        var firstPreparing = events.FindIndex(e => e.StartsWith("connect preparing", StringComparison.Ordinal));
        Assert.Equal(3, events.Skip(firstPreparing).Take(firstEnabled - firstPreparing).Count(e => e.StartsWith("pod added", StringComparison.Ordinal)));
    }

    [Fact]
    public void WhatIf_lists_every_step_and_changes_nothing()
    {
        _f.K8s.ClearRequests();
        var r = _f.Ps.Invoke($"Enable-ReplicationExactlyOnce -Flow {OperatedFlow.FlowName} -WhatIf");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Contains($"Performing the operation \"set {Key} to preparing (rolling restart of the Connect pods)\" on target \"KafkaConnect repl/repl-src-tgt\"", r.HostText);
        Assert.Contains($"Performing the operation \"set {Key} to enabled (rolling restart of the Connect pods)\" on target \"KafkaConnect repl/repl-src-tgt\"", r.HostText);
        Assert.Contains("Performing the operation \"set source.consumer.isolation.level to read_committed\" on target \"KafkaConnector repl/src-to-tgt-mirror-source-connector\"", r.HostText);
        Assert.Null(WorkerSetting());
        Assert.DoesNotContain(_f.K8s.Requests, q => q.IsWrite && q.Path.Contains("kafkaconnect", StringComparison.Ordinal));
    }

    [Fact]
    public void Goes_preparing_then_enabled_each_after_a_finished_roll_then_read_committed_and_a_rerun_changes_nothing()
    {
        var r = _f.Ps.Invoke($"Enable-ReplicationExactlyOnce -Flow {OperatedFlow.FlowName} -Confirm:$false");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { $"KafkaConnect spec.config.{Key}", $"KafkaConnect spec.config.{Key}", "KafkaConnector spec.config.source.consumer.isolation.level" },
            r.Output.Select(o => $"{o.Properties["Kind"].Value} {string.Join(",", (IEnumerable<string>)o.Properties["ChangedPaths"].Value)}"));
        AssertPreparedBeforeEnabled();
        Assert.Equal("enabled", WorkerSetting());
        Assert.Equal("enabled", (string?)_f.ConnectApi.WorkerConfig[Key]); // the Connect workers run with it
        Assert.Equal("read_committed", Isolation());
        Assert.Equal("read_committed", (string?)_f.ConnectApi.Get(OperatedFlow.SourceConnector)!.Config["source.consumer.isolation.level"]);
        Assert.Equal(6, Events().Count(e => e.StartsWith("pod added", StringComparison.Ordinal))); // two rolls of three pods
        Assert.Contains(r.Progress, p => p.StatusDescription.Contains("of 3 Connect pods restarted", StringComparison.Ordinal));

        _f.K8s.ClearRequests();
        var again = _f.Ps.Invoke($"Enable-ReplicationExactlyOnce -Flow {OperatedFlow.FlowName} -Confirm:$false");
        Assert.Empty(again.Errors);
        Assert.All(again.Output, o => Assert.Equal("Unchanged", o.Properties["Action"].Value.ToString()));
        Assert.DoesNotContain(_f.K8s.Requests, q => q.IsWrite);
    }

    [Fact]
    public void Interrupted_during_the_first_roll_a_rerun_continues_with_enabled()
    {
        _f.Strimzi.RollingRestartStepDelay = TimeSpan.FromMilliseconds(400);
        using var stop = new CancellationTokenSource();
        void OnPreparing(WatchEventRecord e)
        {
            if ((string?)e.Object["kind"] == "KafkaConnect" && (string?)e.Object["spec"]?["config"]?[Key] == "preparing") stop.Cancel();
        }
        _f.K8s.Changed += OnPreparing;
        var interrupted = _f.Ps.Invoke($"Enable-ReplicationExactlyOnce -Flow {OperatedFlow.FlowName} -Confirm:$false", cancel: stop.Token);
        _f.K8s.Changed -= OnPreparing;
        // Stopped (Ctrl+C) while waiting for the roll: nothing after 'preparing' happened.
        Assert.True(interrupted.Terminating is null or PipelineStoppedException, interrupted.Terminating?.Message);
        // The stop lands asynchronously: the 'preparing' change it really made may or may not have been reported yet.
        Assert.All(interrupted.Output, o => Assert.Equal($"Update KafkaConnect spec.config.{Key}",
            $"{o.Properties["Action"].Value} {o.Properties["Kind"].Value} {string.Join(",", (IEnumerable<string>)o.Properties["ChangedPaths"].Value)}"));
        Assert.True(interrupted.Output.Count <= 1);
        Assert.DoesNotContain(Events(), e => e.StartsWith("connect enabled", StringComparison.Ordinal));
        Assert.Equal("preparing", WorkerSetting());
        Assert.Null(Isolation());

        _f.Strimzi.RollingRestartStepDelay = TimeSpan.FromMilliseconds(20);
        _f.K8s.ClearRequests();
        var rerun = _f.Ps.Invoke($"Enable-ReplicationExactlyOnce -Flow {OperatedFlow.FlowName} -Confirm:$false -Verbose");
        Assert.Null(rerun.Terminating);
        Assert.Empty(rerun.Errors);
        Assert.Contains(rerun.Verbose, v => v.Contains($"{Key}=preparing", StringComparison.Ordinal));
        Assert.Equal(new[] { "Update", "Update" }, rerun.Output.Select(o => o.Properties["Action"].Value.ToString()));
        Assert.Equal(new[] { "KafkaConnect", "KafkaConnector" }, rerun.Output.Select(o => o.Properties["Kind"].Value.ToString()));
        // 'preparing' is not written again; 'enabled' once, after the interrupted roll was waited for.
        Assert.Single(_f.K8s.Requests, q => q.Method == "PATCH" && q.Path.EndsWith("/kafkaconnects/repl-src-tgt", StringComparison.Ordinal));
        AssertPreparedBeforeEnabled();
        Assert.Equal("enabled", (string?)_f.ConnectApi.WorkerConfig[Key]);
        Assert.Equal("read_committed", Isolation());
    }

    [Fact]
    public void Without_confirmation_a_non_interactive_run_changes_nothing()
    {
        var r = _f.Ps.Invoke($"Enable-ReplicationExactlyOnce -Flow {OperatedFlow.FlowName}");
        // A module error that says how to confirm, not the host's prompting exception.
        Assert.StartsWith("ConfirmationUnavailable,", r.SingleError.FullyQualifiedErrorId);
        Assert.Null(WorkerSetting());
        var forced = _f.Ps.Invoke($"Get-ReplicationFlow | Enable-ReplicationExactlyOnce -Force -Timeout 00:01:00");
        Assert.Empty(forced.Errors);
        Assert.Equal("enabled", WorkerSetting());
    }
}
