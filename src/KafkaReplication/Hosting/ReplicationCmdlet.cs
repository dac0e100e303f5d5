using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using KafkaReplication.Engine;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Hosting;

/// <summary>
/// Base of every cmdlet: runs engine work off the pipeline thread while draining its verbose, warning and
/// progress messages on the pipeline thread (PowerShell allows Write* only there), cancels on Ctrl+C, and maps
/// engine exceptions to ErrorRecords with stable ids and categories.
/// </summary>
public abstract class ReplicationCmdlet : PSCmdlet, IOperationLog
{
    private readonly CancellationTokenSource _stop = new();
    private BlockingCollection<Action>? _queue;

    protected CancellationToken Cancellation => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs async engine work; returns its result once every message it produced has been written.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        using var queue = new BlockingCollection<Action>();
        _queue = queue;
        var task = Task.Run(async () =>
        {
            try { return await work(_stop.Token).ConfigureAwait(false); }
            finally { queue.CompleteAdding(); }
        });
        Exception? pipelineError = null;
        foreach (var action in queue.GetConsumingEnumerable())
        {
            try { action(); }
            catch (Exception e) when (pipelineError is null)
            {
                // e.g. PipelineStoppedException from a Write* call: stop the work, keep draining so it can finish.
                pipelineError = e;
                _stop.Cancel();
            }
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
            if (pipelineError is not null && !task.IsFaulted) ExceptionDispatchInfo.Capture(pipelineError).Throw();
        }
    }

    protected void Run(Func<CancellationToken, Task> work) => Run<bool>(async ct => { await work(ct).ConfigureAwait(false); return true; });

    private void Post(Action action)
    {
        var q = _queue;
        if (q is not null && !q.IsAddingCompleted)
        {
            try { q.Add(action); return; }
            catch (InvalidOperationException) { /* completed meanwhile: fall through */ }
        }
        // Called on the pipeline thread outside Run (synchronous cmdlets).
        if (q is null) action();
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
    protected new void WriteError(ErrorRecord record) { AzurePipelinesLog.Error(Host, record); base.WriteError(record); }
    protected new void ThrowTerminatingError(ErrorRecord record) { AzurePipelinesLog.Error(Host, record); base.ThrowTerminatingError(record); }

    protected IOperationLog Log => this;

    protected bool IsWhatIf => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent;

    /// <summary>Terminating error from an engine exception.</summary>
    protected void Fail(ReplicationException e) => ThrowTerminatingError(ToErrorRecord(e));

    protected void Fail(string errorId, ErrorCategory category, string message, object? target) =>
        ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), errorId, category, target));

    internal static ErrorRecord ToErrorRecord(ReplicationException e)
    {
        var category = e.Kind switch
        {
            ReplicationErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            ReplicationErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            ReplicationErrorKind.Conflict => ErrorCategory.ResourceExists,
            ReplicationErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            ReplicationErrorKind.Timeout => ErrorCategory.OperationTimeout,
            ReplicationErrorKind.Unreachable => ErrorCategory.ConnectionError,
            ReplicationErrorKind.PreconditionFailed => ErrorCategory.InvalidOperation,
            _ => ErrorCategory.NotSpecified,
        };
        var record = new ErrorRecord(e, e.ErrorId, category, e.Target);
        if (e.RecommendedAction is not null)
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.RecommendedAction };
        return record;
    }

    /// <summary>Runs a block and turns ReplicationExceptions into terminating errors.</summary>
    protected void Guard(Action body)
    {
        try { body(); }
        catch (ReplicationException e) { Fail(e); }
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
    }
}
