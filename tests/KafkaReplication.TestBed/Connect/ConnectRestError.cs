using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Connect;

/// <summary>
/// A failed request as Kafka Connect answers it: ConnectExceptionMapper turns every exception into
/// <c>{"error_code": code, "message": text}</c> (connect/runtime/.../rest/errors/ConnectExceptionMapper.java).
/// </summary>
internal sealed class ConnectRestError(int code, string message) : Exception(message)
{
    public int Code { get; } = code;

    public JsonObject Body => new() { ["error_code"] = Code, ["message"] = Message };

    public static ConnectRestError NotFound(string message) => new(404, message);

    public static ConnectRestError BadRequest(string message) => new(400, message);

    public static ConnectRestError Conflict(string message) => new(409, message);

    /// <summary>A ConnectException without a status (e.g. thrown by a connector's alterOffsets) maps to 500.</summary>
    public static ConnectRestError Internal(string message) => new(500, message);
}
