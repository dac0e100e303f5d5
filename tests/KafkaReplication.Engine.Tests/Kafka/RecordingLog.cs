using System.Collections.Concurrent;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>Keeps every message the engine logs (from any thread) so tests can look for leaks.</summary>
public sealed class RecordingLog : IOperationLog
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages.ToArray();
    public string All => string.Join("\n", _messages);

    public void Verbose(string message) => _messages.Enqueue("VERBOSE: " + message);
    public void Warning(string message) => _messages.Enqueue("WARNING: " + message);
    public void Progress(int activityId, string activity, string status, int percent, bool completed = false) =>
        _messages.Enqueue($"PROGRESS: {activity} {status}");
}
