using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Tests.Kafka;
using Xunit;

namespace KafkaReplication.Engine.Tests.Faults;

/// <summary>A wait made of probes survives probes that fail transiently, and still ends at its own timeout.</summary>
public sealed class PollFaultTests
{
    [Fact]
    public async Task A_transient_probe_failure_does_not_end_the_wait()
    {
        var log = new RecordingLog();
        var probes = 0;

        await Poll.UntilAsync(_ => ++probes switch
        {
            1 => throw new ReplicationException(ReplicationErrorKind.Unreachable, "ConnectUnreachable", "connection refused"),
            2 => throw new ReplicationException(ReplicationErrorKind.Busy, "ConnectRebalanceInProgress", "rebalance"),
            _ => Task.FromResult(WaitCheck.Complete("done")),
        }, TimeSpan.FromSeconds(30), log, "waiting", "c1", CancellationToken.None);

        FaultTable.Record("Connect: probe unreachable, then busy, during a wait", FaultTable.Waits, "probed again, wait succeeds", null);
        Assert.Equal(3, probes);
        Assert.Equal(2, log.Messages.Count(m => m.Contains("probing again until the wait's timeout")));
    }

    [Fact]
    public async Task A_probe_that_keeps_failing_ends_at_the_waits_timeout_naming_the_failure()
    {
        var e = await Assert.ThrowsAsync<ReplicationException>(() => Poll.UntilAsync(
            _ => throw new ReplicationException(ReplicationErrorKind.Timeout, "ConnectTimeout", "no answer within 1 s"),
            TimeSpan.FromSeconds(1), NullOperationLog.Instance, "waiting", "c1", CancellationToken.None));

        Assert.Equal("WaitTimedOut", e.ErrorId);
        Assert.Contains("no answer within 1 s", e.Message);
    }

    [Fact]
    public async Task A_failure_that_will_not_pass_ends_the_wait_at_once()
    {
        var probes = 0;
        var e = await Assert.ThrowsAsync<ReplicationException>(() => Poll.UntilAsync(_ =>
        {
            probes++;
            throw new ReplicationException(ReplicationErrorKind.PermissionDenied, "ConnectForbidden", "forbidden");
        }, TimeSpan.FromSeconds(30), NullOperationLog.Instance, "waiting", "c1", CancellationToken.None));

        Assert.Equal(("ConnectForbidden", 1), (e.ErrorId, probes));
    }
}
