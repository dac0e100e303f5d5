using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Issue 9: an offset change that did not verify leaves the connector STOPPED, and says so and how to go on.</summary>
public sealed class OffsetSafetyTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync();
    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public void After_a_failed_verification_the_connector_stays_stopped_and_the_error_says_how_to_go_on()
    {
        // A task that was still running commits its own offset right after the change (a zombie): the read-back differs.
        var once = 0;
        _f.ConnectApi.Changed += name =>
        {
            if (name == OperatedFlow.SourceConnector && _f.Stored("audit", 0) == 4 && Interlocked.Exchange(ref once, 1) == 0)
                _f.Replicated("audit", 0, 7);
        };
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic audit -Partition 0 -NextOffset 5 -Confirm:$false");
        var e = r.SingleError;
        Assert.StartsWith("OffsetVerificationFailed,", e.FullyQualifiedErrorId);
        Assert.Contains("audit-0 (asked to resume at 5, reads 8)", e.Exception.Message);
        Assert.Contains("is left STOPPED", e.Exception.Message);
        Assert.Contains("Get-SourceOffset", e.ErrorDetails.RecommendedAction);
        Assert.Contains($"Start-ReplicationFlow -Name {OperatedFlow.FlowName} -Namespace {OperatedFlow.Ns} -Connector {OperatedFlow.SourceConnector}", e.ErrorDetails.RecommendedAction);
        Assert.Equal("stopped", _f.SpecState(OperatedFlow.SourceConnector));
    }
}
