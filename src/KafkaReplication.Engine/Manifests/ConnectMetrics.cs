namespace KafkaReplication.Engine.Manifests;

/// <summary>
/// Rules for Strimzi's jmxPrometheusExporter (https://github.com/prometheus/jmx_exporter) on a MirrorMaker 2 Connect
/// cluster. The MBeans are MirrorMaker's (apache/kafka connect/mirror: MirrorSourceMetrics tags target, topic,
/// partition; MirrorCheckpointMetrics tags source, target, group, topic, partition) and Connect's; the Prometheus
/// names are those of the guide's "Replication monitoring and diagnostics" (kafka_connect_mirror_mirrorsourceconnector_*,
/// kafka_connect_source_task_source_record_active_count, kafka_connect_connector_task_offset_commit_avg_time_ms,
/// kafka_consumer_fetch_manager_records_lag), so its dashboard and alerting rules work unchanged.
/// The exporter lower-cases names and turns every character outside [a-zA-Z0-9_:] into '_'.
/// </summary>
public static class ConnectMetrics
{
    public const string ConfigKey = "metrics-config.yml";

    public const string ExporterConfig = """
        lowercaseOutputName: true
        lowercaseOutputLabelNames: true
        rules:
        # MirrorSourceConnector per replicated partition: byte-rate, record-count, record-age-ms*, replication-latency-ms*
        - pattern: 'kafka.connect.mirror<type=MirrorSourceConnector, target=(.+), topic=(.+), partition=([0-9]+)><>([a-z_-]+)'
          name: kafka_connect_mirror_mirrorsourceconnector_$4
          labels: {target: "$1", topic: "$2", partition: "$3"}
          type: GAUGE
        # MirrorCheckpointConnector per group and partition: checkpoint-latency-ms*
        - pattern: 'kafka.connect.mirror<type=MirrorCheckpointConnector, source=(.+), target=(.+), group=(.+), topic=(.+), partition=([0-9]+)><>([a-z_-]+)'
          name: kafka_connect_mirror_mirrorcheckpointconnector_$6
          labels: {source: "$1", target: "$2", group: "$3", topic: "$4", partition: "$5"}
          type: GAUGE
        # The state of each connector task, as a 1 labelled with it
        - pattern: 'kafka.connect<type=connector-task-metrics, connector=(.+), task=([0-9]+)><>status: ([a-z-]+)'
          name: kafka_connect_connector_status
          value: 1
          labels: {connector: "$1", task: "$2", status: "$3"}
          type: GAUGE
        # Task metrics (source-task, connector-task, task-error): source-record-active-count, offset-commit-avg-time-ms, ...
        - pattern: 'kafka.connect<type=(.+)-metrics, connector=(.+), task=([0-9]+)><>([a-z-]+)'
          name: kafka_connect_$1_$4
          labels: {connector: "$2", task: "$3"}
          type: GAUGE
        # The source connectors' consumers: how far they trail the source partitions
        - pattern: 'kafka.consumer<type=consumer-fetch-manager-metrics, client-id=(.+), topic=(.+), partition=([0-9]+)><>(records-lag|records-lag-max|records-lead)'
          name: kafka_consumer_fetch_manager_$4
          labels: {clientId: "$1", topic: "$2", partition: "$3"}
          type: GAUGE
        # Worker: connector and task counts, rebalances
        - pattern: 'kafka.connect<type=connect-worker-metrics><>([a-z-]+)'
          name: kafka_connect_worker_$1
          type: GAUGE
        - pattern: 'kafka.connect<type=connect-worker-rebalance-metrics><>([a-z-]+)'
          name: kafka_connect_worker_rebalance_$1
          type: GAUGE
        """;
}
