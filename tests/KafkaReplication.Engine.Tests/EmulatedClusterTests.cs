using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>Base of tests that deploy through the engine's gateway (real KubernetesClient) to a fresh Kubernetes emulator.</summary>
public abstract class EmulatedClusterTests : IClassFixture<TestFiles>, IAsyncLifetime
{
    protected readonly TestFiles _f;
    protected KubernetesEmulator _k8s = null!;
    protected KubeGateway _kube = null!;

    protected EmulatedClusterTests(TestFiles files) => _f = files;

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesEmulator.StartAsync();
        _kube = new KubeGateway(KubeConnection.Connect(_k8s.WriteKubeconfig(_f.Directory)));
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _k8s.DisposeAsync();
    }

    /// <summary>Plans and applies a flow as New-ReplicationFlow does, returning what each object did.</summary>
    protected async Task<List<ReplicationManifestChange>> DeployAsync(ReplicationFlowDefinition flow)
    {
        var deployment = new FlowDeployment(_kube, NullOperationLog.Instance);
        var plan = await deployment.PlanAsync(flow.Name, FlowManifestBuilder.Build(flow), CancellationToken.None);
        var result = new List<ReplicationManifestChange>();
        foreach (var p in plan) result.Add(await deployment.ApplyAsync(flow.Name, p, CancellationToken.None));
        return result;
    }
}
