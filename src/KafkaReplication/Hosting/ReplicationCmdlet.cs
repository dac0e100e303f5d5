using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Session;

namespace KafkaReplication.Hosting;

/// <summary>
/// Base of every cmdlet: runs engine work off the pipeline thread while draining its verbose, warning and
/// progress messages on the pipeline thread (PowerShell allows Write* only there), returns at once on Ctrl+C,
/// owns the invocation's <see cref="ReplicationSession"/> and disposes it once (PowerShell calls Dispose after
/// success, a terminating error or a stop), and turns engine exceptions into error records (<see cref="ErrorRecords"/>).
/// </summary>
public abstract class ReplicationCmdlet : PSCmdlet, IOperationLog, IDisposable
{
    /// <summary>Messages from other threads while no engine work runs wait here for the pipeline thread (at most this many).</summary>
    private const int MaxLateMessages = 200;

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Action> _late = new();
    private readonly List<Task> _pending = new();
    private int _pipelineThread = Environment.CurrentManagedThreadId;
    private BlockingCollection<Action>? _queue;
    private ReplicationSession? _session;
    private bool _disposed;
    private bool _failed;

    protected CancellationToken Cancellation => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    protected override void BeginProcessing() => _pipelineThread = Environment.CurrentManagedThreadId;

    /// <summary>The connections of this invocation, opened on first use (create it on the pipeline thread).</summary>
    protected ReplicationSession Session => _session ??= CreateSession();

    /// <summary>A session without Kubernetes; cmdlets that reach a cluster override this.</summary>
    private protected virtual ReplicationSession CreateSession() => new(Log);

    /// <summary>
    /// Runs async engine work; returns its result once every message it produced has been written. On a stop it
    /// returns at once, even when the work is stuck in a native call: the work ends in the background, and the
    /// session is disposed after it.
    /// </summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work, bool stoppable = true)
    {
        // The session resolves paths through the session state: create it here, on the pipeline thread, not in the work.
        _ = Session;
        var queue = new BlockingCollection<Action>();
        _queue = queue;
        Exception? pipelineError = null;
        // Messages left by work abandoned at a stop: writing them to a stopped pipeline throws, which must not keep
        // this work (a record save that runs even after Ctrl+C) from running.
        try { DrainLate(); }
        catch (Exception e)
        {
            pipelineError = e;
            _stop.Cancel();
        }
        var token = stoppable ? _stop.Token : CancellationToken.None;
        var task = Task.Run(async () =>
        {
            try { return await work(token).ConfigureAwait(false); }
            finally { queue.CompleteAdding(); }
        });
        lock (_pending) _pending.Add(task);
        try
        {
            foreach (var action in queue.GetConsumingEnumerable(stoppable ? _stop.Token : CancellationToken.None))
            {
                try { action(); }
                catch (Exception e) when (pipelineError is null)
                {
                    // e.g. PipelineStoppedException from a Write* call: stop the work.
                    pipelineError = e;
                    _stop.Cancel();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped: do not wait for the work (a native Kafka call may hold it for its whole timeout).
            queue.CompleteAdding();
            _queue = null;
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            if (pipelineError is not null) ExceptionDispatchInfo.Capture(pipelineError).Throw();
            throw new PipelineStoppedException();
        }
        _queue = null;
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            if (pipelineError is not null) ExceptionDispatchInfo.Capture(pipelineError).Throw();
            throw new PipelineStoppedException();
        }
        finally
        {
            lock (_pending) _pending.Remove(task);
            if (pipelineError is not null && !task.IsFaulted) ExceptionDispatchInfo.Capture(pipelineError).Throw();
        }
    }

    protected void Run(Func<CancellationToken, Task> work, bool stoppable = true) =>
        Run<bool>(async ct => { await work(ct).ConfigureAwait(false); return true; }, stoppable);

    /// <summary>
    /// Engine messages: written at once on the pipeline thread, queued for it while engine work runs, and kept for
    /// the next drain when they come from another thread in between (librdkafka's log callbacks): never written
    /// from a foreign thread.
    /// </summary>
    private void Post(Action action)
    {
        var q = _queue;
        if (q is not null && !q.IsAddingCompleted)
        {
            try { q.Add(action); return; }
            catch (InvalidOperationException) { /* completed meanwhile: fall through */ }
        }
        if (Environment.CurrentManagedThreadId == _pipelineThread && q is null)
        {
            DrainLate();
            action();
        }
        else if (_late.Count < MaxLateMessages && !_disposed)
            _late.Enqueue(action);
    }

    private void DrainLate()
    {
        while (_late.TryDequeue(out var action)) action();
    }

    void IOperationLog.Verbose(string message) => Post(() => WriteVerbose(message));
    void IOperationLog.Warning(string message) => Post(() => WriteWarning(message));
    void IOperationLog.Progress(int activityId, string activity, string status, int percent, bool completed) => Post(() =>
    {
        var record = new ProgressRecord(activityId, activity, string.IsNullOrEmpty(status) ? " " : status)
        {
            PercentComplete = Math.Clamp(percent, -1, 100),
            RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
        AzurePipelinesLog.Progress(Host, activity, completed ? 100 : percent);
    });

    // Azure Pipelines (TF_BUILD): warnings and errors also as logging commands; see AzurePipelinesLog.
    protected new void WriteWarning(string text) { AzurePipelinesLog.Warning(Host, text); base.WriteWarning(text); }
    protected new void WriteError(ErrorRecord record) { _failed = true; AzurePipelinesLog.Error(Host, record); base.WriteError(record); }
    protected new void ThrowTerminatingError(ErrorRecord record) { _failed = true; AzurePipelinesLog.Error(Host, record); base.ThrowTerminatingError(record); }

    protected IOperationLog Log => this;

    protected bool IsWhatIf => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent;

    /// <summary>Terminating error from an engine exception.</summary>
    protected void Fail(ReplicationException e) => ThrowTerminatingError(ErrorRecords.From(e));

    /// <summary>
    /// Runs the work for one pipeline item: an engine error becomes a non-terminating error record, so the rest of
    /// the input goes on; errors that doom the whole invocation (no cluster configuration) stay terminating.
    /// </summary>
    protected void Guard(Action body) => Guard(body, terminating: false);

    /// <summary>Runs a block whose failure ends the invocation (a runbook, a batch applied at the end).</summary>
    protected void GuardAll(Action body) => Guard(body, terminating: true);

    private void Guard(Action body, bool terminating)
    {
        ErrorRecord record;
        try
        {
            body();
            return;
        }
        catch (ReplicationException e)
        {
            record = ErrorRecords.From(e);
            terminating |= ErrorRecords.DoomsInvocation(e);
        }
        catch (Exception e) when (ErrorRecords.IsPromptUnavailable(e))
        {
            // Every other item would need the same answer.
            record = ErrorRecords.ConfirmationUnavailable(e);
            terminating = true;
        }
        catch (Exception e) when (ErrorRecords.IsUnexpected(e))
        {
            record = ErrorRecords.Unexpected(e);
        }
        if (terminating) ThrowTerminatingError(record);
        else WriteError(record);
    }

    /// <summary>
    /// Closes the session once: after an invocation without errors its sound clients go back to the pool for the
    /// next one (<see cref="ReplicationSession.Release"/>); after an error everything is closed; after a stop, in the
    /// background once the engine work has ended.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var session = _session;
        _session = null;
        Task[] pending;
        lock (_pending) pending = _pending.Where(t => !t.IsCompleted).ToArray();
        if (session is not null)
        {
            if (pending.Length == 0 && !_stop.IsCancellationRequested)
            {
                if (_failed) session.Dispose();
                else session.Release();
            }
            else _ = Task.WhenAll(pending).ContinueWith(_ => session.Dispose(), TaskScheduler.Default);
        }
        GC.SuppressFinalize(this);
    }
}
