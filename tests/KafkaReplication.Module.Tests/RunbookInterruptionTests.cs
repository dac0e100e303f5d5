using System.Management.Automation;
using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Mirror;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Ctrl+C at the start of each step of both controlled failovers, then the same command again: the re-run resumes
/// where the recorded progress says, every step ends Completed, each hook runs once (twice only when the stop landed
/// inside that very hook), in the guide's order, and no record is lost or duplicated on the target.
/// The stop is requested when the step's progress is written; PowerShell delivers it asynchronously, so it lands in
/// that step or a later one: the assertions hold wherever it lands.
/// </summary>
public sealed class RunbookInterruptionTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;
    private MirrorMakerSimulator _mm = null!;
    private MirrorLoop _mirror = null!;
    private const string Hooks = RecordingHooks.Script;

    private static readonly Dictionary<string, string[]> Steps = new()
    {
        ["Continuous"] = new[] { "VerifyPreconditions", "StopConsumers", "WaitForCheckpoints", "MoveConsumers", "StopProducers", "MoveProducers", "WaitForReplication", "Report" },
        ["Cutoff"] = new[] { "VerifyPreconditions", "StopProducers", "WaitForConsumersAndReplication", "StopConsumers", "StopReplication", "MoveProducers", "MoveConsumers", "Report" },
    };

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        // The consumers have read everything: a cutoff's lag wait can end, and a continuous run has final commits.
        _f.Kafka.CommitGroup("billing", ("orders", 0, 100), ("orders", 1, 100), ("orders", 2, 100), ("audit", 0, 10));
        _mm = _f.Mirror();
        _mirror = new MirrorLoop(_mm);
    }

    public async Task DisposeAsync()
    {
        await _mirror.DisposeAsync();
        await _f.DisposeAsync();
    }

    private string? Recorded(string key) => (string?)_f.K8s.Get("v1", "ConfigMap", OperatedFlow.Ns, "src-to-tgt-runbook")?["data"]?[key];

    public static TheoryData<string, int> EveryStep()
    {
        var data = new TheoryData<string, int>();
        foreach (var mode in Steps.Keys)
            for (var step = 1; step <= Steps[mode].Length; step++) data.Add(mode, step);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStep))]
    public void Stopped_at_a_step_the_same_command_resumes_and_completes(string mode, int step)
    {
        var names = Steps[mode];
        var cmd = Hooks + $"\nInvoke-ControlledFailover -Flow {OperatedFlow.FlowName} -Mode {mode} -Group billing -Hook $h -Confirm:$false -WaitTimeout 00:00:30 -Verbose";
        using var stop = new CancellationTokenSource();
        void OnProgress(ProgressRecord p)
        {
            if (p.StatusDescription.StartsWith($"step {step}/{names.Length}:", StringComparison.Ordinal)) stop.Cancel();
        }
        _f.Ps.Host.Recorded.ProgressWritten += OnProgress;
        var first = _f.Ps.Invoke(cmd, cancel: stop.Token);
        _f.Ps.Host.Recorded.ProgressWritten -= OnProgress;
        Assert.True(stop.IsCancellationRequested, $"step {step} never started: {first.Terminating?.Message}");
        Assert.True(first.Terminating is null or PipelineStoppedException, first.Terminating?.ToString());
        Assert.Empty(first.Errors);
        // Steps before the interrupted one are recorded as done; the record never claims a step that did not report.
        var recorded = int.Parse(Recorded("completed")!);
        Assert.InRange(recorded, step - 1, names.Length);
        Assert.All(first.Output.Take(recorded), o => Assert.Equal("Completed", o.Properties["Status"].Value.ToString()));

        var second = _f.Ps.Invoke(cmd + "\n$global:done -join ','");
        Assert.True(second.Terminating is null && second.Errors.Count == 0, $"{second.Terminating?.Message} {string.Join("; ", second.Errors)}");
        var steps = second.Output.Take(names.Length).ToList();
        Assert.Equal(names, steps.Select(o => o.Properties["Name"].Value.ToString()));
        Assert.All(steps, o => Assert.Equal("Completed", o.Properties["Status"].Value.ToString()));
        if (recorded > 0 && recorded < names.Length)
            Assert.Contains(second.Verbose, v => v.StartsWith($"Resuming after step {recorded} ({names[recorded - 1]})", StringComparison.Ordinal));
        Assert.Equal("true", Recorded("finished"));

        // Hooks: the guide's order; a repeat only of the one hook the stop may have cut short.
        var hooks = names.Where(n => n.StartsWith("Stop", StringComparison.Ordinal) && n != "StopReplication" || n.StartsWith("Move", StringComparison.Ordinal)).ToArray();
        var done = second.Output[^1].ToString().Split(',');
        var deduplicated = done.Where((h, i) => i == 0 || done[i - 1] != h).ToArray();
        Assert.Equal(hooks, deduplicated);
        Assert.InRange(done.Length - deduplicated.Length, 0, 1);
        if (done.Length > deduplicated.Length) Assert.Equal(names[recorded], done.Where((h, i) => i > 0 && done[i - 1] == h).Single());

        // No record lost or duplicated: the target holds exactly what the source does, and billing continues there.
        foreach (var (topic, partition) in new[] { ("orders", 0), ("orders", 1), ("orders", 2), ("audit", 0) })
            Assert.Equal(_f.Kafka.EndOffset(topic, partition), _f.Target.EndOffset("src." + topic, partition));
        if (mode == "Continuous")
            Assert.Equal(100L, _f.Target.Committed("billing", ("src.orders", 2))[("src.orders", 2)]);
        else
            Assert.Equal("stopped", _f.SpecState(OperatedFlow.SourceConnector));
    }
}
