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
/// Typed client for the Kafka Connect REST endpoints the module needs (ConnectorsResource, Kafka 3.8). Each request
/// runs under the per-request limit (ConnectTimeout when it passes). Rebalances (409), 429, server errors (5xx) and
/// dropped connections are retried with bounded, jittered exponential backoff that honours Retry-After (Polly); a
/// POST (restart) is sent again only when the server refused it before acting (409, 429, 503) or the connection
/// could not be made. Every call and retry is logged.
/// </summary>
public sealed class ConnectRestClient : IDisposable
{
    private readonly ConnectTransport _transport;
    private readonly IOperationLog _log;
    private readonly ResiliencePipeline _retry;

    public ConnectRestClient(ConnectTransport transport, IOperationLog log, ConnectRetryOptions? retry = null, RequestLimits? limits = null)
    {
        _transport = transport;
        _log = log;
        Limits = limits ?? RequestLimits.Default;
        // The transports' HttpClient timeouts (60 s, 100 s) only back up the per-request limit, which ends first.
        try
        {
            if (_transport.Http.Timeout != Timeout.InfiniteTimeSpan && _transport.Http.Timeout < Limits.Request + TimeSpan.FromSeconds(5))
                _transport.Http.Timeout = Limits.Request + TimeSpan.FromSeconds(5);
        }
        catch (InvalidOperationException)
        {
            // The client has sent requests already; the per-request limit still applies.
        }
        var o = retry ?? ConnectRetryOptions.Default;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRetries,
                Delay = o.BaseDelay,
                MaxDelay = Limits.Request,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } e && ShouldRetry(e, args.Context.OperationKey)),
                DelayGenerator = args => new ValueTask<TimeSpan?>((args.Outcome.Exception as ConnectApiException)?.RetryAfter),
                OnRetry = args =>
                {
                    _log.Verbose($"Retrying after {Describe(args.Outcome.Exception)} (attempt {args.AttemptNumber + 2} of {o.MaxRetries + 1}, in {args.RetryDelay.TotalMilliseconds:0} ms)");
                    return default;
                },
            })
            .Build();
    }

    /// <summary>How long one request may take.</summary>
    public RequestLimits Limits { get; }

    /// <summary>GET, PUT, PATCH and DELETE of this API are idempotent; a POST only when it was certainly not acted on.</summary>
    private static bool ShouldRetry(Exception e, string? method)
    {
        var post = method == HttpMethod.Post.Method;
        return e switch
        {
            ConnectApiException c => post ? c.WasNotExecuted : c.IsTransient,
            HttpRequestException h => !post || h.HttpRequestError == HttpRequestError.ConnectionError,
            IOException => !post,
            _ => false,
        };
    }

    private static string Describe(Exception? e) => e switch
    {
        ConnectApiException c => $"HTTP {(int)c.Status}: {c.Message}",
        null => "an error",
        _ => e.Message,
    };

    public string Route => _transport.Route;

    public async Task<IReadOnlyList<string>> ListConnectorsAsync(CancellationToken ct) =>
        Expect<JsonArray>(await SendAsync(HttpMethod.Get, "/connectors", null, ct).ConfigureAwait(false), HttpMethod.Get, "/connectors")
            .Select(n => n is JsonValue v && v.TryGetValue<string>(out var name) ? name : throw Malformed(HttpMethod.Get, "/connectors", "a connector name is not a string")).ToList();

    public Task<JsonObject> GetStatusAsync(string connector, CancellationToken ct) => GetObjectAsync($"/connectors/{Uri.EscapeDataString(connector)}/status", ct);

    public Task<JsonObject> GetConfigAsync(string connector, CancellationToken ct) => GetObjectAsync($"/connectors/{Uri.EscapeDataString(connector)}/config", ct);

    private async Task<JsonObject> GetObjectAsync(string path, CancellationToken ct) =>
        Expect<JsonObject>(await SendAsync(HttpMethod.Get, path, null, ct).ConfigureAwait(false), HttpMethod.Get, path);

    public async Task<IReadOnlyList<ConnectOffset>> GetOffsetsAsync(string connector, CancellationToken ct)
    {
        var path = $"/connectors/{Uri.EscapeDataString(connector)}/offsets";
        var body = await GetObjectAsync(path, ct).ConfigureAwait(false);
        // The entries are taken out of the parsed body (detached, not copied): thousands of partitions are common.
        return (body["offsets"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Select(o => new ConnectOffset(Detach(o, "partition") as JsonObject ?? throw Malformed(HttpMethod.Get, path, "an offset entry has no partition object"),
                Detach(o, "offset") as JsonObject))
            .ToList();
    }

    /// <summary>
    /// GET /connectors/{c}/offsets read straight from the body's bytes into each entry's key fields and raw text, without
    /// a JSON tree: for reading only (Get-SourceOffset, Get-ReplicationState), where thousands of partitions are common.
    /// </summary>
    public async Task<IReadOnlyList<StoredConnectOffset>> GetStoredOffsetsAsync(string connector, CancellationToken ct)
    {
        var path = $"/connectors/{Uri.EscapeDataString(connector)}/offsets";
        var offsets = await SendAsync(HttpMethod.Get, path, null, async (content, token) =>
        {
            var body = await content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            try
            {
                return StoredConnectOffset.ReadOffsetsBody(body)
                    ?? throw Malformed(HttpMethod.Get, path, "expected a JSON object");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw Malformed(HttpMethod.Get, path, e.Message);
            }
            catch (FormatException e)
            {
                throw Malformed(HttpMethod.Get, path, e.Message);
            }
        }, ct).ConfigureAwait(false);
        return offsets ?? throw Malformed(HttpMethod.Get, path, "expected a JSON object, got nothing"); // 204 No Content
    }

    private static JsonNode? Detach(JsonObject parent, string name)
    {
        var node = parent[name];
        parent.Remove(name);
        return node;
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
        SendAsync(method, path, body, async (content, token) =>
        {
            var text = await content.ReadAsStringAsync(token).ConfigureAwait(false);
            try
            {
                return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw Malformed(method, path, e.Message);
            }
        }, ct);

    /// <summary>A request with retries; null for 204 No Content.</summary>
    private async Task<T?> SendAsync<T>(HttpMethod method, string path, JsonNode? body, Func<HttpContent, CancellationToken, Task<T?>> read, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(method.Method, ct);
        try
        {
            return await _retry.ExecuteAsync(ctx => AttemptAsync(method, path, body, read, ctx.CancellationToken), context).ConfigureAwait(false);
        }
        catch (ConnectApiException c)
        {
            throw c.ToReplicationException(path);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ReplicationException(ReplicationErrorKind.Unreachable, "ConnectUnreachable",
                $"Cannot reach the Kafka Connect REST API ({_transport.Route}): {e.Message}", path);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One request under the per-request limit; the answer read by <paramref name="read"/> (not called for
    /// 204 No Content).</summary>
    private async ValueTask<T?> AttemptAsync<T>(HttpMethod method, string path, JsonNode? body, Func<HttpContent, CancellationToken, Task<T?>> read, CancellationToken ct)
    {
        _log.Verbose($"{method.Method} {path} (Connect REST, {_transport.Route})");
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(Limits.Request);
        try
        {
            using var request = new HttpRequestMessage(method, path.TrimStart('/'));
            if (body is not null)
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _transport.Http.SendAsync(request, attempt.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ConnectApiException.FromResponseAsync(response, method.Method, path, Limits.Request, attempt.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NoContent) return default;
            return await read(response.Content, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The limit passed (or the transport's HttpClient timeout): a server that does not answer is not asked again.
            throw new ReplicationException(ReplicationErrorKind.Timeout, "ConnectTimeout",
                $"The Kafka Connect REST API ({_transport.Route}) did not answer {method.Method} {path} within {Limits.Request.TotalSeconds:0.#} s.", path)
            {
                RecommendedAction = "Check the Connect pods (Get-ReplicationConnector, their logs), or allow more time with -RequestTimeout.",
            };
        }
    }

    private ReplicationException Malformed(HttpMethod method, string path, string why) =>
        new(ReplicationErrorKind.OperationFailed, "ConnectMalformedResponse",
            $"The Kafka Connect REST API ({_transport.Route}) answered {method.Method} {path} with a body that is not the expected JSON ({why}).", path)
        {
            RecommendedAction = "Check that the address is the Connect REST API and not a proxy's error page.",
        };

    /// <summary>The answer as the JSON shape the endpoint documents, or ConnectMalformedResponse.</summary>
    private T Expect<T>(JsonNode? node, HttpMethod method, string path) where T : JsonNode =>
        node as T ?? throw Malformed(method, path, $"expected a JSON {(typeof(T) == typeof(JsonArray) ? "array" : "object")}, got {node?.GetValueKind().ToString() ?? "nothing"}");

    public void Dispose() => _transport.Dispose();
}

/// <summary>Retry bounds for Connect calls (tests shorten the delay).</summary>
public sealed record ConnectRetryOptions(int MaxRetries, TimeSpan BaseDelay)
{
    public static readonly ConnectRetryOptions Default = new(5, TimeSpan.FromMilliseconds(250));
}
