using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// The Pester suite runs only where pwsh and Pester exist (not here), so its files are at least parsed here, and its
/// list of cmdlets that change a cluster is kept equal to the module's.
/// </summary>
public sealed partial class PesterSuiteTests
{
    private static readonly string PesterFolder = Path.Combine(ModuleSession.RepoRoot, "tests", "Pester");

    [Fact]
    public void Every_Pester_file_parses()
    {
        var files = Directory.GetFiles(PesterFolder, "*.Tests.ps1");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Parser.ParseFile(file, out _, out var errors);
            Assert.True(errors.Length == 0, $"{Path.GetFileName(file)}: {string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}"))}");
        }
    }

    [GeneratedRegex(@"@\{ Name = '([\w-]+)'; Impact = '(\w+)' \}")]
    private static partial Regex ChangingCase();

    [Fact]
    public void The_Pester_list_of_changing_cmdlets_matches_the_module()
    {
        var listed = ChangingCase().Matches(File.ReadAllText(Path.Combine(PesterFolder, "KafkaReplication.Tests.ps1")))
            .Select(m => $"{m.Groups[1].Value}:{m.Groups[2].Value}").Order(StringComparer.Ordinal).ToList();
        using var folder = new TestFolder();
        using var ps = new ModuleSession(folder.Path, folder.Environment());
        var actual = ps.Invoke("""
            Get-Command -Module KafkaReplication | Where-Object { $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].SupportsShouldProcess } |
                ForEach-Object { '{0}:{1}' -f $_.Name, $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact }
            """).Output.Select(o => o.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(actual);
        Assert.Equal(actual, listed);
    }
}
