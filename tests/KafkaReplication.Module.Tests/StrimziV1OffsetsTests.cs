using KafkaReplication.TestBed.Strimzi;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// On Strimzi 1.0 (kafka.strimzi.io/v1 only) the offsets annotation workflow and spec.state work as on 0.44+: the
/// module reads and patches the KafkaConnectors at v1 (a v1beta2 request would be 404 there).
/// </summary>
public sealed class StrimziV1OffsetsTests : IAsyncLifetime
{
    private OperatedFlow _f = null!;

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync(StrimziVersion.V1_0);
    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public void Offsets_change_through_v1_KafkaConnectors()
    {
        _f.Replicated("orders", 1, 9);
        _f.ConnectApi.ClearRequests();
        _f.K8s.ClearRequests();
        var r = _f.Ps.Invoke($"Set-SourceOffset -Flow {OperatedFlow.FlowName} -Topic orders -Partition 1 -NextOffset 60 -Confirm:$false -Verbose");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, r.Terminating?.Message);
        Assert.Contains(r.Verbose, v => v.Contains("Strimzi KafkaConnector offsets annotations"));
        Assert.Equal(59L, _f.Stored("orders", 1));
        Assert.Empty(_f.ConnectApi.Requests);
        Assert.Contains(_f.K8s.Requests, q => q.IsWrite && q.Path.StartsWith("/apis/kafka.strimzi.io/v1/namespaces/repl/kafkaconnectors/", StringComparison.Ordinal));
        Assert.DoesNotContain(_f.K8s.Requests, q => q.Path.Contains("/kafka.strimzi.io/v1beta2/", StringComparison.Ordinal));
        Assert.Equal("running", _f.SpecState(OperatedFlow.SourceConnector));
    }
}
