using System.Diagnostics;
using System.Management.Automation;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Issue 10 "cleanup that always runs" and issue 8 "Ctrl+C within a second": every client a cmdlet opens is closed
/// after success, after a failure and after a stop, and a stop returns at once even while a native Kafka call runs.
/// </summary>
public sealed class CleanupAndStopTests : IDisposable
{
    // Port 9 (discard) on the loopback: nothing listens, so every connection is refused at once.
    private const string Refused = "New-ReplicationClusterReference -Alias nowhere -BootstrapServers 127.0.0.1:9";
    private const string OpenResources = "(Get-EngineType KafkaReplication.Engine.Session.ReplicationSession)::OpenResources";

    private readonly TestFolder _folder = new();
    private readonly ModuleSession _ps;

    public CleanupAndStopTests() => _ps = new ModuleSession(_folder.Path, _folder.Environment());

    public void Dispose() { _ps.Dispose(); _folder.Dispose(); }

    private int Open() => Convert.ToInt32(_ps.Invoke(OpenResources).Output.Single().BaseObject);

    /// <summary>Polls until every client is closed (a stopped call closes its stuck client in the background once the call ends).</summary>
    private bool AllClosedWithin(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (Open() != 0)
        {
            if (watch.Elapsed > limit) return false;
            Thread.Sleep(100); // a poll interval, not a wait for an outcome: the deadline above decides
        }
        return true;
    }

    [Fact]
    public void A_call_that_fails_reports_a_catalogued_connection_error_within_the_module_wide_request_timeout_and_closes_its_client()
    {
        var watch = Stopwatch.StartNew();
        var r = _ps.Invoke($"""
            $PSDefaultParameterValues['*:RequestTimeout'] = '00:00:02'
            Get-ConsumerGroupLag -Cluster ({Refused}) -Group billing -Topic orders
            """);
        watch.Stop();
        var e = r.SingleError;
        Assert.StartsWith("KafkaUnreachable,", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
        // Either the module's deadline (which names the limit) or librdkafka's own verdict on a refused address
        // (all brokers down) ends the call first, depending on timing; both name the cluster and say why.
        Assert.Contains("nowhere", e.Exception.Message);
        Assert.Matches("within 2 s|refused|AllBrokersDown|Local_Transport", e.Exception.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Equal(0, Open());
    }

    [Fact]
    public void A_stop_during_a_native_Kafka_call_returns_within_a_few_seconds_and_the_stuck_client_is_closed_when_the_call_ends()
    {
        // Without the fix the stop waited for the native metadata call (the whole request timeout, 30 s by default).
        using var ps = _ps.Pipeline($"Get-ConsumerGroupLag -Cluster ({Refused}) -Group billing -Topic orders -RequestTimeout 00:00:20 -Verbose");
        using var calling = new ManualResetEventSlim();
        ps.Streams.Verbose.DataAdded += (_, a) =>
        {
            if (ps.Streams.Verbose[a.Index].Message.Contains("connecting an admin client", StringComparison.Ordinal)) calling.Set();
        };
        var invocation = ps.BeginInvoke();
        Assert.True(calling.Wait(TimeSpan.FromSeconds(30)), "the Kafka call never started");
        Assert.False(invocation.IsCompleted);

        var watch = Stopwatch.StartNew();
        ps.Stop();
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"Stop took {watch.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.True(AllClosedWithin(TimeSpan.FromSeconds(40)), $"{Open()} client(s) still open");
    }

    [Theory]
    [InlineData("Wait-ReplicationFlow -Flow f -Timeout -1")]
    [InlineData("Wait-ReplicationFlow -Flow f -Timeout 0")]
    [InlineData("Stop-ReplicationFlow -Flow f -Timeout '-00:00:01'")]
    [InlineData("Get-ReplicationFlow -RequestTimeout 0")]
    [InlineData("Get-ReplicationFlow -RequestTimeout 1.00:00:00")]
    public void Timeouts_that_are_not_positive_or_too_long_are_refused_before_anything_runs(string command)
    {
        var r = _ps.Invoke(command);
        var e = r.SingleError;
        Assert.StartsWith("ParameterArgumentValidationError,", e.FullyQualifiedErrorId);
        Assert.Equal(0, Open());
    }
}
