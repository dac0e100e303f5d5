using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Model;
using Polly;
using Polly.Retry;

namespace KafkaReplication.Engine.Connect;

/// <summary>One stored offset of a connector: the partition key and offset value as Connect returns them.</summary>
public sealed record ConnectOffset(JsonObject Partition, JsonObject? Offset);

/// <summary>
/// Typed client for the Kafka Connect REST endpoints the module needs (ConnectorsResource, Kafka 3.8). Rebalances
/// (409) and server errors (5xx, dropped connections) are retried with bounded exponential backoff (Polly);
/// every call is logged with method and path.
/// </summary>
public sealed class ConnectRestClient : IDisposable
{
    private readonly ConnectTransport _transport;
    private readonly IOperationLog _log;
    private readonly ResiliencePipeline _retry;

    public ConnectRestClient(ConnectTransport transport, IOperationLog log, ConnectRetryOptions? retry = null)
    {
        _transport = transport;
        _log = log;
        var o = retry ?? ConnectRetryOptions.Default;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRetries,
                Delay = o.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder()
                    .Handle<ConnectApiException>(e => e.IsTransient)
                    .Handle<HttpRequestException>()
                    .Handle<IOException>(),
                OnRetry = args =>
                {
                    _log.Verbose($"Retrying after {Describe(args.Outcome.Exception)} (attempt {args.AttemptNumber + 2} of {o.MaxRetries + 1}, in {args.RetryDelay.TotalMilliseconds:0} ms)");
                    return default;
                },
            })
            .Build();
    }

    private static string Describe(Exception? e) => e switch
    {
        ConnectApiException c => $"HTTP {(int)c.Status}: {c.Message}",
        null => "an error",
        _ => e.Message,
    };

    public string Route => _transport.Route;

    public async Task<IReadOnlyList<string>> ListConnectorsAsync(CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, "/connectors", null, ct).ConfigureAwait(false))!.AsArray().Select(n => (string)n!).ToList();

    public async Task<JsonObject> GetStatusAsync(string connector, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, $"/connectors/{Uri.EscapeDataString(connector)}/status", null, ct).ConfigureAwait(false))!.AsObject();

    public async Task<JsonObject> GetConfigAsync(string connector, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, $"/connectors/{Uri.EscapeDataString(connector)}/config", null, ct).ConfigureAwait(false))!.AsObject();

    public async Task<IReadOnlyList<ConnectOffset>> GetOffsetsAsync(string connector, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Get, $"/connectors/{Uri.EscapeDataString(connector)}/offsets", null, ct).ConfigureAwait(false);
        return (body?["offsets"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Select(o => new ConnectOffset((JsonObject)o["partition"]!.DeepClone(), o["offset"]?.DeepClone() as JsonObject))
            .ToList();
    }

    /// <summary>PATCH /connectors/{c}/offsets (the connector must be STOPPED); a null offset removes the partition's entry.</summary>
    public async Task PatchOffsetsAsync(string connector, IEnumerable<ConnectOffset> offsets, CancellationToken ct)
    {
        var array = new JsonArray(offsets.Select(o => (JsonNode)new JsonObject { ["partition"] = o.Partition.DeepClone(), ["offset"] = o.Offset?.DeepClone() }).ToArray());
        await SendAsync(HttpMethod.Patch, $"/connectors/{Uri.EscapeDataString(connector)}/offsets", new JsonObject { ["offsets"] = array }, ct).ConfigureAwait(false);
    }

    /// <summary>DELETE /connectors/{c}/offsets: resets every offset of a STOPPED connector.</summary>
    public Task ResetOffsetsAsync(string connector, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"/connectors/{Uri.EscapeDataString(connector)}/offsets", null, ct);

    /// <summary>POST /connectors/{c}/restart?includeTasks=&amp;onlyFailed= (Connect 3.0+, KIP-745).</summary>
    public Task RestartAsync(string connector, bool includeTasks, bool onlyFailed, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/connectors/{Uri.EscapeDataString(connector)}/restart?includeTasks={Bool(includeTasks)}&onlyFailed={Bool(onlyFailed)}", null, ct);

    private static string Bool(bool b) => b ? "true" : "false";

    private Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct) =>
        _retry.ExecuteAsync(async token =>
        {
            _log.Verbose($"{method.Method} {path} (Connect REST, {_transport.Route})");
            using var request = new HttpRequestMessage(method, path.TrimStart('/'));
            if (body is not null)
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _transport.Http.SendAsync(request, token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ConnectApiException.FromResponseAsync(response, method.Method, path, token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NoContent) return null;
            var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }, ct).AsTask().ContinueWith(t =>
        {
            if (t.IsCanceled) throw new OperationCanceledException(ct);
            var e = t.Exception?.GetBaseException();
            if (e is ConnectApiException c) throw c.ToReplicationException(path);
            if (e is HttpRequestException or IOException)
                throw new ReplicationException(ReplicationErrorKind.Unreachable, "ConnectUnreachable",
                    $"Cannot reach the Kafka Connect REST API ({_transport.Route}): {e.Message}", path, e);
            if (e is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
            return t.Result;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public void Dispose() => _transport.Dispose();
}

/// <summary>Retry bounds for Connect calls (tests shorten the delay).</summary>
public sealed record ConnectRetryOptions(int MaxRetries, TimeSpan BaseDelay)
{
    public static readonly ConnectRetryOptions Default = new(5, TimeSpan.FromMilliseconds(250));
}
