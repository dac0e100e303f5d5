using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Issue 10 "error policy": one failing pipeline item is a non-terminating error, and the rest goes on.</summary>
public sealed class PipelineErrorTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync();
    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public void A_flow_that_cannot_be_read_is_one_error_record_and_the_next_flow_is_still_served_and_every_client_is_closed()
    {
        var r = _f.Ps.Invoke($$"""
            [pscustomobject]@{ Flow = 'gone'; Namespace = '{{OperatedFlow.Ns}}' }, [pscustomobject]@{ Flow = '{{OperatedFlow.FlowName}}'; Namespace = '{{OperatedFlow.Ns}}' } |
                Get-ReplicationConnector
            """);
        Assert.Null(r.Terminating);
        var e = Assert.Single(r.Errors);
        Assert.StartsWith("FlowNotFound,", e.FullyQualifiedErrorId);
        Assert.Equal("gone", e.TargetObject);
        Assert.Equal(3, r.Output.Count);
        Assert.All(r.Output, o => Assert.Equal(OperatedFlow.FlowName, o.Properties["Flow"].Value));
        // The Kubernetes client and the port-forward route to Connect were closed when the command ended.
        Assert.Equal(0, Convert.ToInt32(_f.Ps.Invoke("(Get-EngineType KafkaReplication.Engine.Session.ReplicationSession)::OpenResources").Output.Single().BaseObject));
    }
}
