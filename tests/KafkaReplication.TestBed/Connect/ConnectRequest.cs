namespace KafkaReplication.TestBed.Connect;

/// <summary>
/// One HTTP request the Connect emulator received (faulted ones included). <see cref="Query"/> is the raw query string
/// without the leading '?'; <see cref="Body"/> is the request body as sent, or null when there was none.
/// </summary>
public sealed record ConnectRequest(string Method, string Path, string Query, string? Body = null);
