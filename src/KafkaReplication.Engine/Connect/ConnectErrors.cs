using System.Net;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Connect;

/// <summary>An error response of the Connect REST API: {"error_code": N, "message": "..."} (ConnectExceptionMapper).</summary>
public sealed class ConnectApiException : Exception
{
    public ConnectApiException(HttpStatusCode status, string message, string method, string path, TimeSpan? retryAfter = null) : base(message)
    {
        Status = status;
        Method = method;
        Path = path;
        RetryAfter = retryAfter;
    }

    /// <summary>The server's Retry-After (bounded by the per-request limit), when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    public HttpStatusCode Status { get; }
    public string Method { get; }
    public string Path { get; }

    /// <summary>409 means a rebalance is pending, 429 a busy proxy; 5xx (including "Request timed out") may pass.</summary>
    public bool IsTransient => Status is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests || (int)Status >= 500;

    /// <summary>
    /// The server refused the request before doing anything, so even a non-idempotent call may be sent again: 409
    /// (DistributedHerder rejects it while a rebalance is pending), 429 and 503 (a proxy or worker turning it away).
    /// </summary>
    public bool WasNotExecuted => Status is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    public static async Task<ConnectApiException> FromResponseAsync(HttpResponseMessage response, string method, string path, TimeSpan maxRetryAfter, CancellationToken ct)
    {
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? Engine.RetryAfter.Parse(values, maxRetryAfter) : null;
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        string message;
        try { message = (string?)JsonNode.Parse(body)?["message"] ?? body; }
        catch (System.Text.Json.JsonException) { message = body; }
        if (message.Length > 500) message = message[..500] + "..."; // an HTML error page of a proxy, say
        return new ConnectApiException(response.StatusCode, string.IsNullOrWhiteSpace(message) ? response.ReasonPhrase ?? "" : message, method, path, retryAfter);
    }

    /// <summary>The module error; this exception is not kept as inner (status and message are copied).</summary>
    public ReplicationException ToReplicationException(string target)
    {
        var (kind, id) = Status switch
        {
            HttpStatusCode.NotFound => (ReplicationErrorKind.NotFound, "ConnectorNotFound"),
            HttpStatusCode.Conflict => (ReplicationErrorKind.Busy, "ConnectRebalanceInProgress"),
            HttpStatusCode.TooManyRequests => (ReplicationErrorKind.Busy, "ConnectTooManyRequests"),
            HttpStatusCode.Unauthorized => (ReplicationErrorKind.AuthenticationFailed, "ConnectUnauthorized"),
            HttpStatusCode.Forbidden => (ReplicationErrorKind.PermissionDenied, "ConnectForbidden"),
            HttpStatusCode.BadRequest when Message.Contains("STOPPED", StringComparison.Ordinal) => (ReplicationErrorKind.PreconditionFailed, "ConnectorNotStopped"),
            HttpStatusCode.BadRequest => (ReplicationErrorKind.InvalidArgument, "ConnectBadRequest"),
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable => (ReplicationErrorKind.Unreachable, "ConnectUnavailable"),
            HttpStatusCode.GatewayTimeout => (ReplicationErrorKind.Timeout, "ConnectRequestTimedOut"),
            _ when Message.Contains("timed out", StringComparison.OrdinalIgnoreCase) => (ReplicationErrorKind.Timeout, "ConnectRequestTimedOut"),
            _ => (ReplicationErrorKind.OperationFailed, "ConnectError"),
        };
        return new ReplicationException(kind, id, $"{Method} {Path}: {Message} (HTTP {(int)Status})", target)
        {
            RecommendedAction = Status switch
            {
                HttpStatusCode.Unauthorized => "The Connect REST API refused the credentials: check the credential given for Connect, or reach it through the port-forward (the default).",
                HttpStatusCode.Forbidden => "The Connect REST API (or a proxy in front of it) refused the request: check its authorization rules.",
                _ => null,
            },
        };
    }
}
