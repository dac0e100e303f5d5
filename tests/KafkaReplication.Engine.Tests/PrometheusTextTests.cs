using KafkaReplication.Engine.Monitoring;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>The Prometheus text format as the JMX exporter writes it (trailing commas, escapes, NaN, timestamps).</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Samples_keep_names_labels_and_values_and_odd_lines_are_skipped()
    {
        var samples = PrometheusText.Parse("""
            # HELP kafka_connect_worker_connector_count The number of connectors run in this worker.
            # TYPE kafka_connect_worker_connector_count gauge
            kafka_connect_worker_connector_count 3.0
            kafka_connect_mirror_mirrorsourceconnector_record_age_ms{target="useast",topic="orders",partition="7",} 12.0 1700000000000
            weird{path="C:\\dir",quote="say \"hi\"",nl="a\nb"} -1.5e3
            kafka_connect_mirror_mirrorcheckpointconnector_checkpoint_latency_ms{group="billing"} NaN
            up{job="x"} +Inf
            broken{label="unterminated} 1
            no_value
            """).ToList();

        Assert.Equal(new[] { "kafka_connect_worker_connector_count", "kafka_connect_mirror_mirrorsourceconnector_record_age_ms", "weird",
            "kafka_connect_mirror_mirrorcheckpointconnector_checkpoint_latency_ms", "up" }, samples.Select(s => s.Name));
        Assert.Equal(3.0, samples[0].Value);
        Assert.Empty(samples[0].Labels);
        Assert.Equal(new Dictionary<string, string> { ["target"] = "useast", ["topic"] = "orders", ["partition"] = "7" }, samples[1].Labels);
        Assert.Equal(12.0, samples[1].Value);
        Assert.Equal(@"C:\dir", samples[2].Labels["path"]);
        Assert.Equal("say \"hi\"", samples[2].Labels["quote"]);
        Assert.Equal("a\nb", samples[2].Labels["nl"]);
        Assert.Equal(-1500, samples[2].Value);
        Assert.True(double.IsNaN(samples[3].Value));
        Assert.Equal(double.PositiveInfinity, samples[4].Value);
    }
}
