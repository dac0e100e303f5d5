using System.Net;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Connect;

/// <summary>An error response of the Connect REST API: {"error_code": N, "message": "..."} (ConnectExceptionMapper).</summary>
public sealed class ConnectApiException : Exception
{
    public ConnectApiException(HttpStatusCode status, string message, string method, string path) : base(message)
    {
        Status = status;
        Method = method;
        Path = path;
    }

    public HttpStatusCode Status { get; }
    public string Method { get; }
    public string Path { get; }

    /// <summary>409 means a rebalance is pending; 5xx (including "Request timed out") may pass.</summary>
    public bool IsTransient => Status == HttpStatusCode.Conflict || (int)Status >= 500;

    public static async Task<ConnectApiException> FromResponseAsync(HttpResponseMessage response, string method, string path, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        string message;
        try { message = (string?)JsonNode.Parse(body)?["message"] ?? body; }
        catch (System.Text.Json.JsonException) { message = body; }
        return new ConnectApiException(response.StatusCode, string.IsNullOrWhiteSpace(message) ? response.ReasonPhrase ?? "" : message, method, path);
    }

    public ReplicationException ToReplicationException(string target)
    {
        var (kind, id) = Status switch
        {
            HttpStatusCode.NotFound => (ReplicationErrorKind.NotFound, "ConnectorNotFound"),
            HttpStatusCode.Conflict => (ReplicationErrorKind.Conflict, "ConnectRebalanceInProgress"),
            HttpStatusCode.BadRequest when Message.Contains("STOPPED", StringComparison.Ordinal) => (ReplicationErrorKind.PreconditionFailed, "ConnectorNotStopped"),
            HttpStatusCode.BadRequest => (ReplicationErrorKind.InvalidArgument, "ConnectBadRequest"),
            _ when Message.Contains("timed out", StringComparison.OrdinalIgnoreCase) => (ReplicationErrorKind.Timeout, "ConnectRequestTimedOut"),
            _ => (ReplicationErrorKind.OperationFailed, "ConnectError"),
        };
        return new ReplicationException(kind, id, $"{Method} {Path}: {Message} (HTTP {(int)Status})", target, this);
    }
}
