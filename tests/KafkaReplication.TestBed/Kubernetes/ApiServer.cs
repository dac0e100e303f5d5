using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using KafkaReplication.TestBed.Faults;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>The REST surface of the emulated API server: routes a request to the store and writes the answer.</summary>
internal sealed class ApiServer(ObjectStore store, WriteFaults faults, FaultPlan plan, PortForwarder portForwarder, ServiceProxy serviceProxy, CancellationToken shutdown)
{
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            var path = context.Request.Path.Value ?? "/";
            if (await InjectAsync(context, path))
            {
                return;
            }

            if (Discovery.Document(store.Types, path) is { } document && context.Request.Method == "GET")
            {
                await WriteJsonAsync(context, 200, document);
                return;
            }

            if (ServiceProxy.Matches(path))
            {
                await serviceProxy.HandleAsync(context);
                return;
            }

            var api = ApiPath.Parse(path) ?? throw StatusErrors.NoRoute();
            if (context.Request.Method is "POST" or "PUT" or "PATCH" or "DELETE" && !faults.TryAdmit())
            {
                throw StatusErrors.InternalError("injected fault: the emulator refuses writes (FailWritesAfter)");
            }

            await DispatchAsync(context, api);
        }
        catch (ApiError error) when (!context.Response.HasStarted)
        {
            await WriteJsonAsync(context, error.Code, error.Status);
        }
        catch (Exception error) when (error is JsonException or FormatException or YamlDotNet.Core.YamlException or InvalidOperationException
            && !context.Response.HasStarted)
        {
            var bad = StatusErrors.BadRequest(error.Message);
            await WriteJsonAsync(context, bad.Code, bad.Status);
        }
        catch (Exception error) when (error is not OperationCanceledException && !context.Response.HasStarted)
        {
            // An emulator bug should reach the test as a readable Status, not as a reset connection.
            var internalError = StatusErrors.InternalError($"emulator failure: {error}");
            await WriteJsonAsync(context, internalError.Code, internalError.Status);
        }
    }

    private async Task DispatchAsync(HttpContext context, ApiPath api)
    {
        var query = context.Request.Query;
        var dryRun = DryRun(query);
        switch (context.Request.Method)
        {
            case "GET" when api.Name is null:
                var type = TypeFor(api, null);
                var ns = type.Namespaced ? api.Namespace : "";
                if (api.WatchPrefix || query["watch"].ToString() is "true" or "1")
                {
                    await WatchAsync(context, type, ns);
                }
                else
                {
                    await WriteJsonAsync(context, 200, ListDocument(type, ns, query));
                }

                return;

            case "GET" when api is { Subresource: "portforward", Plural: "pods", Group: "" }:
                var pods = TypeFor(api, null);
                _ = store.Get(pods, api.Namespace!, api.Name!) ?? throw StatusErrors.NotFound(pods, api.Name!);
                await portForwarder.HandleAsync(context, api.Namespace!, api.Name!, shutdown);
                return;

            case "GET" when api.Subresource is null or "status":
                var one = TypeFor(api, null);
                await WriteJsonAsync(context, 200, store.Get(one, Ns(one, api), api.Name!) ?? throw StatusErrors.NotFound(one, api.Name!));
                return;

            case "POST" when api is { Name: null }:
            {
                var body = await ReadObjectAsync(context);
                var target = TypeFor(api, body["kind"]?.ToString());
                if (target.Namespaced && !api.NamespacedUrl)
                {
                    throw StatusErrors.MethodNotAllowed("POST");
                }

                CheckIdentity(target, api, body, checkName: false);
                await WriteJsonAsync(context, 201, store.Create(target, Ns(target, api), body, dryRun));
                return;
            }

            case "PUT" when api is { Name: not null, Subresource: null or "status" }:
            {
                var body = await ReadObjectAsync(context);
                var target = TypeFor(api, body["kind"]?.ToString());
                CheckIdentity(target, api, body, checkName: true);
                await WriteJsonAsync(context, 200, store.Replace(target, Ns(target, api), api.Name, body, api.Subresource == "status", dryRun));
                return;
            }

            case "PATCH" when api is { Name: not null, Subresource: null or "status" }:
                await PatchAsync(context, api, dryRun);
                return;

            case "DELETE" when api is { Name: not null, Subresource: null }:
            {
                var target = TypeFor(api, null);
                var deleted = store.Delete(target, Ns(target, api), api.Name, await DeleteOptionsAsync(context), dryRun);
                await WriteJsonAsync(context, 200, target.ReturnsObjectOnDelete
                    ? deleted
                    : StatusErrors.Success(target, api.Name, deleted["metadata"]?["uid"]?.ToString()));
                return;
            }

            case "DELETE" when api is { Name: null }:
            {
                // deletecollection: every object the selectors match; the answer lists what was deleted.
                var target = TypeFor(api, null);
                var options = await DeleteOptionsAsync(context);
                var list = ListDocument(target, target.Namespaced ? api.Namespace : "", query);
                var deleted = new JsonArray();
                foreach (var item in ((JsonArray)list["items"]!).OfType<JsonObject>())
                {
                    var name = ObjectRules.Name(item)!;
                    var itemNs = item["metadata"]?["namespace"]?.ToString() ?? "";
                    try
                    {
                        deleted.Add(store.Delete(target, itemNs, name, options, dryRun));
                    }
                    catch (ApiError e) when (e.Code == 404)
                    {
                        // Deleted meanwhile (e.g. garbage-collected with an earlier item).
                    }
                }

                list["items"] = deleted;
                await WriteJsonAsync(context, 200, list);
                return;
            }

            case "GET" or "POST" or "PUT" or "PATCH" or "DELETE" when api.Subresource is not null and not "status":
                throw StatusErrors.NoRoute();

            default:
                throw StatusErrors.MethodNotAllowed(context.Request.Method);
        }
    }

    private async Task PatchAsync(HttpContext context, ApiPath api, bool dryRun)
    {
        var query = context.Request.Query;
        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var apply = mediaType == "application/apply-patch+yaml";
        var manager = query["fieldManager"].ToString();

        // PatchOptions are validated before the object is looked up (apiserver ValidatePatchOptions).
        if (apply && manager.Length == 0)
        {
            throw StatusErrors.Invalid("PatchOptions", "meta.k8s.io", "", "fieldManager", "FieldValueRequired", "Required value: is required for apply patch");
        }

        if (!apply && query.ContainsKey("force"))
        {
            throw StatusErrors.Invalid("PatchOptions", "meta.k8s.io", "", "force", "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch");
        }

        var text = await ReadTextAsync(context);
        var status = api.Subresource == "status";
        if (apply)
        {
            var config = YamlBody.Parse(text) as JsonObject ?? throw StatusErrors.BadRequest("the apply body must be an object");
            var kind = config["kind"]?.ToString();
            if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(config["apiVersion"]?.ToString()))
            {
                throw StatusErrors.BadRequest($"invalid object type: {config["apiVersion"]}, Kind={kind}");
            }

            var applyType = TypeFor(api, kind);
            CheckIdentity(applyType, api, config, checkName: true);
            var force = query["force"].ToString() is "true" or "1";
            var (result, created) = store.Apply(applyType, Ns(applyType, api), api.Name!, config, manager, force, status, dryRun);
            await WriteJsonAsync(context, created ? 201 : 200, result);
            return;
        }

        var type = TypeFor(api, null);
        var patch = JsonNode.Parse(text);
        Func<JsonObject, JsonNode?> patcher = mediaType switch
        {
            "application/merge-patch+json" => live => JsonPatches.MergePatch(live, patch),

            // Custom resources have no Go struct to read patch strategies from, so the real server refuses SMP for them.
            "application/strategic-merge-patch+json" when type.IsBuiltIn => live => JsonPatches.MergePatch(live, patch),
            "application/json-patch+json" => live => JsonPatches.JsonPatch(live, patch as JsonArray ?? throw StatusErrors.BadRequest("a JSON patch is an array of operations")),
            _ => throw StatusErrors.UnsupportedMediaType(mediaType),
        };
        var patched = store.Patch(type, Ns(type, api), api.Name!, live =>
        {
            var next = patcher(live);
            if (next is JsonObject obj)
            {
                CheckIdentity(type, api, obj, checkName: true);
            }

            return next;
        }, status, dryRun);
        await WriteJsonAsync(context, 200, patched);
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        TimeSpan? timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds) : null;
        if (plan.Take("GET", context.Request.Path + context.Request.QueryString.Value, FaultKind.WatchGone, FaultKind.WatchDrop) is { } fault)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            if (fault.Kind == FaultKind.WatchDrop)
            {
                // Headers out, then the connection is gone (a restarted API server, a load balancer's idle cut).
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                return;
            }

            var gone = StatusErrors.Gone(fault.Message ?? "too old resource version");
            await context.Response.WriteAsync(new JsonObject { ["type"] = "ERROR", ["object"] = gone.Status }.ToJsonString() + "\n", context.RequestAborted);
            return;
        }

        WatchSubscription subscription;
        try
        {
            subscription = store.Subscribe(type, ns, query["resourceVersion"]);
        }
        catch (ApiError expired) when (expired.Code == 410)
        {
            // A watch from a compacted resourceVersion is answered 200 with one ERROR event carrying the 410 Status.
            var line = new JsonObject { ["type"] = "ERROR", ["object"] = expired.Status }.ToJsonString() + "\n";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(line, context.RequestAborted);
            return;
        }

        using (subscription)
        {
            await WatchStream.RunAsync(context, subscription, labels, fields, timeout, shutdown);
        }
    }

    /// <summary>Applies the fault plan's request-level faults; true when the request was answered (or dropped) by a fault.</summary>
    private async Task<bool> InjectAsync(HttpContext context, string path)
    {
        var target = path + context.Request.QueryString.Value;
        var method = context.Request.Method;
        if (plan.Take(method, target, FaultKind.Delay) is { } slow)
        {
            await Task.Delay(slow.Delay, context.RequestAborted);
        }

        switch (plan.Take(method, target, FaultKind.Status, FaultKind.Drop, FaultKind.Hang, FaultKind.Malformed))
        {
            case { Kind: FaultKind.Drop }:
                context.Abort();
                return true;
            case { Kind: FaultKind.Hang }:
                // Accepted and never answered: a hung API server or a dead proxy in between.
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                context.Abort();
                return true;
            case { Kind: FaultKind.Malformed }:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"kind\": \"Sta", context.RequestAborted);
                return true;
            case { Kind: FaultKind.Status } status:
                if (status.RetryAfter is { } after)
                {
                    // Whole seconds, as the API server's priority-and-fairness filter sends it.
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                var error = StatusErrors.Injected(status.StatusCode, status.Message);
                await WriteJsonAsync(context, error.Code, error.Status);
                return true;
            default:
                return false;
        }
    }

    private JsonObject ListDocument(ResourceType type, string? ns, IQueryCollection query)
    {
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        var (all, resourceVersion) = store.List(type, ns);
        var items = all.Where(o => labels.Matches(o) && fields.Matches(o)).ToList();

        // Paging (limit/continue): the token is opaque to clients; here it is the offset of the next page.
        var offset = 0;
        if (query["continue"].ToString() is { Length: > 0 } token)
        {
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw StatusErrors.BadRequest($"invalid continue token: {token}");
            }
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        var page = items.Skip(offset);
        if (int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 && items.Count - offset > limit)
        {
            page = page.Take(limit);
            metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + limit).ToString(CultureInfo.InvariantCulture)));
            metadata["remainingItemCount"] = items.Count - offset - limit;
        }

        return new JsonObject
        {
            ["apiVersion"] = type.ApiVersion,
            ["kind"] = type.Kind + "List",
            ["metadata"] = metadata,
            ["items"] = new JsonArray(page.Select(JsonNode? (o) => o).ToArray()),
        };
    }

    private ResourceType TypeFor(ApiPath api, string? kindFromBody)
    {
        if (!store.Types.IsServed(api.Group, api.Version)) throw StatusErrors.NoRoute();
        var known = store.Types.FindByPlural(api.Group, api.Plural);
        if (api.NamespacedUrl)
        {
            return known is { Namespaced: false }
                ? throw StatusErrors.NoRoute()
                : store.Types.Resolve(api.Group, api.Version, api.Plural, namespaced: true, kindFromBody);
        }

        if (api.Name is not null && known is { Namespaced: true })
        {
            throw StatusErrors.NoRoute();
        }

        return known is null
            ? store.Types.Resolve(api.Group, api.Version, api.Plural, namespaced: false, kindFromBody)
            : known with { Version = api.Version };
    }

    private static string Ns(ResourceType type, ApiPath api) => type.Namespaced ? api.Namespace ?? "" : "";

    // The checks the REST handlers make before the registry sees the object (apiserver handlers/create.go, update.go).
    private static void CheckIdentity(ResourceType type, ApiPath api, JsonObject body, bool checkName)
    {
        if (body["apiVersion"]?.ToString() is { Length: > 0 } apiVersion && apiVersion != type.ApiVersion)
        {
            throw StatusErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (body["kind"]?.ToString() is { Length: > 0 } kind && kind != type.Kind)
        {
            throw StatusErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        if (type.Namespaced && body["metadata"]?["namespace"]?.ToString() is { Length: > 0 } ns && ns != api.Namespace)
        {
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (checkName && ObjectRules.Name(body) is { Length: > 0 } name && name != api.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({api.Name})");
        }
    }

    private static bool DryRun(IQueryCollection query)
    {
        foreach (var value in query["dryRun"])
        {
            if (value != "All")
            {
                throw StatusErrors.BadRequest($"unsupported dryRun value {value}: only \"All\" is supported");
            }

            return true;
        }

        return false;
    }

    private static async Task<DeleteOptions> DeleteOptionsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var policy = query["propagationPolicy"].ToString();
        var orphan = query["orphanDependents"].ToString() == "true";
        string? uid = null, resourceVersion = null;
        var text = await ReadTextAsync(context);
        if (!string.IsNullOrWhiteSpace(text) && JsonNode.Parse(text) is JsonObject body)
        {
            policy = body["propagationPolicy"]?.ToString() ?? policy;
            orphan |= body["orphanDependents"]?.GetValue<bool>() == true;
            uid = body["preconditions"]?["uid"]?.ToString();
            resourceVersion = body["preconditions"]?["resourceVersion"]?.ToString();
        }

        return new DeleteOptions(uid, resourceVersion, orphan || policy == "Orphan");
    }

    private static async Task<string> ReadTextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        JsonNode.Parse(await ReadTextAsync(context)) as JsonObject ?? throw StatusErrors.BadRequest("the request body must be a JSON object");

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
