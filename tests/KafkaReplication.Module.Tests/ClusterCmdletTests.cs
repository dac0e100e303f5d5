using System.Management.Automation;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>The cluster cmdlets in a hosted runspace against the Kubernetes API emulator.</summary>
public sealed class ClusterCmdletTests : IAsyncLifetime
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
        _ps.Dispose();
        await _k8s.DisposeAsync();
        _folder.Dispose();
    }

    private ScriptResult Deploy(string extra = "") => _ps.Invoke(Scripts.GuideReferences + $"\nNew-ReplicationFlow {Scripts.GuideFlowArgs} {extra}");

    [Fact]
    public void WhatIf_lists_each_object_as_create_and_changes_nothing()
    {
        var r = Deploy("-WhatIf");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Contains("What if: Performing the operation \"Create\" on target \"KafkaConnect repl-ns/repl-uswest-useast\"", r.HostText);
        Assert.Contains("on target \"KafkaConnector repl-ns/uswest-to-useast-mirror-heartbeat-connector\"", r.HostText);
        Assert.DoesNotContain(_k8s.Requests, q => q.IsWrite);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Without_the_Strimzi_CRDs_the_flow_is_refused_before_anything_is_written()
    {
        _k8s.UninstallApiGroup("kafka.strimzi.io");
        foreach (var extra in new[] { "-WhatIf", "" })
        {
            var r = Deploy(extra + " -Verbose");
            var error = r.SingleError;
            Assert.Equal("StrimziNotInstalled", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("does not serve the kafka.strimzi.io API", error.Exception.Message);
            Assert.Contains("Nothing was changed", error.Exception.Message);
            Assert.Contains("strimzi.io/install", error.ErrorDetails.RecommendedAction);
            Assert.Contains("GET /apis", r.Verbose);
        }
        Assert.DoesNotContain(_k8s.Requests, q => q.IsWrite);
        Assert.Null(_k8s.Get("v1", "Namespace", null, "repl-ns"));
    }

    [Fact]
    public void Metrics_export_is_applied_with_its_ConfigMap_and_taken_away_again_without_the_switch()
    {
        var on = Deploy("-Metrics");
        Assert.Empty(on.Errors);
        Assert.Contains(on.Output, o => $"{o.Properties["Kind"].Value} {o.Properties["ObjectName"].Value} {o.Properties["Action"].Value}" == "ConfigMap uswest-to-useast-connect-metrics Create");
        var spec = _k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast")!["spec"]!;
        Assert.Equal("jmxPrometheusExporter", (string?)spec["metricsConfig"]!["type"]);
        Assert.Equal("uswest-to-useast-connect-metrics", (string?)spec["metricsConfig"]!["valueFrom"]!["configMapKeyRef"]!["name"]);
        Assert.Contains("kafka_connect_mirror_mirrorsourceconnector_$4",
            (string?)_k8s.Get("v1", "ConfigMap", "repl-ns", "uswest-to-useast-connect-metrics")!["data"]!["metrics-config.yml"]);
        Assert.All(Deploy("-Metrics").Output, o => Assert.Equal("Unchanged", o.Properties["Action"].Value.ToString()));

        var off = Deploy();
        Assert.Empty(off.Errors);
        Assert.Contains(off.Output, o => $"{o.Properties["Kind"].Value} {o.Properties["ObjectName"].Value} {o.Properties["Action"].Value}" == "ConfigMap uswest-to-useast-connect-metrics Delete");
        Assert.Null(_k8s.Get("v1", "ConfigMap", "repl-ns", "uswest-to-useast-connect-metrics"));
        Assert.Null(_k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast")!["spec"]!["metricsConfig"]);
    }

    [Fact]
    public void Apply_then_rerun_reports_unchanged_and_WhatIf_shows_would_change()
    {
        var first = Deploy();
        Assert.Empty(first.Errors);
        Assert.Equal(13, first.Output.Count);
        Assert.All(first.Output, o => Assert.Equal("Create", o.Properties["Action"].Value.ToString()));
        Assert.NotNull(_k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast"));

        var second = Deploy();
        Assert.All(second.Output, o => Assert.Equal("Unchanged", o.Properties["Action"].Value.ToString()));

        var whatIf = Deploy("-ConnectReplicas 5 -WhatIf");
        Assert.Contains("Performing the operation \"Update (spec.replicas)\" on target \"KafkaConnect repl-ns/repl-uswest-useast\"", whatIf.HostText);
        Assert.Contains("Performing the operation \"Unchanged\" on target \"ConfigMap repl-ns/uswest-to-useast-source\"", whatIf.HostText);
        Assert.Equal(3L, (long)_k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast")!["spec"]!["replicas"]!);
    }

    [Fact]
    public void Verbose_names_each_api_call_and_no_stream_shows_a_secret()
    {
        var r = Deploy("-Verbose");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Verbose, v => v.StartsWith("PATCH /api/v1/namespaces/repl-ns/secrets/uswest-to-useast-source?fieldManager=KafkaReplication", StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.StartsWith("GET /apis/kafka.strimzi.io/v1beta2/namespaces/repl-ns/kafkaconnectors/", StringComparison.Ordinal));
        var get = _ps.Invoke("Get-ReplicationFlow -Verbose | Out-Default; Get-ReplicationFlow | Remove-ReplicationFlow -WhatIf -Verbose");
        foreach (var s in TestFolder.SecretValues)
        {
            Assert.DoesNotContain(s, r.AllText);
            Assert.DoesNotContain(s, get.AllText);
        }
    }

    [Fact]
    public void Get_shows_flows_in_a_table_and_pipes_into_Remove()
    {
        Deploy();
        // Status written the way Strimzi would (KafkaConnect Ready, one connector failed).
        _k8s.PatchStatus("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast",
            System.Text.Json.Nodes.JsonNode.Parse("""{"conditions":[{"type":"Ready","status":"True"}]}""")!.AsObject());
        _k8s.PatchStatus("kafka.strimzi.io/v1beta2", "KafkaConnector", "repl-ns", "uswest-to-useast-mirror-source-connector",
            System.Text.Json.Nodes.JsonNode.Parse("""{"conditions":[{"type":"NotReady","status":"True","reason":"ConnectRestException"}],"connectorStatus":{"connector":{"state":"FAILED"}}}""")!.AsObject());

        var r = _ps.Invoke("Get-ReplicationFlow | Out-Default; Get-ReplicationFlow");
        Assert.Contains("Name", r.HostText);
        Assert.Contains("ConnectCluster", r.HostText);
        Assert.Contains("Strimzi", r.HostText);
        // The release the flow was rendered for: the emulator serves v1beta2 only and hides the operator, so 0.46.
        Assert.Matches(@"uswest-to-useast\s+repl-ns\s+uswest\s+useast\s+repl-uswest-useast\s+0\.46\s+False\s+source:FAILED", r.HostText);
        var flow = r.Output.Single();
        Assert.Equal(true, flow.Properties["ConnectReady"].Value);
        Assert.Equal(false, flow.Properties["Ready"].Value);

        var whatIf = _ps.Invoke("Get-ReplicationFlow | Remove-ReplicationFlow -WhatIf");
        Assert.Contains("What if:", whatIf.HostText);
        Assert.Contains("KafkaConnector uswest-to-useast-mirror-source-connector", whatIf.HostText);
        Assert.NotNull(_k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast"));

        var missing = _ps.Invoke("Get-ReplicationFlow -Name nope");
        Assert.StartsWith("FlowNotFound,", missing.SingleError.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.SingleError.CategoryInfo.Category);
    }

    [Fact]
    public void Remove_asks_first_and_then_deletes_only_the_flows_objects()
    {
        Deploy();
        _k8s.Upsert(System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"keep-me","namespace":"repl-ns"}}""")!.AsObject());

        _ps.Host.Recorded.Choices.Enqueue(2); // "No" (choices: Yes, Yes to All, No, No to All, Suspend)
        var declined = _ps.Invoke("Remove-ReplicationFlow -Name uswest-to-useast -PassThru");
        Assert.Single(_ps.Host.Recorded.Prompts);
        Assert.Empty(declined.Output);
        Assert.NotNull(_k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast"));

        // keep-me was not created by the flow: deleting the namespace would take it, so nothing is removed.
        var refused = _ps.Invoke("Remove-ReplicationFlow -Name uswest-to-useast -Force -PassThru -IncludeNamespace");
        Assert.Equal("NamespaceNotExclusive", refused.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("ConfigMap keep-me", refused.SingleError.Exception.Message);
        Assert.Empty(refused.Output);
        Assert.NotNull(_k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast"));
        _k8s.Delete("v1", "ConfigMap", "repl-ns", "keep-me");

        var removed = _ps.Invoke("Remove-ReplicationFlow -Name uswest-to-useast -Force -PassThru -IncludeNamespace");
        Assert.Equal(13, removed.Output.Count); // 12 objects and the namespace
        Assert.Empty(_k8s.List("kafka.strimzi.io/v1beta2", "KafkaConnector", "repl-ns"));
        Assert.Empty(_k8s.List("v1", "Secret", "repl-ns"));
        Assert.Null(_k8s.Get("v1", "Namespace", null, "repl-ns")); // the flow created it, and -IncludeNamespace was given
    }

    [Fact]
    public void A_non_interactive_remove_without_Force_fails_instead_of_hanging()
    {
        Deploy();
        var r = _ps.Invoke("Remove-ReplicationFlow -Name uswest-to-useast");
        // A module error that says how to confirm, not the host's prompting exception.
        Assert.StartsWith("ConfirmationUnavailable,", r.SingleError.FullyQualifiedErrorId);
        Assert.NotNull(_k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast"));
        var ok = _ps.Invoke("Remove-ReplicationFlow -Name uswest-to-useast -Confirm:$false");
        Assert.Empty(ok.Errors);
        Assert.Null(_k8s.Get("kafka.strimzi.io/v1beta2", "KafkaConnect", "repl-ns", "repl-uswest-useast"));
        Assert.NotNull(_k8s.Get("v1", "Namespace", null, "repl-ns")); // kept without -IncludeNamespace
    }

    [Fact]
    public void A_failure_half_way_names_what_was_applied_and_a_rerun_completes()
    {
        _k8s.FailWritesAfter(3);
        var r = Deploy();
        var e = r.SingleError;
        Assert.StartsWith("KubernetesError,", e.FullyQualifiedErrorId);
        Assert.Contains("Applied 3 of 13 changed objects", e.Exception.Message);
        Assert.Contains("Run the same command again", e.Exception.Message);
        SecretScan.AssertNoSecretInErrors(_ps, TestFolder.SecretValues); // the refused write is the target's CA Secret
        _k8s.ClearFaults();
        var rerun = Deploy();
        Assert.Empty(rerun.Errors);
        Assert.Equal(3, rerun.Output.Count(o => o.Properties["Action"].Value.ToString() == "Unchanged"));
        Assert.Equal(10, rerun.Output.Count(o => o.Properties["Action"].Value.ToString() == "Create"));
    }

    [Fact]
    public void Flow_names_complete_from_the_cluster()
    {
        Deploy();
        var r = _ps.Invoke("(TabExpansion2 -inputScript 'Get-ReplicationFlow -Name uswest' -cursorColumn 32).CompletionMatches | ForEach-Object CompletionText");
        Assert.Equal(new[] { "uswest-to-useast" }, r.Output.Select(o => o.ToString()));
        var roles = _ps.Invoke("(TabExpansion2 -inputScript 'Stop-ReplicationFlow -Flow x -Connector He' -cursorColumn 42).CompletionMatches | ForEach-Object CompletionText");
        Assert.Equal(new[] { "Heartbeat" }, roles.Output.Select(o => o.ToString()));
    }
}
