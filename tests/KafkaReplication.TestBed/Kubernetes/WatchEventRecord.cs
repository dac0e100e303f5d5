using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>A stored change: <see cref="Type"/> is ADDED, MODIFIED or DELETED; <see cref="Object"/> is a copy of the object after it.</summary>
public sealed record WatchEventRecord(string Type, JsonObject Object);
