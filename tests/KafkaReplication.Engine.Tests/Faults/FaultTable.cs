using System.Globalization;

namespace KafkaReplication.Engine.Tests.Faults;

/// <summary>
/// The rows of docs/faults.md as the fault tests observe them: fault, cmdlet family, outcome (error id or what
/// happened) and the time until the call failed or, after a cancellation, stopped. Each observation is appended to
/// the file named by KAFKAREPLICATION_FAULT_RESULTS (default: the temp folder), from which
/// <c>python3 docs/tools/faults_table.py</c> regenerates the table; and each one must already be a row of the
/// committed table, so a changed outcome fails its test until the table is regenerated.
/// </summary>
internal static class FaultTable
{
    public const string KubeReads = "Kubernetes calls (every flow cmdlet)";
    public const string Waits = "Waits (Wait-, Start-, Stop-, Suspend-ReplicationFlow)";
    public const string ConnectCalls = "Connect REST (Get-ReplicationConnector, *-SourceOffset, Restart-ReplicationConnector)";
    public const string KafkaCalls = "Kafka (Get-ConsumerGroupLag, Get-ReplicationState, failover)";

    private static readonly Lock Gate = new();

    public static string ResultsPath =>
        Environment.GetEnvironmentVariable("KAFKAREPLICATION_FAULT_RESULTS") is { Length: > 0 } p
            ? p : Path.Combine(Path.GetTempPath(), "kafkareplication-fault-results.tsv");

    private static readonly Lazy<string> Committed = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KafkaReplication.sln"))) dir = dir.Parent;
        return dir is null ? "" : File.ReadAllText(Path.Combine(dir.FullName, "docs", "faults.md"));
    });

    /// <summary>One observation (elapsed null: no time worth showing); <paramref name="stop"/> marks the time until a cancellation took effect rather than until the failure.</summary>
    public static void Record(string fault, string family, string outcome, TimeSpan? elapsed, bool stop = false)
    {
        var line = string.Join('\t', fault, family, outcome, stop ? "stop" : "fail",
            elapsed?.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) ?? "") + "\n";
        lock (Gate)
        {
            File.AppendAllText(ResultsPath, line);
        }

        var row = stop ? $"| {fault} | {family} |" : $"| {fault} | {family} | `{outcome}` |";
        if (!Committed.Value.Contains(row, StringComparison.Ordinal))
            throw new Xunit.Sdk.XunitException($"docs/faults.md has no row {row}: run the fault tests, then python3 docs/tools/faults_table.py {ResultsPath}");
    }
}
