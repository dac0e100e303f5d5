using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KafkaReplication.TestBed.Kubernetes;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

/// <summary>An emulator plus a real KubernetesClient built from the kubeconfig it writes.</summary>
internal sealed class EmulatedCluster : IAsyncDisposable
{
    public const string Manager = "KafkaReplication";

    /// <summary>Upper bound for any wait on an event; tests never sleep.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly string directory;

    private EmulatedCluster(KubernetesEmulator emulator, string directory, string kubeconfig)
    {
        Emulator = emulator;
        this.directory = directory;
        KubeconfigPath = kubeconfig;
        Client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public KubernetesEmulator Emulator { get; }

    public k8s.Kubernetes Client { get; }

    public string KubeconfigPath { get; }

    public static async Task<EmulatedCluster> StartAsync(string? defaultNamespace = null)
    {
        var emulator = await KubernetesEmulator.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "kafka-replication-testbed", Guid.NewGuid().ToString("N"));
        return new EmulatedCluster(emulator, directory, emulator.WriteKubeconfig(directory, defaultNamespace: defaultNamespace));
    }

    public Task<V1Namespace> CreateNamespaceAsync(string name) =>
        Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });

    /// <summary>Server-side applies a ConfigMap the way the module does (fieldManager KafkaReplication, force).</summary>
    public Task<HttpOperationResponse<V1ConfigMap>> ApplyConfigMapAsync(string ns, string name, object data, string manager = Manager, bool? force = true, IDictionary<string, string>? labels = null)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["data"] = JsonSerializer.SerializeToNode(data),
        };
        if (labels is not null)
        {
            body["metadata"]!["labels"] = JsonSerializer.SerializeToNode(labels);
        }

        return Client.CoreV1.PatchNamespacedConfigMapWithHttpMessagesAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), name, ns, fieldManager: manager, force: force);
    }

    /// <summary>The Status body of a failed call, as the API server sent it.</summary>
    public static async Task<(HttpOperationException Error, JsonObject Status)> StatusOfAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = JsonNode.Parse(error.Response.Content)!.AsObject();
        return (error, status);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
