namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>One HTTP request the emulator received. <see cref="Query"/> is the raw query string without the leading '?'.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType)
{
    /// <summary>True for POST, PUT, PATCH and DELETE: the requests <see cref="KubernetesEmulator.FailWritesAfter"/> counts.</summary>
    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE";
}
