using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Issue 9 (and 13's finding): both flows of a bidirectional pair keep their ownership of the namespace they created,
/// and Remove-ReplicationFlow -IncludeNamespace never deletes a namespace that holds another flow.
/// </summary>
public sealed class SharedNamespaceTests : IAsyncLifetime
{
    private const string Ns = "pair";
    private const string Strimzi = "kafka.strimzi.io/v1beta2";
    private readonly TestFolder _folder = new();
    private KubernetesEmulator _k8s = null!;
    private ModuleSession _ps = null!;

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesEmulator.StartAsync();
        _ps = new ModuleSession(_folder.Path, _folder.Environment(_k8s.WriteKubeconfig(_folder.Path)));
        var r = _ps.Invoke($"""
            $a = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'uswest-kafka:9092'
            $b = New-ReplicationClusterReference -Alias useast -BootstrapServers 'useast-kafka:9092'
            New-ReplicationFlow -Name uswest-to-useast -Namespace {Ns} -Source $a -Target $b -Topics 'orders.*' -Bidirectional | Out-Null
            """);
        Assert.True(r.Terminating is null && r.Errors.Count == 0, r.Terminating?.Message);
    }

    public async Task DisposeAsync()
    {
        _ps.Dispose();
        await _k8s.DisposeAsync();
        _folder.Dispose();
    }

    private bool Exists(string flow) => _k8s.Get(Strimzi, "KafkaConnector", Ns, $"{flow}-mirror-source-connector") is not null;

    [Fact]
    public void Both_flows_of_a_pair_keep_their_ownership_label_on_the_namespace_they_created()
    {
        var labels = _k8s.Get("v1", "Namespace", null, Ns)!["metadata"]!["labels"]!.AsObject();
        Assert.Equal("true", (string?)labels["namespace-owner.kafkareplication.io/uswest-to-useast"]);
        Assert.Equal("true", (string?)labels["namespace-owner.kafkareplication.io/useast-to-uswest"]);

        // Applying one flow again keeps the other's label.
        var again = _ps.Invoke($"""
            $a = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'uswest-kafka:9092'
            $b = New-ReplicationClusterReference -Alias useast -BootstrapServers 'useast-kafka:9092'
            New-ReplicationFlow -Name uswest-to-useast -Namespace {Ns} -Source $a -Target $b -Topics 'orders.*' -Bidirectional | Out-Null
            """);
        Assert.Empty(again.Errors);
        labels = _k8s.Get("v1", "Namespace", null, Ns)!["metadata"]!["labels"]!.AsObject();
        Assert.NotNull(labels["namespace-owner.kafkareplication.io/uswest-to-useast"]);
        Assert.NotNull(labels["namespace-owner.kafkareplication.io/useast-to-uswest"]);
    }

    [Theory]
    [InlineData("uswest-to-useast", "useast-to-uswest")]
    [InlineData("useast-to-uswest", "uswest-to-useast")]
    public void One_flow_of_a_pair_with_IncludeNamespace_is_refused_naming_the_other_and_nothing_is_removed(string flow, string other)
    {
        var r = _ps.Invoke($"Remove-ReplicationFlow -Name {flow} -Namespace {Ns} -IncludeNamespace -Force -PassThru");
        var e = r.SingleError;
        Assert.Equal("NamespaceNotExclusive", e.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, e.CategoryInfo.Category);
        Assert.Contains($"flow '{other}'", e.Exception.Message);
        Assert.Empty(r.Output);
        Assert.NotNull(_k8s.Get("v1", "Namespace", null, Ns));
        Assert.True(Exists(flow) && Exists(other));

        // Without -IncludeNamespace the flow goes and the namespace stays with the other flow.
        Assert.Empty(_ps.Invoke($"Remove-ReplicationFlow -Name {flow} -Namespace {Ns} -Force").Errors);
        Assert.False(Exists(flow));
        Assert.True(Exists(other));
        Assert.NotNull(_k8s.Get("v1", "Namespace", null, Ns));
    }

    [Fact]
    public void The_pair_given_together_through_the_pipeline_is_removed_with_its_namespace()
    {
        var r = _ps.Invoke($"Get-ReplicationFlow -Namespace {Ns} | Remove-ReplicationFlow -IncludeNamespace -Force -PassThru");
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors)}");
        Assert.False(Exists("uswest-to-useast") || Exists("useast-to-uswest"));
        Assert.Single(r.Output, o => (string)o.Properties["Kind"].Value == "Namespace");
        Assert.Null(_k8s.Get("v1", "Namespace", null, Ns));
    }
}
