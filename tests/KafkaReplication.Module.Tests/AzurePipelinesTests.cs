using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Tests that set a process-wide environment variable: no other test runs beside them.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection { }

/// <summary>
/// With TF_BUILD set (an Azure Pipelines agent), a deployment's progress and warnings also go to the host as logging
/// commands. The wait needs a cluster, so this runs against the emulator; tests/Pester/AzurePipelines.Tests.ps1 checks
/// warnings and errors in a real pwsh process.
/// </summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class AzurePipelinesTests : IAsyncLifetime
{
    private readonly TestFolder _folder = new();
    private KubernetesEmulator _k8s = null!;
    private ModuleSession _ps = null!;

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesEmulator.StartAsync();
        _ps = new ModuleSession(_folder.Path, _folder.Environment(_k8s.WriteKubeconfig(_folder.Path, defaultNamespace: "repl-ns")));
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("TF_BUILD", null);
        _ps.Dispose();
        await _k8s.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public void Without_TF_BUILD_no_logging_commands_are_written()
    {
        Environment.SetEnvironmentVariable("TF_BUILD", null);
        var r = _ps.Invoke(Scripts.GuideReferences + $"\nNew-ReplicationFlow {Scripts.GuideFlowArgs} -NewPartitionStart Latest");
        Assert.Null(r.Terminating);
        Assert.DoesNotContain("##vso[", r.HostText);
    }

    [Fact]
    public void Under_TF_BUILD_a_deployment_reports_its_progress_and_warnings_as_logging_commands()
    {
        Environment.SetEnvironmentVariable("TF_BUILD", "True");
        var r = _ps.Invoke(Scripts.GuideReferences + $"\nNew-ReplicationFlow {Scripts.GuideFlowArgs} -NewPartitionStart Latest");
        Assert.Null(r.Terminating);
        Assert.Matches(@"##vso\[task\.setprogress value=\d{1,3};\]Planning flow 'uswest-to-useast'", r.HostText);
        Assert.Contains("##vso[task.setprogress value=100;]Planning flow 'uswest-to-useast'", r.HostText);
        Assert.Contains("##vso[task.logissue type=warning]AtLeastOnceViolated: ", r.HostText);
    }
}
