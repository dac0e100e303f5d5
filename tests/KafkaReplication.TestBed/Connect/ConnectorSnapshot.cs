using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Connect;

/// <summary>
/// A copy of one connector as the herder and the status store see it: <see cref="TargetState"/> is what the config topic
/// holds (STARTED, PAUSED, STOPPED); <see cref="ConnectorState"/> and <see cref="Tasks"/> are what GET .../status reports.
/// </summary>
public sealed record ConnectorSnapshot(
    string Name,
    string Class,
    JsonObject Config,
    string TargetState,
    string ConnectorState,
    IReadOnlyList<TaskSnapshot> Tasks,
    string? Trace,
    string WorkerId);

/// <summary>One task in a connector's status.</summary>
public sealed record TaskSnapshot(int Id, string State, string? Trace);
