using KafkaReplication.TestBed.Kubernetes;
using KafkaReplication.TestBed.Strimzi;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// The guide's TLS + SASL flow deployed, read and operated on each emulated Strimzi release without naming it: the
/// module detects the release (served API versions and the operator's Deployment) and renders for it. The emulator
/// fails a connector whose connection settings still hold a placeholder once resolved in the pod, so a flow rendered
/// the guide's way on 0.46+ would not become Ready.
/// </summary>
public sealed class StrimziVersionsTests
{
    private sealed class Cluster(TestFolder folder, KubernetesEmulator k8s, StrimziOperatorEmulator strimzi) : IAsyncDisposable
    {
        public KubernetesEmulator K8s { get; } = k8s;
        public StrimziOperatorEmulator Strimzi { get; } = strimzi;
        public ModuleSession Ps { get; } = new(folder.Path, folder.Environment(k8s.WriteKubeconfig(folder.Path, defaultNamespace: "repl-ns")));

        public static async Task<Cluster> StartAsync(StrimziVersion version, bool operatorVisible = true)
        {
            var k8s = await KubernetesEmulator.StartAsync();
            var strimzi = await StrimziOperatorEmulator.StartAsync(k8s, version);
            if (operatorVisible) strimzi.InstallOperatorDeployment();
            return new Cluster(new TestFolder(), k8s, strimzi);
        }

        public ScriptResult Run(string script) => Ps.Invoke(Scripts.GuideReferences + "\n" + script);

        public async ValueTask DisposeAsync()
        {
            Ps.Dispose();
            await Strimzi.DisposeAsync();
            await K8s.DisposeAsync();
            folder.Dispose();
        }
    }

    private const string Deploy = $"New-ReplicationFlow {Scripts.GuideFlowArgs} -Verbose | Out-Null; Wait-ReplicationFlow -Flow uswest-to-useast -Timeout 00:00:30";

    [Theory]
    [InlineData(StrimziVersion.V0_43, "kafka.strimzi.io/v1beta2")]
    [InlineData(StrimziVersion.V0_46, "kafka.strimzi.io/v1beta2")]
    [InlineData(StrimziVersion.V0_47, "kafka.strimzi.io/v1beta2")]
    [InlineData(StrimziVersion.V0_49, "kafka.strimzi.io/v1")]
    [InlineData(StrimziVersion.V1_0, "kafka.strimzi.io/v1")]
    public async Task A_TLS_and_SASL_flow_deploys_and_is_operated_on_each_release(StrimziVersion version, string apiVersion)
    {
        await using var c = await Cluster.StartAsync(version);
        var deploy = c.Run(Deploy);
        Assert.True(deploy.Terminating is null && deploy.Errors.Count == 0, $"{deploy.Terminating?.Message} {string.Join("; ", deploy.Errors.Select(e => e.Exception.Message))}");
        Assert.Contains(deploy.Verbose, v => v.Contains($"for Strimzi {version.Release()} ({apiVersion})", StringComparison.Ordinal));
        var kc = c.K8s.Get(apiVersion, "KafkaConnect", "repl-ns", "repl-uswest-useast")!;
        Assert.Equal(apiVersion, (string?)kc["apiVersion"]);
        // 0.43 lists upstream Kafka versions only: the guide's vendor build is a warning, not a failure.
        Assert.Equal(version == StrimziVersion.V0_43, deploy.Warnings.Any(w => w.StartsWith("KafkaVersionNotListed", StringComparison.Ordinal)));

        var flow = Assert.Single(c.Ps.Invoke("Get-ReplicationFlow -Namespace repl-ns").Output);
        Assert.Equal(version.Release(), flow.Properties["StrimziVersion"].Value);
        Assert.Equal(true, flow.Properties["Ready"].Value);

        var stop = c.Ps.Invoke("Stop-ReplicationFlow -Flow uswest-to-useast -Confirm:$false");
        Assert.True(stop.Terminating is null && stop.Errors.Count == 0, stop.Terminating?.Message);
        Assert.Equal("stopped", (string?)c.K8s.Get(apiVersion, "KafkaConnector", "repl-ns", "uswest-to-useast-mirror-source-connector")!["spec"]!["state"]);
        Assert.Equal("STOPPED", c.Strimzi.ConnectFor("repl-ns", "repl-uswest-useast")!.Get("uswest-to-useast-mirror-source-connector")!.ConnectorState);
        var start = c.Ps.Invoke("Start-ReplicationFlow -Flow uswest-to-useast -Confirm:$false");
        Assert.True(start.Terminating is null && start.Errors.Count == 0, start.Terminating?.Message);
        Assert.Equal("RUNNING", c.Strimzi.ConnectFor("repl-ns", "repl-uswest-useast")!.Get("uswest-to-useast-mirror-source-connector")!.ConnectorState);

        var test = c.Ps.Invoke("Test-ReplicationFlow -Name uswest-to-useast -Namespace repl-ns");
        Assert.DoesNotContain(test.Output, o => (string?)o.Properties["Code"].Value == "RenderedForOtherStrimzi");
    }

    [Theory]
    [InlineData(StrimziVersion.V0_43)]
    [InlineData(StrimziVersion.V0_46)]
    [InlineData(StrimziVersion.V0_47)]
    [InlineData(StrimziVersion.V0_49)]
    [InlineData(StrimziVersion.V1_0)]
    public async Task The_exactly_once_and_metrics_variant_with_a_plaintext_target_becomes_ready_on_each_release(StrimziVersion version)
    {
        await using var c = await Cluster.StartAsync(version);
        var r = c.Ps.Invoke("""
            $source = New-ReplicationClusterReference -Alias src -BootstrapServers src-kafka:9092
            $target = New-ReplicationClusterReference -Alias tgt -BootstrapServers tgt-kafka:9092
            New-ReplicationFlow -Name src-to-tgt -Namespace repl-ns -Source $source -Target $target -Topics orders -ExactlyOnce -Metrics | Out-Null
            Wait-ReplicationFlow -Flow src-to-tgt -Timeout 00:00:30
            """);
        Assert.True(r.Terminating is null && r.Errors.Count == 0, $"{r.Terminating?.Message} {string.Join("; ", r.Errors.Select(e => e.Exception.Message))}");
        var spec = c.K8s.Get("kafka.strimzi.io/v1", "KafkaConnect", "repl-ns", "repl-src-tgt")!["spec"]!;
        Assert.Equal("enabled", (string?)spec["config"]!["exactly.once.source.support"]);
        Assert.NotNull(spec["metricsConfig"]);
        Assert.Equal(version >= StrimziVersion.V0_49, spec["groupId"] is not null);
        Assert.Equal(version < StrimziVersion.V0_49, spec["config"]!["group.id"] is not null);
    }

    [Fact]
    public async Task A_flow_rendered_the_guides_way_fails_on_0_46_and_Test_ReplicationFlow_says_why()
    {
        await using var c = await Cluster.StartAsync(StrimziVersion.V0_46);
        var deploy = c.Run($"New-ReplicationFlow {Scripts.GuideFlowArgs} -StrimziVersion 0.43 | Out-Null");
        Assert.True(deploy.Terminating is null && deploy.Errors.Count == 0, deploy.Terminating?.Message);
        await c.Strimzi.ReconcileNowAsync();
        var source = c.Strimzi.ConnectFor("repl-ns", "repl-uswest-useast")!.Get("uswest-to-useast-mirror-source-connector")!;
        Assert.Equal("FAILED", source.ConnectorState);

        var test = c.Ps.Invoke("Test-ReplicationFlow -Name uswest-to-useast -Namespace repl-ns");
        var finding = Assert.Single(test.Output, o => (string?)o.Properties["Code"].Value == "RenderedForOtherStrimzi");
        Assert.Equal("Error", finding.Properties["Severity"].Value.ToString());
        Assert.Contains("0.46", (string?)finding.Properties["Message"].Value);

        // Deployed again without -StrimziVersion, it is rendered for the cluster and recovers.
        var again = c.Run(Deploy);
        Assert.True(again.Terminating is null && again.Errors.Count == 0, $"{again.Terminating?.Message} {string.Join("; ", again.Errors.Select(e => e.Exception.Message))}");
        Assert.Empty(c.Ps.Invoke("Test-ReplicationFlow -Name uswest-to-useast -Namespace repl-ns").Output
            .Where(o => (string?)o.Properties["Code"].Value == "RenderedForOtherStrimzi"));
    }

    [Fact]
    public async Task A_v1beta2_rendering_is_refused_by_a_1_x_cluster_before_anything_is_written()
    {
        await using var c = await Cluster.StartAsync(StrimziVersion.V1_0);
        var r = c.Run($"New-ReplicationFlow {Scripts.GuideFlowArgs} -StrimziVersion 0.43");
        Assert.Equal("StrimziNotInstalled", r.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("only in version(s) v1", r.SingleError.Exception.Message);
        Assert.DoesNotContain(c.K8s.Requests, q => q.IsWrite);
    }

    [Fact]
    public async Task Without_the_operators_deployment_a_v1beta2_cluster_gets_the_rendering_that_works_on_every_v1beta2_release()
    {
        await using var c = await Cluster.StartAsync(StrimziVersion.V0_47, operatorVisible: false);
        var deploy = c.Run(Deploy);
        Assert.True(deploy.Terminating is null && deploy.Errors.Count == 0, $"{deploy.Terminating?.Message} {string.Join("; ", deploy.Errors.Select(e => e.Exception.Message))}");
        Assert.Equal("0.46", Assert.Single(c.Ps.Invoke("Get-ReplicationFlow -Namespace repl-ns").Output).Properties["StrimziVersion"].Value);
    }

    [Fact]
    public async Task An_unsupported_kafka_version_is_refused_before_anything_is_written()
    {
        await using var c = await Cluster.StartAsync(StrimziVersion.V0_43);
        var r = c.Run($"New-ReplicationFlow {Scripts.GuideFlowArgs.Replace("3.8.0.1.2", "3.6.0", StringComparison.Ordinal)}");
        Assert.Equal("KafkaVersionNotSupported", r.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("3.7.0, 3.7.1, 3.8.0", r.SingleError.Exception.Message);
        Assert.DoesNotContain(c.K8s.Requests, q => q.IsWrite);
    }
}
