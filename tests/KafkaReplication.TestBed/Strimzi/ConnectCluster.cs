using KafkaReplication.TestBed.Connect;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>What the operator keeps per KafkaConnect: its Connect emulator (all pods share it) and a running roll.</summary>
internal sealed class ConnectCluster(string ns, string name, ConnectEmulator connect)
{
    public string Namespace { get; } = ns;

    public string Name { get; } = name;

    public ConnectEmulator Connect { get; } = connect;

    /// <summary>The rolling restart in progress, if any; the cluster is "locked" until it completes.</summary>
    public Task? Roll { get; set; }

    public bool Rolling => Roll is { IsCompleted: false };
}
