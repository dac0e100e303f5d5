using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Connect;

/// <summary>Reads and changes a connector's stored offsets: through the Connect REST API, or Strimzi 0.44+ annotations.</summary>
public interface IConnectorOffsets
{
    /// <summary>Which path is used, for verbose output.</summary>
    string Description { get; }
    Task<IReadOnlyList<ConnectOffset>> ListAsync(string connector, CancellationToken ct);
    /// <summary>The stored offsets for reading only: their key fields and JSON text (a path may skip the JSON tree).</summary>
    async Task<IReadOnlyList<StoredConnectOffset>> ListStoredAsync(string connector, CancellationToken ct) =>
        (await ListAsync(connector, ct).ConfigureAwait(false)).Select(StoredConnectOffset.From).ToList();
    /// <summary>Merges the offsets into the stored ones (a null offset removes the entry). The connector must be STOPPED.</summary>
    Task AlterAsync(string connector, IReadOnlyList<ConnectOffset> offsets, CancellationToken ct);
    /// <summary>Removes every stored offset. The connector must be STOPPED.</summary>
    Task ResetAsync(string connector, CancellationToken ct);
}

/// <summary>
/// An offsets path whose requests can outlive the call (Strimzi's annotation): while one is pending, the connector
/// must not be set running (a pending reset would fire at its next stop and delete every stored offset).
/// </summary>
public interface IPendingOffsetRequests
{
    /// <summary>The pending request (e.g. "reset"), or null when none is.</summary>
    Task<string?> PendingRequestAsync(string connector, CancellationToken ct);
}

/// <summary>Reads the state Connect reports for a connector (RUNNING, PAUSED, STOPPED, FAILED, ...), null when unknown.</summary>
public interface IConnectorStates
{
    Task<string?> GetStateAsync(string connector, CancellationToken ct);
}

/// <summary>Offsets and states through the Connect REST API (the guide's path, Strimzi 0.43).</summary>
public sealed class RestConnectorAccess(ConnectRestClient client) : IConnectorOffsets, IConnectorStates
{
    public string Description => $"the Connect REST API ({client.Route})";

    public Task<IReadOnlyList<ConnectOffset>> ListAsync(string connector, CancellationToken ct) => client.GetOffsetsAsync(connector, ct);

    public Task<IReadOnlyList<StoredConnectOffset>> ListStoredAsync(string connector, CancellationToken ct) => client.GetStoredOffsetsAsync(connector, ct);

    public Task AlterAsync(string connector, IReadOnlyList<ConnectOffset> offsets, CancellationToken ct) => client.PatchOffsetsAsync(connector, offsets, ct);

    public Task ResetAsync(string connector, CancellationToken ct) => client.ResetOffsetsAsync(connector, ct);

    public async Task<string?> GetStateAsync(string connector, CancellationToken ct)
    {
        try
        {
            return (string?)(await client.GetStatusAsync(connector, ct).ConfigureAwait(false))["connector"]?["state"];
        }
        catch (ReplicationException e) when (e.ErrorId == "ConnectorNotFound")
        {
            return null;
        }
    }
}
