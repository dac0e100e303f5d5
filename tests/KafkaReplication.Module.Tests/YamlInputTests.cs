using System.Management.Automation;
using System.Text;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Issue 9: a YAML alias bomb given to a cmdlet is refused with a module error (InvalidData), fast.</summary>
public sealed class YamlInputTests : IDisposable
{
    private readonly TestFolder _folder = new();
    private readonly ModuleSession _ps;

    public YamlInputTests() => _ps = new ModuleSession(_folder.Path, _folder.Environment());

    public void Dispose() { _ps.Dispose(); _folder.Dispose(); }

    /// <summary>About 400 bytes standing for 10^levels nodes.</summary>
    private static string Bomb(int levels, string indent = "")
    {
        var b = new StringBuilder($"{indent}a0: &a0 [lol]\n");
        for (var i = 1; i <= levels; i++)
            b.Append($"{indent}a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        return b.ToString();
    }

    private static void AssertRefused(ScriptResult r)
    {
        var e = r.SingleError;
        Assert.Equal("YamlAliasExpansionTooLarge", e.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
        Assert.Contains("billion laughs", e.Exception.Message);
    }

    [Fact]
    public void Test_ReplicationFlow_refuses_a_manifest_alias_bomb()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "bomb.yaml"), "kind: ConfigMap\n" + Bomb(6));
        AssertRefused(_ps.Invoke("Test-ReplicationFlow -ManifestPath ./bomb.yaml"));
    }

    [Fact]
    public void New_ReplicationFlow_refuses_a_flow_file_alias_bomb_before_anything_else()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "flow.yaml"), "name: x\nnamespace:\n" + Bomb(6, "  "));
        AssertRefused(_ps.Invoke("New-ReplicationFlow -Path ./flow.yaml -OutputPath ./out"));
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "out")));
    }
}
