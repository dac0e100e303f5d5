using System.Management.Automation.Host;

namespace KafkaReplication.Hosting;

/// <summary>
/// In an Azure Pipelines job (the agent sets TF_BUILD), warnings and errors are also written as logging commands, so
/// that they appear in the run's summary and mark the step, and long waits report the step's progress:
/// <c>##vso[task.logissue type=warning|error]message</c> and <c>##vso[task.setprogress value=N;]activity</c>
/// (https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands). The agent reads them from the
/// host's output; the normal warning, error and progress records are written as well.
/// </summary>
internal static class AzurePipelinesLog
{
    public static bool Enabled => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TF_BUILD"));

    public static void Warning(PSHost? host, string message) => Write(host, $"##vso[task.logissue type=warning]{Escape(message)}");

    /// <summary>An error record as an issue; a runbook's planned stop at a manual step (a pipeline phase's normal end) is a warning.</summary>
    public static void Error(PSHost? host, System.Management.Automation.ErrorRecord record)
    {
        var type = record.FullyQualifiedErrorId.StartsWith("ManualStepPending", StringComparison.Ordinal) ? "warning" : "error";
        Write(host, $"##vso[task.logissue type={type}]{Escape(record.ErrorDetails?.Message ?? record.Exception.Message)}");
    }

    public static void Progress(PSHost? host, string activity, int percent)
    {
        if (percent >= 0) Write(host, $"##vso[task.setprogress value={Math.Clamp(percent, 0, 100)};]{Escape(activity)}");
    }

    private static void Write(PSHost? host, string line)
    {
        if (!Enabled || host?.UI is null) return;
        try { host.UI.WriteLine(line); }
        catch (System.Management.Automation.Host.HostException) { /* a host without output: the records still go out */ }
    }

    // A logging command's message is escaped (%, CR, LF) so that one command stays one line.
    private static string Escape(string text) => text.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");
}
