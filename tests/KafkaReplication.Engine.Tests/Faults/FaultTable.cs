using System.Globalization;

namespace KafkaReplication.Engine.Tests.Faults;

/// <summary>
/// Rows of docs/faults.md as the fault tests observe them: fault, cmdlet family, outcome (error id or what happened)
/// and the time it took. Appended to the file named by KAFKAREPLICATION_FAULT_RESULTS (default: the temp folder);
/// docs/tools/faults_table.py turns the file into the table.
/// </summary>
internal static class FaultTable
{
    private static readonly Lock Gate = new();

    public static string ResultsPath =>
        Environment.GetEnvironmentVariable("KAFKAREPLICATION_FAULT_RESULTS") is { Length: > 0 } p
            ? p : Path.Combine(Path.GetTempPath(), "kafkareplication-fault-results.tsv");

    /// <summary>One observation; <paramref name="stop"/> marks the time until a cancellation took effect rather than until the failure.</summary>
    public static void Record(string fault, string family, string outcome, TimeSpan elapsed, bool stop = false)
    {
        var line = string.Join('\t', fault, family, outcome, stop ? "stop" : "fail",
            elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)) + "\n";
        lock (Gate)
        {
            File.AppendAllText(ResultsPath, line);
        }
    }
}
