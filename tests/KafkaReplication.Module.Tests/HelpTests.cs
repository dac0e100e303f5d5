using System.Diagnostics;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Get-Help works for the binary cmdlets (MAML shipped in the module folder) and the MAML matches docs/cmdlets.</summary>
public sealed class HelpTests : IDisposable
{
    private readonly TestFolder _folder = new();
    private readonly ModuleSession _ps;

    public HelpTests() => _ps = new ModuleSession(_folder.Path, _folder.Environment());

    public void Dispose() { _ps.Dispose(); _folder.Dispose(); }

    [Fact]
    public void Every_cmdlet_has_a_synopsis_examples_and_every_parameter_documented()
    {
        var names = _ps.Invoke("(Get-Module KafkaReplication).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).ToList();
        foreach (var name in names)
        {
            var r = _ps.Invoke($"$h = Get-Help {name} -Full; $h.Synopsis; @($h.Examples.Example | Where-Object {{ $_ }}).Count; @($h.Parameters.Parameter | ForEach-Object {{ $_.Name }}) -join ','");
            Assert.Null(r.Terminating);
            var synopsis = r.Output[0].ToString();
            Assert.False(string.IsNullOrWhiteSpace(synopsis) || synopsis.Trim().StartsWith(name, StringComparison.Ordinal), $"{name} has no synopsis in help");
            Assert.True((int)r.Output[1].BaseObject > 0, $"{name} has no help examples");
            var documented = r.Output[2].ToString()!.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            var actual = _ps.Invoke($"(Get-Command {name}).Parameters.Keys").Output.Select(o => o.ToString()!)
                .Where(p => !System.Management.Automation.Cmdlet.CommonParameters.Contains(p) && !System.Management.Automation.Cmdlet.OptionalCommonParameters.Contains(p));
            foreach (var p in actual) Assert.True(documented.Contains(p), $"{name} -{p} is not in the help");
        }
    }

    [Fact]
    public void The_shipped_maml_is_generated_from_the_current_docs()
    {
        var python = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists)
            ?? Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(d => Path.Combine(d, "python3")).FirstOrDefault(File.Exists);
        if (python is null) return; // the generator is a python script; the machines this project runs on have python3
        var psi = new ProcessStartInfo(python!, $"docs/tools/md2maml.py --check") { WorkingDirectory = ModuleSession.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"md2maml --check: {output}");
    }
}
