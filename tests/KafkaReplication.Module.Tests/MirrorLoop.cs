using KafkaReplication.TestBed.Mirror;

namespace KafkaReplication.Module.Tests;

/// <summary>MirrorMaker's data plane replicating in the background while a cmdlet waits: stepped until disposed, no sleeps.</summary>
public sealed class MirrorLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MirrorLoop(MirrorMakerSimulator simulator)
    {
        Simulator = simulator;
        _loop = Task.Run(async () => { while (!_stop.IsCancellationRequested) await simulator.StepAsync(_stop.Token); });
    }

    public MirrorMakerSimulator Simulator { get; }

    /// <summary>For failure messages: how far the simulator got, and why its loop ended if it did.</summary>
    public override string ToString() =>
        $"(simulator: {Simulator.RecordsCopied} records, {Simulator.CheckpointsWritten} checkpoints, loop {_loop.Status} {_loop.Exception?.InnerException?.Message})";

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}

/// <summary>Runbook hooks that record which manual steps ran, in order, in $global:done.</summary>
public static class RecordingHooks
{
    /// <summary>Defines $h; keeps an existing $global:done so that a re-run appends to the first run's list.</summary>
    public const string Script = "if (-not $global:done) { $global:done = [System.Collections.Generic.List[string]]::new() }; " +
        "$h = @{ StopConsumers = { $global:done.Add('StopConsumers') }; MoveConsumers = { $global:done.Add('MoveConsumers') }; " +
        "StopProducers = { $global:done.Add('StopProducers') }; MoveProducers = { $global:done.Add('MoveProducers') } }";
}
