using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>
/// An API error carrying the <c>Status</c> body the real API server would send
/// (k8s.io/apimachinery/pkg/api/errors: NewNotFound, NewAlreadyExists, NewConflict, NewInvalid, ...).
/// </summary>
internal sealed class ApiError(int code, JsonObject status) : Exception(status["message"]?.GetValue<string>())
{
    public int Code { get; } = code;

    public JsonObject Status { get; } = status;
}

internal static class StatusErrors
{
    public static JsonObject Success(ResourceType type, string name, string? uid)
    {
        var details = Details(type, name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    // "configmaps \"x\" not found" / "kafkatopics.kafka.strimzi.io \"x\" not found": the message names the
    // group-qualified resource, details.kind the plural (apimachinery errors.NewNotFound).
    public static ApiError NotFound(ResourceType type, string name) =>
        Failure(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", Details(type, name));

    public static ApiError NamespaceNotFound(string ns) =>
        NotFound(ResourceTypes.Namespaces, ns);

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        Failure(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", Details(type, name));

    public static ApiError Conflict(ResourceType type, string name, string why) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": {why}", Details(type, name));

    public static ApiError StaleResourceVersion(ResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    // Server-side apply conflicts list one cause per field (structured-merge-diff's conflict error).
    public static ApiError ApplyConflicts(ResourceType type, string name, IReadOnlyList<(string Manager, string Field)> conflicts)
    {
        var causes = new JsonArray();
        foreach (var (manager, field) in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{manager}\"",
                ["field"] = field,
            });
        }

        var details = Details(type, name);
        details["causes"] = causes;
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: conflict with \"{conflicts[0].Manager}\": {conflicts[0].Field}"
            : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", conflicts.Select(c => $"- conflict with \"{c.Manager}\": {c.Field}"));
        return Failure(409, "Conflict", message, details);
    }

    public static ApiError BadRequest(string message) =>
        Failure(400, "BadRequest", message, null);

    // NewInvalid: "<Kind>[.<group>] \"name\" is invalid: <field>: <detail>", details.kind is the Kind.
    public static ApiError Invalid(string kind, string group, string name, string field, string reason, string detail)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = new JsonArray
        {
            new JsonObject { ["reason"] = reason, ["message"] = detail, ["field"] = field },
        };
        return Failure(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {field}: {detail}", details);
    }

    public static ApiError UnprocessablePatch(string message) =>
        Failure(422, "Invalid", $"the server rejected our request due to an error in our request: {message}", null);

    public static ApiError Gone(string message) =>
        Failure(410, "Expired", message, null);

    public static ApiError MethodNotAllowed(string method) =>
        Failure(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})", null);

    public static ApiError UnsupportedMediaType(string contentType) =>
        Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})", null);

    public static ApiError NoRoute() =>
        Failure(404, "NotFound", "the server could not find the requested resource", null);

    /// <summary>An injected failure with the reason the real server gives for that code (429 TooManyRequests, 503 ServiceUnavailable, ...).</summary>
    public static ApiError Injected(int code, string? message) => code switch
    {
        429 => Failure(429, "TooManyRequests", message ?? "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = 1 }),
        503 => Failure(503, "ServiceUnavailable", message ?? "the server is currently unable to handle the request", null),
        504 => Failure(504, "Timeout", message ?? "the server was unable to return a response in the time allotted", null),
        401 => Failure(401, "Unauthorized", message ?? "Unauthorized", null),
        403 => Failure(403, "Forbidden", message ?? "forbidden: injected fault", null),
        _ => Failure(code, "InternalError", message ?? $"Internal error occurred: injected fault ({code})", null),
    };

    public static ApiError InternalError(string message) =>
        Failure(500, "InternalError", $"Internal error occurred: {message}", new JsonObject
        {
            ["causes"] = new JsonArray { new JsonObject { ["message"] = message } },
        });

    private static JsonObject Details(ResourceType type, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        return details;
    }

    private static ApiError Failure(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return new ApiError(code, status);
    }
}
