using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Strimzi;
using KafkaReplication.TestBed.Tests.Kubernetes;

namespace KafkaReplication.TestBed.Tests.Strimzi;

/// <summary>A Kubernetes emulator, a real KubernetesClient on it, and the Strimzi operator emulator watching it.</summary>
internal sealed class OperatorCluster : IAsyncDisposable
{
    public const string Group = "kafka.strimzi.io";
    public const string Version = "v1beta2";
    public const string ApiVersion = Group + "/" + Version;
    public const string Ns = "kafka";
    public const string SourceClass = "org.apache.kafka.connect.mirror.MirrorSourceConnector";

    private OperatorCluster(EmulatedCluster kubernetes, StrimziOperatorEmulator strimzi)
    {
        Kubernetes = kubernetes;
        Strimzi = strimzi;
    }

    public EmulatedCluster Kubernetes { get; }

    public StrimziOperatorEmulator Strimzi { get; }

    public k8s.Kubernetes Client => Kubernetes.Client;

    public static async Task<OperatorCluster> StartAsync(StrimziVersion version = StrimziVersion.V0_43)
    {
        var kubernetes = await EmulatedCluster.StartAsync();
        await kubernetes.CreateNamespaceAsync(Ns);
        return new OperatorCluster(kubernetes, await StrimziOperatorEmulator.StartAsync(kubernetes.Emulator, version));
    }

    public static JsonObject Connect(string name, int replicas = 1, bool useConnectorResources = true)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = Ns };
        if (useConnectorResources)
        {
            metadata["annotations"] = new JsonObject { ["strimzi.io/use-connector-resources"] = "true" };
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "KafkaConnect",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["bootstrapServers"] = "target-kafka-bootstrap:9092",
                ["config"] = new JsonObject { ["group.id"] = name, ["offset.storage.topic"] = name + "-offsets" },
            },
        };
    }

    public static JsonObject Connector(string name, string cluster, string? state = "running", int tasksMax = 2) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "KafkaConnector",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = new JsonObject { ["strimzi.io/cluster"] = cluster } },
        ["spec"] = new JsonObject
        {
            ["class"] = SourceClass,
            ["tasksMax"] = tasksMax,
            ["state"] = state,
            ["config"] = new JsonObject
            {
                ["source.cluster.alias"] = "source",
                ["target.cluster.alias"] = "target",
                ["topics"] = "orders.*",
                ["replication.factor"] = 3,
            },
        },
    };

    public static string Plural(JsonObject obj) => obj["kind"]!.ToString() == "KafkaConnect" ? "kafkaconnects" : "kafkaconnectors";

    /// <summary>Creates a Strimzi resource through the client, then lets the operator finish a pass over it.</summary>
    public async Task CreateAsync(JsonObject obj)
    {
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, Group, Version, Ns, Plural(obj));
        await Strimzi.ReconcileNowAsync();
    }

    /// <summary>Merge-patches a Strimzi resource through the client, then lets the operator finish a pass.</summary>
    public async Task PatchAsync(string plural, string name, JsonObject mergePatch, bool reconcile = true)
    {
        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(mergePatch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, Version, Ns, plural, name);
        if (reconcile)
        {
            await Strimzi.ReconcileNowAsync();
        }
    }

    public async Task<JsonObject> GetAsync(string plural, string name) =>
        JsonSerializer.SerializeToNode(await Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, Ns, plural, name))!.AsObject();

    public ConnectEmulator ConnectFor(string name) => Strimzi.ConnectFor(Ns, name) ?? throw new InvalidOperationException($"no Connect emulator for {name}");

    /// <summary>The one condition of a type in a status, or null.</summary>
    public static JsonNode? Condition(JsonObject obj, string type) =>
        obj["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.ToString() == type);

    public async ValueTask DisposeAsync()
    {
        await Strimzi.DisposeAsync();
        await Kubernetes.DisposeAsync();
    }
}
