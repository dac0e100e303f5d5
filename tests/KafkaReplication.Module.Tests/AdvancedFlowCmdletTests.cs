using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Issue "Advanced flows" through the module in a hosted runspace, against the Kubernetes API emulator.</summary>
public sealed class AdvancedFlowCmdletTests : IAsyncLifetime
{
    private const string Strimzi = "kafka.strimzi.io/v1beta2";
    private readonly TestFolder _folder = new();
    private KubernetesEmulator _k8s = null!;
    private ModuleSession _ps = null!;

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesEmulator.StartAsync();
        _ps = new ModuleSession(_folder.Path, _folder.Environment(_k8s.WriteKubeconfig(_folder.Path, defaultNamespace: "repl")));
    }

    public async Task DisposeAsync()
    {
        _ps.Dispose();
        await _k8s.DisposeAsync();
        _folder.Dispose();
    }

    private const string Clusters = """
        $a = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'uswest-kafka:9092'
        $b = New-ReplicationClusterReference -Alias useast -BootstrapServers 'useast-kafka:9092'

        """;

    private ScriptResult Run(string script)
    {
        var r = _ps.Invoke(Clusters + script);
        return r;
    }

    private static void NoErrors(ScriptResult r) =>
        Assert.True(r.Terminating is null && r.Errors.Count == 0,
            $"{r.Terminating?.ErrorRecord?.FullyQualifiedErrorId} {r.Terminating?.Message} {string.Join("; ", r.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}"))}");

    private JsonObject Config(string ns, string connector) =>
        (JsonObject)_k8s.Get(Strimzi, "KafkaConnector", ns, connector)!["spec"]!["config"]!;

    private static IEnumerable<string> Actions(ScriptResult r) => r.Output.Select(o => o.Properties["Action"].Value.ToString()!);

    [Fact]
    public void Transforms_and_predicates_are_typed_objects_shown_as_tables_and_rendered_as_the_guide_writes_them()
    {
        var r = Run("""
            $notProd = New-ReplicationPredicate -Name NotProd -TopicNameMatches -Pattern 'prod\..*'
            $chain = @(
                New-ReplicationTransform -ConvertFromBytes -Converter Json
                New-ReplicationTransform -ReplaceField -Renames 'name:replaced_name', 'age:replaced_age'
                New-ReplicationTransform -InsertHeader -Header origin -Value '{SourceAlias}' -Predicate $notProd -Negate
            )
            $chain | Out-Default
            $notProd | Out-Default
            New-ReplicationFlow -Name smt -Namespace repl -Source $a -Target $b -Topics 'orders.*' -Transforms $chain -OutputPath ./out
            """);
        NoErrors(r);
        Assert.Matches(@"ConvertFromBytes\s+ConvertFromBytes\s+False\s+converter=org\.apache\.kafka\.connect\.json\.JsonConverter", r.HostText);
        Assert.Matches(@"InsertHeader\s+InsertHeader\s+NotProd\s+True\s+header=origin", r.HostText);
        Assert.Matches(@"NotProd\s+TopicNameMatches\s+pattern=prod", r.HostText);
        var yaml = File.ReadAllText(Path.Combine(_folder.Path, "out", "smt.yaml"));
        // The flow has a heartbeat connector: conversions skip heartbeats and the data is converted back (guide: "Filtering data using SMTs").
        Assert.Contains("transforms: ConvertFromBytes,ReplaceField,InsertHeader,ConvertToBytes", yaml);
        Assert.Contains("predicates.NotHeartbeats.pattern: ^(?!(.+\\.)?heartbeats).*$", yaml);
        Assert.Contains("transforms.ReplaceField.renames: name:replaced_name,age:replaced_age", yaml);
        Assert.Contains("transforms.InsertHeader.value.literal: ${cfmap:repl/smt-source:alias}", yaml);
        Assert.Contains("transforms.InsertHeader.negate: true", yaml);
        Assert.Empty(_ps.Invoke("Test-ReplicationFlow -ManifestPath ./out/smt.yaml").Output);
    }

    [Fact]
    public void Every_transform_predicate_and_source_connector_parameter_reaches_the_object()
    {
        var r = Run("""
            $p1 = New-ReplicationPredicate Marked -HasHeaderKey -HeaderName 'replicated-from-{TargetAlias}'
            $p2 = New-ReplicationPredicate Tombstones -RecordIsTombstone
            $t = @(
                New-ReplicationTransform -ConvertFromBytes -Converter String -Part Key -Name KeyIn
                New-ReplicationTransform -ConvertToBytes -Converter Json -SchemasEnable -Name KeyOut -Part Key
                New-ReplicationTransform -ReplaceField -Include id, name -Exclude ssn -Name Fields
                New-ReplicationTransform -Filter -Predicate $p1 -Name DropMarked
                New-ReplicationTransform -Filter -Predicate $p2 -Negate -Name KeepTombstonesOnly
                New-ReplicationTransform -Type 'org.apache.kafka.connect.transforms.MaskField$Value' -Setting @{ fields = 'ssn'; replacement = 'x' }
            )
            $t | ForEach-Object { '{0}|{1}|{2}|{3}|{4}' -f $_.Name, $_.TypeClass, $_.Description, $_.Predicate.Name, $_.Negate }
            $c = New-ReplicationSourceConnector bulk 'bulk.*' -TasksMax 7 -CompressionType Gzip -ReplicationFactor -1 -OffsetLagMax 10 -Transforms $t[5]
            '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $c.Name, ($c.Topics -join ','), $c.TasksMax, $c.CompressionType, $c.ReplicationFactor, $c.OffsetLagMax, $c.Transforms[0].Name
            """);
        NoErrors(r);
        Assert.Equal(new[]
        {
            "KeyIn|com.cloudera.dim.kafka.connect.transforms.ConvertFromBytes$Key|converter=org.apache.kafka.connect.storage.StringConverter||False",
            "KeyOut|com.cloudera.dim.kafka.connect.transforms.ConvertToBytes$Key|converter=org.apache.kafka.connect.json.JsonConverter, converter.schemas.enable=True||False",
            "Fields|org.apache.kafka.connect.transforms.ReplaceField$Value|include=id,name, exclude=ssn||False",
            "DropMarked|org.apache.kafka.connect.transforms.Filter||Marked|False",
            "KeepTombstonesOnly|org.apache.kafka.connect.transforms.Filter||Tombstones|True",
            "MaskField|org.apache.kafka.connect.transforms.MaskField$Value|fields=ssn, replacement=x||False",
            "bulk|bulk.*|7|Gzip|-1|10|MaskField",
        }, r.Output.Select(o => o.ToString()));
        var bad = Run("New-ReplicationTransform -ReplaceField -Renames 'name=replaced'");
        Assert.StartsWith("InvalidRename,", bad.SingleError.FullyQualifiedErrorId);
    }

    [Fact]
    public void Test_refuses_a_topic_renaming_transform_and_New_refuses_to_deploy_it()
    {
        var r = Run("""
            $router = New-ReplicationTransform -Type org.apache.kafka.connect.transforms.RegexRouter -Setting @{ regex = '(.*)'; replacement = 'copy-$1' }
            $flow = New-ReplicationFlowDefinition -Name routed -Namespace repl -Source $a -Target $b -Topics 'orders.*' -Transforms $router
            $flow | Test-ReplicationFlow
            $flow | Test-ReplicationFlow -Quiet
            """);
        NoErrors(r);
        var finding = r.Output[0];
        Assert.Equal("TransformRenamesTopic", finding.Properties["Code"].Value);
        Assert.Equal(false, r.Output[1].BaseObject);
        var refused = Run("New-ReplicationFlow -Name routed -Namespace repl -Source $a -Target $b -Topics 'orders.*' -Transforms (New-ReplicationTransform -Type org.apache.kafka.connect.transforms.TimestampRouter)");
        Assert.StartsWith("FlowValidationFailed,", refused.SingleError.FullyQualifiedErrorId);
        Assert.DoesNotContain(_k8s.Requests, q => q.IsWrite);
    }

    [Fact]
    public void Several_source_connectors_apply_idempotently_and_overlapping_filters_are_refused()
    {
        const string script = """
            $first = New-ReplicationSourceConnector -Name first -Topics 'test.*'
            $second = New-ReplicationSourceConnector -Name second -Topics 'prod.*' -CompressionType Zstd -ReplicationFactor 3 -OffsetLagMax 500 `
                -Transforms (New-ReplicationTransform -InsertHeader -Name insertHeader -Header my_header_key -Value my_header_value)
            $first, $second | Out-Default
            New-ReplicationFlow -Name multi -Namespace repl -Source $a -Target $b -SourceConnectors $first, $second -Groups 'test.*'
            """;
        var first = Run(script);
        NoErrors(first);
        Assert.Matches(@"second\s+prod\.\*\s+Zstd\s+3\s+500\s+insertHeader", first.HostText);
        Assert.All(Actions(first), a => Assert.Equal("Create", a));
        Assert.Equal("zstd", (string?)Config("repl", "multi-second-mirror-source-connector")["producer.override.compression.type"]);
        Assert.Equal("${cfmap:repl/multi-first-replication:topics},${cfmap:repl/multi-second-replication:topics}",
            (string?)Config("repl", "multi-mirror-checkpoint-connector")["topics"]);
        Assert.Equal("prod.*", (string?)_k8s.Get("v1", "ConfigMap", "repl", "multi-second-replication")!["data"]!["topics"]);

        _k8s.ClearRequests();
        var again = Run(script);
        NoErrors(again);
        Assert.All(Actions(again), a => Assert.Equal("Unchanged", a));
        Assert.DoesNotContain(_k8s.Requests, q => q.IsWrite);

        var overlap = Run("New-ReplicationFlow -Name multi -Namespace repl -Source $a -Target $b -SourceConnectors (New-ReplicationSourceConnector first 'test.*'), (New-ReplicationSourceConnector second 'test.orders')");
        var e = overlap.SingleError;
        Assert.StartsWith("FlowValidationFailed,", e.FullyQualifiedErrorId);
        Assert.Contains("TopicOverlap", e.Exception.Message);
        Assert.Contains("'test.*' and 'test.orders' both match", e.Exception.Message);
    }

    [Fact]
    public void Exactly_once_and_connect_resources_for_a_new_flow_and_no_exactly_once_jump_on_an_existing_one()
    {
        var r = Run("New-ReplicationFlow -Name eos -Namespace repl -Source $a -Target $b -Topics 'orders.*' -ExactlyOnce -ConnectCpuRequest 1 -ConnectMemoryRequest 1Gi -ConnectCpuLimit 2 -ConnectMemoryLimit 2Gi");
        NoErrors(r);
        var kc = _k8s.Get(Strimzi, "KafkaConnect", "repl", "repl-uswest-useast")!;
        Assert.Equal("enabled", (string?)kc["spec"]!["config"]!["exactly.once.source.support"]);
        Assert.Equal("2Gi", (string?)kc["spec"]!["resources"]!["limits"]!["memory"]);
        Assert.Equal("read_committed", (string?)Config("repl", "eos-mirror-source-connector")["source.consumer.isolation.level"]);
        var findings = _ps.Invoke("Get-ReplicationFlow -Name eos | Test-ReplicationFlow").Output;
        Assert.Empty(findings);

        // An existing flow must go through 'preparing' first: New-ReplicationFlow -ExactlyOnce refuses the direct jump.
        NoErrors(Run("New-ReplicationFlow -Name plain -Namespace other -Source $a -Target $b -Topics 'audit' -ConnectClusterName plain-connect"));
        var jump = Run("New-ReplicationFlow -Name plain -Namespace other -Source $a -Target $b -Topics 'audit' -ConnectClusterName plain-connect -ExactlyOnce");
        var e = jump.SingleError;
        Assert.StartsWith("ExactlyOnceNeedsPreparing,", e.FullyQualifiedErrorId);
        Assert.Contains("Enable-ReplicationExactlyOnce -Flow plain -Namespace other", e.ErrorDetails.RecommendedAction);
        Assert.Null(_k8s.Get(Strimzi, "KafkaConnect", "other", "plain-connect")!["spec"]!["config"]!["exactly.once.source.support"]);
    }

    [Fact]
    public void Bidirectional_creates_both_prefixless_flows_with_the_loop_filter_and_renders_both()
    {
        var r = Run("New-ReplicationFlow -Name uswest-to-useast -Namespace repl -Source $a -Target $b -Topics 'orders.*' -Bidirectional -PassThru");
        NoErrors(r);
        var flows = r.Output.Where(o => o.BaseObject.GetType().Name == "ReplicationFlowDefinition").Select(o => o.Properties["Name"].Value).ToList();
        Assert.Equal(new object[] { "uswest-to-useast", "useast-to-uswest" }, flows);
        foreach (var (flow, source) in new[] { ("uswest-to-useast", "uswest-to-useast-source"), ("useast-to-uswest", "useast-to-uswest-source") })
        {
            var c = Config("repl", $"{flow}-mirror-source-connector");
            Assert.Equal("FilterReplicatedFromTarget,InsertHeader", (string?)c["transforms"]);
            Assert.Equal($"replicated-from-${{cfmap:repl/{source}:alias}}", (string?)c["transforms.InsertHeader.header"]);
            Assert.False((bool)c["emit.offset-syncs.enabled"]!);
            Assert.Equal("org.apache.kafka.connect.mirror.IdentityReplicationPolicy", (string?)_k8s.Get("v1", "ConfigMap", "repl", $"{flow}-replication")!["data"]!["replication.policy.class"]);
            Assert.Null(_k8s.Get(Strimzi, "KafkaConnector", "repl", $"{flow}-mirror-checkpoint-connector"));
        }
        Assert.Equal("uswest-kafka:9092", (string?)_k8s.Get(Strimzi, "KafkaConnect", "repl", "repl-useast-uswest")!["spec"]!["bootstrapServers"]);

        var again = Run("New-ReplicationFlow -Name uswest-to-useast -Namespace repl -Source $a -Target $b -Topics 'orders.*' -Bidirectional");
        NoErrors(again);
        Assert.All(Actions(again), a => Assert.Equal("Unchanged", a));

        var rendered = Run("New-ReplicationFlow -Name uswest-to-useast -Namespace repl -Source $a -Target $b -Topics 'orders.*' -Bidirectional -ReverseName back -OutputPath ./both");
        NoErrors(rendered);
        Assert.Equal(new[] { "uswest-to-useast.yaml", "back.yaml" }, rendered.Output.Select(o => ((FileInfo)o.BaseObject).Name));
        Assert.Empty(_ps.Invoke("Test-ReplicationFlow -ManifestPath ./both/uswest-to-useast.yaml, ./both/back.yaml").Output);

        var wrong = Run("New-ReplicationFlowDefinition -Name x -Namespace repl -Source $a -Target $b -Topics t -Bidirectional -ReplicationPolicy Default");
        Assert.StartsWith("BidirectionalRequiresIdentity,", wrong.SingleError.FullyQualifiedErrorId);
    }

    [Fact]
    public void Two_prefixless_flows_in_opposite_directions_without_the_loop_filter_are_reported_and_refused()
    {
        var r = Run("""
            $ab = New-ReplicationFlowDefinition -Name a-to-b -Namespace repl -Source $a -Target $b -Topics 'orders.*' -ReplicationPolicy Identity -NoCheckpoint
            $ba = New-ReplicationFlowDefinition -Name b-to-a -Namespace repl -Source $b -Target $a -Topics 'orders.*' -ReplicationPolicy Identity -NoCheckpoint
            $ab, $ba | Test-ReplicationFlow
            $ab | New-ReplicationFlow | Out-Null
            """);
        NoErrors(r);
        Assert.Equal(new object[] { "ReplicationLoop" }, r.Output.Select(o => o.Properties["Code"].Value).Where(c => (string)c! != "CheckpointMissing"));
        var refused = _ps.Invoke("$ba | New-ReplicationFlow");
        Assert.StartsWith("FlowConflictsWithDeployedFlow,", refused.SingleError.FullyQualifiedErrorId);
        Assert.Contains("ReplicationLoop", refused.SingleError.Exception.Message);
        Assert.Null(_k8s.Get(Strimzi, "KafkaConnect", "repl", "repl-useast-uswest"));
    }

    [Fact]
    public void A_flow_on_several_connect_clusters_is_checked_across_definitions_files_and_the_cluster()
    {
        var r = Run("""
            $small = New-ReplicationFlowDefinition -Name low -Namespace small-ns -Source $a -Target $b -Topics 'low.*' -ConnectClusterName small-workload `
                -ConnectReplicas 3 -ConnectCpuRequest 1 -ConnectMemoryRequest 1Gi -ConnectCpuLimit 2 -ConnectMemoryLimit 2Gi
            $high = New-ReplicationFlowDefinition -Name high -Namespace high-ns -Source $a -Target $b -Topics 'high.*' -ConnectClusterName high-workload `
                -ConnectReplicas 6 -ConnectCpuRequest 2 -ConnectMemoryRequest 6Gi -ConnectCpuLimit 4 -ConnectMemoryLimit 12Gi
            $small, $high | Test-ReplicationFlow
            $small, $high | New-ReplicationFlow | Out-Null
            """);
        NoErrors(r);
        Assert.Empty(r.Output);
        Assert.Equal(6L, (long)_k8s.Get(Strimzi, "KafkaConnect", "high-ns", "high-workload")!["spec"]!["replicas"]!);
        Assert.Equal("12Gi", (string?)_k8s.Get(Strimzi, "KafkaConnect", "high-ns", "high-workload")!["spec"]!["resources"]!["limits"]!["memory"]);

        // A third Connect cluster that would replicate high.* again is refused before anything is written.
        _k8s.ClearRequests();
        var clash = Run("New-ReplicationFlow -Name more -Namespace more-ns -Source $a -Target $b -Topics 'h.*' -ConnectClusterName more-workload");
        var e = clash.SingleError;
        Assert.StartsWith("FlowConflictsWithDeployedFlow,", e.FullyQualifiedErrorId);
        Assert.Contains("'h.*' and 'high.*' both match", e.Exception.Message);
        Assert.DoesNotContain(_k8s.Requests, q => q.IsWrite);

        // The same check offline over flow files, with and without the topic names that exist.
        File.WriteAllText(Path.Combine(_folder.Path, "low.yaml"), """
            name: low
            namespace: small-ns
            connectClusterName: small-workload
            source: { alias: uswest, bootstrapServers: 'uswest-kafka:9092' }
            target: { alias: useast, bootstrapServers: 'useast-kafka:9092' }
            topics: [ '(?i)HIGH-ORDERS' ]
            """);
        File.WriteAllText(Path.Combine(_folder.Path, "high.yaml"), """
            name: high
            namespace: high-ns
            connectClusterName: high-workload
            source: { alias: uswest, bootstrapServers: 'uswest-kafka:9092' }
            target: { alias: useast, bootstrapServers: 'useast-kafka:9092' }
            topics: [ 'high.*' ]
            """);
        Assert.Empty(_ps.Invoke("Test-ReplicationFlow -Path ./low.yaml, ./high.yaml").Output);
        var known = _ps.Invoke("Test-ReplicationFlow -Path ./low.yaml, ./high.yaml -KnownTopics high-orders, audit");
        var overlap = Assert.Single(known.Output);
        Assert.Equal("TopicOverlap", overlap.Properties["Code"].Value);
        Assert.Contains("both match 'high-orders'", (string)overlap.Properties["Message"].Value);
    }

    [Fact]
    public void Test_on_a_deployed_flow_reads_it_from_the_cluster_and_reports_a_connector_with_another_policy()
    {
        NoErrors(Run("New-ReplicationFlow -Name prefixless -Namespace repl -Source $a -Target $b -Topics 'orders.*' -ReplicationPolicy Identity | Out-Null"));
        Assert.Empty(_ps.Invoke("Test-ReplicationFlow -Name prefixless").Output);

        // Someone edits the heartbeat connector by hand to the default policy.
        var hb = _k8s.Get(Strimzi, "KafkaConnector", "repl", "prefixless-mirror-heartbeat-connector")!;
        hb["spec"]!["config"]!["replication.policy.class"] = "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
        _k8s.Upsert(hb);
        var r = _ps.Invoke("Get-ReplicationFlow | Test-ReplicationFlow -Verbose");
        NoErrors(r);
        var f = Assert.Single(r.Output);
        Assert.Equal("PolicyMismatch", f.Properties["Code"].Value);
        Assert.Contains("prefixless-mirror-heartbeat-connector", (string)f.Properties["Message"].Value);
        Assert.Contains(r.Verbose, v => v.StartsWith("GET /api/v1/namespaces/repl/secrets?labelSelector=", StringComparison.Ordinal));
        Assert.Equal(false, _ps.Invoke("Test-ReplicationFlow -Name prefixless -Quiet").Output.Single().BaseObject);
        Assert.StartsWith("FlowNotFound,", _ps.Invoke("Test-ReplicationFlow -Name nope").SingleError.FullyQualifiedErrorId);
    }
}
