using System.Text.RegularExpressions;
using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Runs every ```powershell block of docs/ (except ```powershell no-run) in the hosted runspace, in a fresh folder with
/// the files and variables the docs promise, against an empty Kubernetes emulator — or, for pages whose front matter
/// says `test-environment: operated-flow`, against a deployed flow (<see cref="OperatedFlow"/>: flow src-to-tgt in
/// namespace repl, the kubeconfig's default namespace; source topics orders with 3 partitions of 100 records and
/// audit with 1 partition of 10; nothing replicated yet).
/// </summary>
public sealed partial class DocExamplesTests
{
    [GeneratedRegex(@"^```powershell[ \t]*\r?\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex RunnableBlock();

    public static IEnumerable<object[]> Blocks()
    {
        var docs = Path.Combine(ModuleSession.RepoRoot, "docs");
        foreach (var file in Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var operated = text.StartsWith("---", StringComparison.Ordinal) && text[..text.IndexOf("---", 3, StringComparison.Ordinal)].Contains("test-environment: operated-flow");
            var i = 0;
            foreach (Match m in RunnableBlock().Matches(text))
                yield return new object[] { Path.GetRelativePath(docs, file), ++i, m.Groups[1].Value, operated };
        }
    }

    [Fact]
    public void The_docs_have_runnable_examples_for_every_exported_cmdlet()
    {
        var blocks = Blocks().Select(b => (string)b[2]).ToList();
        using var folder = new TestFolder();
        using var ps = new ModuleSession(folder.Path, folder.Environment());
        var cmdlets = ps.Invoke("(Get-Module KafkaReplication).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).ToList();
        Assert.NotEmpty(cmdlets);
        foreach (var c in cmdlets)
            Assert.True(blocks.Any(b => b.Contains(c, StringComparison.Ordinal)), $"no runnable docs example uses {c}");
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task Example_runs_without_errors(string file, int index, string script, bool operatedFlow)
    {
        ScriptResult r;
        if (operatedFlow)
        {
            await using var flow = await OperatedFlow.StartAsync();
            r = flow.Ps.Invoke(script);
        }
        else
        {
            await using var k8s = await KubernetesEmulator.StartAsync();
            using var folder = new TestFolder();
            using var ps = new ModuleSession(folder.Path, folder.Environment(k8s.WriteKubeconfig(folder.Path)));
            r = ps.Invoke(script);
        }
        var problems = r.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}").ToList();
        if (r.Terminating is not null) problems.Add($"terminating: {r.Terminating.ErrorRecord?.FullyQualifiedErrorId}: {r.Terminating.Message}");
        Assert.True(problems.Count == 0, $"{file} example {index} failed:\n{string.Join("\n", problems)}\n--- script ---\n{script}");
        foreach (var s in TestFolder.SecretValues) Assert.DoesNotContain(s, r.AllText);
    }
}
