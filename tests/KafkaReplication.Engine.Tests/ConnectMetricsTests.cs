using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KafkaReplication.Engine.Manifests;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace KafkaReplication.Engine.Tests;

/// <summary>
/// The guide's "Replication monitoring and diagnostics": -Metrics makes Strimzi export the Connect pods' JMX metrics,
/// and the exporter rules turn MirrorMaker's and Connect's MBeans into exactly the metric names the guide lists.
/// </summary>
public sealed class ConnectMetricsTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public ConnectMetricsTests(TestFiles files) => _f = files;

    private sealed record Rule(Regex Pattern, string Name, Dictionary<string, string> Labels, string? Value);

    private static List<Rule> Rules()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(ConnectMetrics.ExporterConfig));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Equal("true", root["lowercaseOutputName"].ToString());
        return ((YamlSequenceNode)root["rules"]).Cast<YamlMappingNode>().Select(r => new Rule(
            // jmx_exporter matches a rule's pattern anywhere in "domain<properties><keys>attribute: value".
            new Regex("^.*(?:" + r["pattern"] + ").*$"),
            r["name"].ToString(),
            r.Children.TryGetValue(new YamlScalarNode("labels"), out var l)
                ? ((YamlMappingNode)l).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString())
                : new Dictionary<string, string>(),
            r.Children.TryGetValue(new YamlScalarNode("value"), out var v) ? v.ToString() : null)).ToList();
    }

    /// <summary>What the exporter names a sample: the first matching rule, $n substituted, lower-cased, unsafe characters as '_'.</summary>
    private static (string Name, Dictionary<string, string> Labels) Export(string sample)
    {
        var rule = Rules().FirstOrDefault(r => r.Pattern.IsMatch(sample)) ?? throw new Xunit.Sdk.XunitException($"no rule matches {sample}");
        var m = rule.Pattern.Match(sample);
        string Fill(string template) => Regex.Replace(template, @"\$(\d)", g => m.Groups[int.Parse(g.Groups[1].Value)].Value);
        var name = Regex.Replace(Fill(rule.Name).ToLowerInvariant(), "[^a-zA-Z0-9:_]", "_");
        return (name, rule.Labels.ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => Fill(kv.Value)));
    }

    [Theory]
    [InlineData("kafka.connect.mirror<type=MirrorSourceConnector, target=useast, topic=orders, partition=7><>byte-rate: 1024.0", "kafka_connect_mirror_mirrorsourceconnector_byte_rate")]
    [InlineData("kafka.connect.mirror<type=MirrorSourceConnector, target=useast, topic=orders, partition=7><>record-age-ms: 12.0", "kafka_connect_mirror_mirrorsourceconnector_record_age_ms")]
    [InlineData("kafka.connect.mirror<type=MirrorSourceConnector, target=useast, topic=orders, partition=7><>replication-latency-ms: 30.0", "kafka_connect_mirror_mirrorsourceconnector_replication_latency_ms")]
    [InlineData("kafka.connect<type=source-task-metrics, connector=uswest-to-useast-mirror-source-connector, task=0><>source-record-active-count: 3.0", "kafka_connect_source_task_source_record_active_count")]
    [InlineData("kafka.connect<type=connector-task-metrics, connector=uswest-to-useast-mirror-source-connector, task=0><>offset-commit-avg-time-ms: 4.0", "kafka_connect_connector_task_offset_commit_avg_time_ms")]
    [InlineData("kafka.consumer<type=consumer-fetch-manager-metrics, client-id=consumer-1, topic=orders, partition=7><>records-lag: 0.0", "kafka_consumer_fetch_manager_records_lag")]
    public void Each_metric_the_guide_lists_gets_its_name(string sample, string guideName)
    {
        Assert.Equal(guideName, Export(sample).Name);
    }

    [Fact]
    public void Partition_group_and_task_metrics_carry_what_they_are_about_as_labels()
    {
        var source = Export("kafka.connect.mirror<type=MirrorSourceConnector, target=useast, topic=orders, partition=7><>byte-rate: 1.0").Labels;
        Assert.Equal(new Dictionary<string, string> { ["target"] = "useast", ["topic"] = "orders", ["partition"] = "7" }, source);

        var (name, labels) = Export("kafka.connect.mirror<type=MirrorCheckpointConnector, source=uswest, target=useast, group=billing, topic=uswest.orders, partition=2><>checkpoint-latency-ms: 9.0");
        Assert.Equal("kafka_connect_mirror_mirrorcheckpointconnector_checkpoint_latency_ms", name);
        Assert.Equal(new Dictionary<string, string> { ["source"] = "uswest", ["target"] = "useast", ["group"] = "billing", ["topic"] = "uswest.orders", ["partition"] = "2" }, labels);

        var status = Export("kafka.connect<type=connector-task-metrics, connector=uswest-to-useast-mirror-source-connector, task=1><>status: running");
        Assert.Equal("kafka_connect_connector_status", status.Name);
        Assert.Equal("running", status.Labels["status"]);
        Assert.Equal("1", status.Labels["task"]);
    }

    [Fact]
    public void Metrics_add_the_exporter_ConfigMap_and_the_KafkaConnect_reference_to_it_and_nothing_else()
    {
        var plain = FlowManifestBuilder.Build(_f.GuideFlow());
        var flow = _f.GuideFlow() with { Metrics = true };
        var ours = FlowManifestBuilder.Build(flow);

        var added = ours.Select(o => o.DisplayName).Except(plain.Select(o => o.DisplayName)).ToList();
        Assert.Equal(new[] { $"ConfigMap {flow.Namespace}/uswest-to-useast-connect-metrics" }, added);
        var configMap = ours.Single(o => o.Name == "uswest-to-useast-connect-metrics");
        Assert.Equal(ConnectMetrics.ExporterConfig, (string?)configMap.Body["data"]![ConnectMetrics.ConfigKey]);
        Assert.Equal("uswest-to-useast", (string?)configMap.Body["metadata"]!["labels"]!["kafkareplication.io/flow"]);

        var connect = ours.Single(o => o.Kind == "KafkaConnect").Body["spec"]!.AsObject();
        JsonAssert.Empty(JsonAssert.Missing(JsonNode.Parse("""
            {"metricsConfig":{"type":"jmxPrometheusExporter","valueFrom":{"configMapKeyRef":{"name":"uswest-to-useast-connect-metrics","key":"metrics-config.yml"}}}}
            """)!.AsObject(), connect), "KafkaConnect spec.metricsConfig");
        Assert.Null(plain.Single(o => o.Kind == "KafkaConnect").Body["spec"]!["metricsConfig"]);
        // The operator reads the ConfigMap, not the connectors: the connectors' Role does not grow.
        Assert.Equal(plain.Single(o => o.Kind == "Role").Body.ToJsonString(), ours.Single(o => o.Kind == "Role").Body.ToJsonString());
    }
}
