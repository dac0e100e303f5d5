namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// Native Kafka clients being destroyed off the caller's path (librdkafka's destroy waits for its threads and for
/// requests in flight), one set per Kafka client context. Kept on the engine's side of the context: releasing the
/// context waits for them before it collects it and frees librdkafka, a client still closing would call into the freed
/// library, and holding anything of the context itself here would keep it from being collected.
/// </summary>
public sealed class ClosingClients
{
    private readonly object _sync = new();
    private readonly HashSet<Task> _running = [];

    /// <summary>Runs <paramref name="close"/> on the thread pool and tracks it until it ends.</summary>
    public void InBackground(Action close)
    {
        var task = new Task(close);
        lock (_sync) _running.Add(task);
        task.ContinueWith(t => { lock (_sync) _running.Remove(t); }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        task.Start(TaskScheduler.Default);
    }

    /// <summary>Whether every close started so far ended within <paramref name="timeout"/>.</summary>
    public bool WaitAll(TimeSpan timeout)
    {
        Task[] running;
        lock (_sync) running = _running.ToArray();
        if (running.Length == 0) return true;
        // A close that failed has ended all the same (the closes log their own errors).
        try { return Task.WaitAll(running, timeout); }
        catch (AggregateException) { return running.All(t => t.IsCompleted); }
    }
}
