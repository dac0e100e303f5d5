using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Connect;

namespace KafkaReplication.TestBed.Tests.Connect;

/// <summary>A Connect emulator plus a plain HttpClient, as any REST client would talk to a worker.</summary>
internal sealed class ConnectServer : IAsyncDisposable
{
    public const string SourceClass = "org.apache.kafka.connect.mirror.MirrorSourceConnector";
    public const string CheckpointClass = "org.apache.kafka.connect.mirror.MirrorCheckpointConnector";
    public const string HeartbeatClass = "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector";

    /// <summary>Upper bound for any wait on an event; tests never sleep.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private ConnectServer(ConnectEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient { BaseAddress = emulator.BaseUri, Timeout = Timeout };
    }

    public ConnectEmulator Emulator { get; }

    public HttpClient Http { get; }

    public static async Task<ConnectServer> StartAsync() => new(await ConnectEmulator.StartAsync());

    public static JsonObject Config(string connectorClass = SourceClass, int tasksMax = 2) => new()
    {
        ["connector.class"] = connectorClass,
        ["tasks.max"] = tasksMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["source.cluster.alias"] = "source",
        ["target.cluster.alias"] = "target",
        ["topics"] = "orders.*",
    };

    public static JsonObject Partition(string topic = "orders", int partition = 0) =>
        new() { ["cluster"] = "source", ["topic"] = topic, ["partition"] = partition };

    /// <summary>Sends a request; the answer's status and parsed body (null when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode body) =>
        SendAsync(method, path, body.ToJsonString());

    /// <summary>Creates a connector through the REST API and checks it was created.</summary>
    public async Task CreateAsync(string name, JsonObject? config = null)
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/connectors", new JsonObject { ["name"] = name, ["config"] = config ?? Config() });
        Assert.Equal(HttpStatusCode.Created, status);
    }

    /// <summary>An offsets body for PATCH: each entry a partition and an offset (null = remove).</summary>
    public static JsonObject OffsetsBody(params (JsonNode? Partition, JsonNode? Offset)[] entries) => new()
    {
        ["offsets"] = new JsonArray(entries.Select(e => (JsonNode)new JsonObject { ["partition"] = e.Partition?.DeepClone(), ["offset"] = e.Offset?.DeepClone() }).ToArray()),
    };

    public static JsonObject Offset(long value) => new() { ["offset"] = value };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
