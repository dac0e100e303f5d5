using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using KafkaReplication.TestBed.Faults;

namespace KafkaReplication.TestBed.Connect;

/// <summary>
/// The REST surface of a Kafka Connect 3.8 worker (connect/runtime/.../rest/resources/ConnectorsResource.java and
/// RootResource.java): routes a request to the store and writes the answer or the error body.
/// </summary>
internal sealed class ConnectRestApi(ConnectorStore store, FaultPlan faults)
{
    public const string KafkaVersion = "3.8.0";

    private const string RebalanceMessage = "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)";

    public static readonly string[] MirrorConnectors =
    [
        "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
        "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
        "org.apache.kafka.connect.mirror.MirrorSourceConnector",
    ];

    public async Task HandleAsync(HttpContext context, string? body)
    {
        var method = context.Request.Method;
        var target = (context.Request.Path.Value ?? "/") + context.Request.QueryString.Value;
        try
        {
            if (faults.Take(method, target, FaultKind.Delay) is { } slow)
            {
                await Task.Delay(slow.Delay, context.RequestAborted);
            }

            switch (faults.Take(method, target, FaultKind.Drop, FaultKind.Status, FaultKind.Hang, FaultKind.Malformed))
            {
                case { Kind: FaultKind.Drop }:
                    // The connection goes away without an answer, as when a worker dies mid-request.
                    context.Abort();
                    return;
                case { Kind: FaultKind.Hang }:
                    // Accepted, never answered: a stuck worker or a dead proxy.
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return;
                case { Kind: FaultKind.Malformed }:
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync("<html><body>Bad gateway</body></html>", context.RequestAborted);
                    return;
                case { Kind: FaultKind.Status } fail:
                    if (fail.RetryAfter is { } after)
                    {
                        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    }

                    // ConnectorsResource answers a herder request that outlives its timeout with 500 "Request timed out".
                    throw new ConnectRestError(fail.StatusCode, fail.Message ?? (fail.StatusCode == 500 ? "Request timed out" : ReasonPhrase(fail.StatusCode)));
            }

            await RouteAsync(context, body, method, target);
        }
        catch (ConnectRestError error) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, error.Code, error.Body);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            // An emulator bug reaches the test as a readable 500, not as a reset connection.
            await WriteAsync(context, 500, new ConnectRestError(500, $"emulator failure: {error}").Body);
        }
    }

    private static string ReasonPhrase(int code) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase : $"HTTP {code}";

    private async Task RouteAsync(HttpContext context, string? body, string method, string target)
    {
        var query = context.Request.Query;
        var path = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (path, method)
        {
            case ([], "GET"):
                await WriteAsync(context, 200, new JsonObject { ["version"] = KafkaVersion, ["commit"] = "emulated", ["kafka_cluster_id"] = "emulated-cluster" });
                return;
            case (["connector-plugins"], "GET"):
                await WriteAsync(context, 200, new JsonArray(MirrorConnectors.Select(c => (JsonNode)new JsonObject
                {
                    ["class"] = c, ["type"] = "source", ["version"] = KafkaVersion,
                }).ToArray()));
                return;
            case (["connectors"], "GET"):
                Gate(method, target);
                await WriteAsync(context, 200, List(query["expand"].Where(e => e is not null).Select(e => e!).ToList()));
                return;
            case (["connectors"], "POST"):
                await CreateAsync(context, method, target, body);
                return;
            case (["connectors", var c], "GET"):
                Gate(method, target);
                await WriteAsync(context, 200, store.Info(c));
                return;
            case (["connectors", var c], "DELETE"):
                Gate(method, target);
                if (!store.Delete(c))
                {
                    throw ConnectRestError.NotFound($"Connector {c} not found");
                }

                await WriteAsync(context, 204, null);
                return;
            case (["connectors", var c, "config"], "GET"):
                Gate(method, target);
                await WriteAsync(context, 200, store.Config(c));
                return;
            case (["connectors", var c, "config"], "PUT"):
            {
                var config = ParseObject(body);
                Gate(method, target);
                var (created, info) = store.Put(c, config, allowReplace: true, targetState: null);
                if (created)
                {
                    context.Response.Headers.Location = Location(context, c);
                }

                await WriteAsync(context, created ? 201 : 200, info);
                return;
            }

            case (["connectors", var c, "status"], "GET"):
                Gate(method, target);
                await WriteAsync(context, 200, store.Status(c));
                return;
            case (["connectors", var c, "tasks"], "GET"):
                Gate(method, target);
                await WriteAsync(context, 200, store.TaskConfigs(c));
                return;
            case (["connectors", var c, "topics"], "GET"):
                Gate(method, target);
                _ = store.Status(c);
                await WriteAsync(context, 200, new JsonObject { [c] = new JsonObject { ["topics"] = new JsonArray() } });
                return;
            case (["connectors", var c, "pause"], "PUT"):
                Gate(method, target);
                store.SetTargetState(c, ConnectorRecord.Paused, $"Unknown connector {c}");
                await WriteAsync(context, 202, null);
                return;
            case (["connectors", var c, "resume"], "PUT"):
                Gate(method, target);
                store.SetTargetState(c, ConnectorRecord.Started, $"Unknown connector {c}");
                await WriteAsync(context, 202, null);
                return;
            case (["connectors", var c, "stop"], "PUT"):
                Gate(method, target);
                store.SetTargetState(c, ConnectorRecord.Stopped, $"Unknown connector {c}");
                await WriteAsync(context, 204, null);
                return;
            case (["connectors", var c, "restart"], "POST"):
            {
                Gate(method, target);
                var includeTasks = Flag(query["includeTasks"]);
                var onlyFailed = Flag(query["onlyFailed"]);
                if (!includeTasks && !onlyFailed)
                {
                    // RestartRequest.forciblyRestartConnectorOnly: the pre-KIP-745 behaviour, no body.
                    store.RestartConnector(c);
                    await WriteAsync(context, 204, null);
                }
                else
                {
                    await WriteAsync(context, 202, store.RestartConnectorAndTasks(c, includeTasks, onlyFailed));
                }

                return;
            }

            case (["connectors", var c, "tasks", var t, "status"], "GET") when TaskId(t) is { } task:
                Gate(method, target);
                await WriteAsync(context, 200, store.TaskStatus(c, task));
                return;
            case (["connectors", var c, "tasks", var t, "restart"], "POST") when TaskId(t) is { } task:
                Gate(method, target);
                store.RestartTask(c, task);
                await WriteAsync(context, 204, null);
                return;
            case (["connectors", var c, "offsets"], "GET"):
                Gate(method, target);
                await WriteAsync(context, 200, store.Offsets(c));
                return;
            case (["connectors", var c, "offsets"], "PATCH"):
            {
                // ConnectorsResource.alterConnectorOffsets checks the body before the request reaches the herder.
                var entries = ParseOffsets(body);
                Gate(method, target);
                await WriteAsync(context, 200, new JsonObject { ["message"] = store.AlterOffsets(c, entries) });
                return;
            }

            case (["connectors", var c, "offsets"], "DELETE"):
                Gate(method, target);
                await WriteAsync(context, 200, new JsonObject { ["message"] = store.ResetOffsets(c) });
                return;
            case ([], _) or (["connector-plugins"] or ["connectors"] or ["connectors", _] or ["connectors", _, "config" or "status" or "tasks"
                or "topics" or "pause" or "resume" or "stop" or "restart" or "offsets"] or ["connectors", _, "tasks", _, "status" or "restart"], _):
                throw new ConnectRestError(405, "HTTP 405 Method Not Allowed");
            default:
                throw ConnectRestError.NotFound("HTTP 404 Not Found");
        }
    }

    private async Task CreateAsync(HttpContext context, string method, string target, string? body)
    {
        var request = ParseObject(body);
        var name = (request["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : "").Trim();
        if (request["config"] is not JsonObject config)
        {
            throw ConnectRestError.BadRequest("Connector config must be provided");
        }

        if (name.Length == 0)
        {
            throw ConnectRestError.BadRequest("Connector name must not be empty");
        }

        // CreateConnectorRequest.initial_state (KIP-980, Kafka 3.7+).
        var initial = request["initial_state"]?.ToString() switch
        {
            null => ConnectorRecord.Started,
            "RUNNING" => ConnectorRecord.Started,
            "PAUSED" => ConnectorRecord.Paused,
            "STOPPED" => ConnectorRecord.Stopped,
            var other => throw ConnectRestError.BadRequest($"Invalid initial state {other}; must be one of RUNNING, PAUSED, STOPPED"),
        };
        Gate(method, target);
        var (_, info) = store.Put(name, config, allowReplace: false, initial);
        context.Response.Headers.Location = Location(context, name);
        await WriteAsync(context, 201, info);
    }

    // GET /connectors, with ?expand=status and/or ?expand=info giving an object keyed by connector name.
    private JsonNode List(IReadOnlyList<string> expand)
    {
        var names = store.Names();
        if (expand.Count == 0)
        {
            return new JsonArray(names.Select(n => (JsonNode)n).ToArray());
        }

        var result = new JsonObject();
        foreach (var name in names)
        {
            try
            {
                var entry = new JsonObject();
                foreach (var expansion in expand.Distinct())
                {
                    if (expansion == "status")
                    {
                        entry["status"] = store.Status(name);
                    }
                    else if (expansion == "info")
                    {
                        entry["info"] = store.Info(name);
                    }
                }

                result[name] = entry;
            }
            catch (ConnectRestError e) when (e.Code == 404)
            {
                // Deleted while listing: left out, as upstream does.
            }
        }

        return result;
    }

    private void Gate(string method, string target)
    {
        // DistributedHerder.checkRebalanceNeeded, surfaced by ConnectorsResource as 409.
        if (faults.Take(method, target, FaultKind.Rebalance) is not null)
        {
            throw ConnectRestError.Conflict(RebalanceMessage);
        }
    }

    internal static List<(JsonNode? Partition, JsonNode? Offset)> ParseOffsets(string? body)
    {
        var request = string.IsNullOrWhiteSpace(body) ? null : ParseObject(body);
        if (request?["offsets"] is not JsonArray list || list.Count == 0)
        {
            throw ConnectRestError.BadRequest("Partitions / offsets need to be provided for an alter offsets request");
        }

        var entries = new List<(JsonNode?, JsonNode?)>();
        foreach (var item in list)
        {
            if (item is not JsonObject entry || entry["partition"] is not (null or JsonObject) || entry["offset"] is not (null or JsonObject))
            {
                throw ConnectRestError.BadRequest($"Cannot deserialize the offsets entry {item?.ToJsonString() ?? "null"}: partition and offset must be JSON objects or null");
            }

            entries.Add((entry["partition"], entry["offset"]));
        }

        return entries;
    }

    private static JsonObject ParseObject(string? body)
    {
        try
        {
            return JsonNode.Parse(body ?? "") as JsonObject ?? throw ConnectRestError.BadRequest("Request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ConnectRestError.BadRequest($"Cannot parse the request body as JSON: {e.Message}");
        }
    }

    private static bool Flag(Microsoft.Extensions.Primitives.StringValues value) =>
        bool.TryParse(value.ToString(), out var flag) && flag;

    // A task id that is not an integer does not match the JAX-RS route.
    private static int? TaskId(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string Location(HttpContext context, string name) =>
        $"{context.Request.Scheme}://{context.Request.Host}/connectors/{Uri.EscapeDataString(name)}";

    private static async Task WriteAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        if (body is not null)
        {
            // A Content-Length rather than chunks, as Jetty sends small bodies; raw clients (e.g. through a port-forward) rely on it.
            var bytes = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes);
        }
    }
}
