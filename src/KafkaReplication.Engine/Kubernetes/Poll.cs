using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// Waits on an API that cannot be watched (the Connect REST status): probes with a growing interval (250 ms up to
/// 2 s), reports progress, ends at the timeout, and stops at once on cancellation. A probe that fails transiently
/// (unreachable, timed out, busy) does not end the wait: it is reported and the next probe tries again, until the
/// wait's own timeout, whose error then names the last failure.
/// </summary>
public static class Poll
{
    public static async Task UntilAsync(Func<CancellationToken, Task<WaitCheck>> probe, TimeSpan timeout, IOperationLog log,
        string activity, string target, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var delay = TimeSpan.FromMilliseconds(250);
        var state = WaitCheck.Pending("waiting");
        try
        {
            while (true)
            {
                try
                {
                    state = await probe(ct).ConfigureAwait(false);
                }
                catch (ReplicationException e) when (e.IsTransient())
                {
                    log.Verbose($"{target}: a probe failed ({e.Message}); probing again until the wait's timeout.");
                    state = WaitCheck.Pending($"last probe failed: {e.Message}");
                }
                var elapsed = DateTimeOffset.UtcNow - started;
                log.Progress(11, activity, $"{state.Status} ({elapsed.TotalSeconds:0} s)", (int)Math.Min(99, elapsed.TotalMilliseconds * 100 / timeout.TotalMilliseconds));
                if (state.Done) return;
                if (elapsed >= timeout)
                    throw new ReplicationException(ReplicationErrorKind.Timeout, "WaitTimedOut",
                        $"{target}: still waiting after {timeout.TotalSeconds:0} s: {state.Status}", target);
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(2000, delay.TotalMilliseconds * 1.6));
            }
        }
        finally
        {
            log.Progress(11, activity, state.Status, 100, completed: true);
        }
    }
}
