using System.Text.Json.Nodes;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

/// <summary>Small Strimzi custom resources for the tests, as JSON the CustomObjects API accepts.</summary>
internal static class Strimzi
{
    public const string Group = "kafka.strimzi.io";
    public const string Version = "v1beta2";
    public const string ApiVersion = Group + "/" + Version;

    public static JsonObject Topic(string ns, string name) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "KafkaTopic",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["partitions"] = 3, ["replicas"] = 1 },
    };

    public static JsonObject Connector(string ns, string name, string cluster, string state = "running") => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "KafkaConnector",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["strimzi.io/cluster"] = cluster },
        },
        ["spec"] = new JsonObject
        {
            ["class"] = "org.apache.kafka.connect.mirror.MirrorSourceConnector",
            ["tasksMax"] = 2,
            ["state"] = state,
            ["config"] = new JsonObject { ["topics"] = "orders.*" },
        },
    };

    public static JsonObject Connect(string ns, string name, int replicas) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "KafkaConnect",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["annotations"] = new JsonObject { ["strimzi.io/use-connector-resources"] = "true" },
        },
        ["spec"] = new JsonObject { ["replicas"] = replicas, ["bootstrapServers"] = "target:9092" },
    };

    public static V1Patch Apply(JsonObject obj) => new(obj.ToJsonString(), V1Patch.PatchType.ApplyPatch);
}
