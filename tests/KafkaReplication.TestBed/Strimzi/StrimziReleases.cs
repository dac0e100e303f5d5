using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Kubernetes;
using static KafkaReplication.TestBed.Strimzi.StrimziNames;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>
/// What each emulated release serves and writes, from strimzi/strimzi-kafka-operator at that release:
/// served versions from packaging/install/cluster-operator/041-Crd-kafkaconnect.yaml and 047-Crd-kafkaconnector.yaml;
/// the v1 KafkaConnect's required fields from api/.../model/connect/KafkaConnectSpec.java (@RequiredInVersions("v1+"));
/// the worker file from cluster-operator/.../model/KafkaConnectConfigurationBuilder.java; the Kafka versions from
/// CHANGELOG.md (0.43.0: 3.7.0, 3.7.1, 3.8.0; 0.45.0: 3.8.0, 3.8.1, 3.9.0).
/// </summary>
public static class StrimziReleases
{
    public static string Release(this StrimziVersion v) => v switch
    {
        StrimziVersion.V0_43 => "0.43",
        StrimziVersion.V0_45 => "0.45",
        StrimziVersion.V0_46 => "0.46",
        StrimziVersion.V0_47 => "0.47",
        StrimziVersion.V0_49 => "0.49",
        _ => "1.0",
    };

    /// <summary>kafka.strimzi.io versions served, preferred (the storage version of new releases) first.</summary>
    public static string[] Served(this StrimziVersion v) =>
        v >= StrimziVersion.V1_0 ? ["v1"] : v >= StrimziVersion.V0_49 ? ["v1", "v1beta2"] : ["v1beta2"];

    /// <summary>The Kafka versions the release's operator lists for Connect; empty where this test bed does not claim them.</summary>
    public static string[] KafkaVersions(this StrimziVersion v) => v switch
    {
        StrimziVersion.V0_43 => ["3.7.0", "3.7.1", "3.8.0"],
        StrimziVersion.V0_45 => ["3.8.0", "3.8.1", "3.9.0"],
        _ => [],
    };

    internal static readonly string[] StorageFields = ["groupId", "configStorageTopic", "statusStorageTopic", "offsetStorageTopic"];

    /// <summary>The worker keys the v1 storage fields replace: refused in spec.config from 1.0 (deprecated in 0.49).</summary>
    internal static readonly string[] StorageConfigKeys = ["group.id", "config.storage.topic", "status.storage.topic", "offset.storage.topic"];

    /// <summary>Serves the release's API versions and checks its v1 schema's required KafkaConnect fields.</summary>
    internal static void Install(KubernetesEmulator k8s, StrimziVersion v)
    {
        k8s.ServeApiVersions(Group, v.Served());
        if (!v.Served().Contains("v1")) return;
        k8s.AddSchemaCheck(Group + "/v1", KafkaConnect, o =>
            StorageFields.Prepend("bootstrapServers").FirstOrDefault(f => o["spec"]?[f] is null) is { } missing
                ? ($"spec.{missing}", "Required value")
                : null);
    }

    /// <summary>
    /// The operator's Deployment as packaging/install/cluster-operator/060-Deployment-strimzi-cluster-operator.yaml
    /// has it: label app=strimzi, image quay.io/strimzi/operator:&lt;release&gt;.0, STRIMZI_KAFKA_CONNECT_IMAGES.
    /// </summary>
    internal static JsonObject OperatorDeployment(StrimziVersion v, string ns)
    {
        var env = new JsonArray(new JsonObject { ["name"] = "STRIMZI_NAMESPACE", ["value"] = "*" });
        if (v.KafkaVersions().Length > 0)
        {
            env.Add(new JsonObject
            {
                ["name"] = "STRIMZI_KAFKA_CONNECT_IMAGES",
                ["value"] = string.Concat(v.KafkaVersions().Select(k => $"{k}=quay.io/strimzi/kafka:{v.Release()}.0-kafka-{k}\n")),
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "strimzi-cluster-operator", ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "strimzi" } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["name"] = "strimzi-cluster-operator" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["name"] = "strimzi-cluster-operator" } },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "strimzi-cluster-operator",
                            ["image"] = $"quay.io/strimzi/operator:{v.Release()}.0",
                            ["env"] = env,
                        }),
                    },
                },
            },
        };
    }
}
