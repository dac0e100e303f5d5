using System.Diagnostics;
using System.Text;
using KafkaReplication.Engine.FlowFiles;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Yaml;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>Issue 9: YAML the module parses itself refuses alias bombs, deep nesting and oversized files, fast.</summary>
public sealed class GuardedYamlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-yaml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>levels × fan-out "laughs": a few hundred bytes that stand for fanOut^levels nodes.</summary>
    public static string Bomb(int levels, int fanOut, string prefix = "")
    {
        var b = new StringBuilder(prefix).Append("a0: &a0 [lol]\n");
        for (var i = 1; i <= levels; i++)
            b.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", fanOut))}]\n");
        return b.ToString();
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertRefused(string errorId, Func<object?> parse)
    {
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<ReplicationException>(parse);
        watch.Stop();
        Assert.Equal((errorId, ReplicationErrorKind.InvalidData), (e.ErrorId, e.Kind));
        // Generous bound for a loaded machine; the walk takes milliseconds, the expansion took minutes.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_manifest_whose_aliases_expand_beyond_the_bound_is_refused_before_it_is_expanded()
    {
        // 10^5 nodes: the old parser expanded it (and one more level ran out of memory); now it is refused.
        AssertRefused("YamlAliasExpansionTooLarge", () => ManifestYaml.Parse("kind: ConfigMap\n" + Bomb(5, 10)));
        AssertRefused("YamlAliasExpansionTooLarge", () => ManifestYaml.Parse(Bomb(9, 9)));
        var e = Assert.Throws<ReplicationException>(() => ManifestYaml.Parse(Bomb(5, 10), "bomb.yaml"));
        Assert.Contains("'bomb.yaml' line 5", e.Message);
        Assert.Contains("more than 10000 nodes", e.Message);
    }

    [Fact]
    public void Small_anchors_still_parse_and_expand()
    {
        var objects = ManifestYaml.Parse("""
            kind: ConfigMap
            metadata: {name: x, labels: &l {app: a, team: b}}
            data: {copy: "1"}
            spec: {selector: *l, again: *l}
            """);
        Assert.Equal("b", (string?)Assert.Single(objects).Body["spec"]!["again"]!["team"]);
        GuardedYaml.Check(Bomb(3, 10), "ok.yaml", "manifest file"); // 10^3 nodes: below the bound
    }

    [Fact]
    public void Nesting_deeper_than_the_bound_is_refused()
    {
        var deep = "kind: ConfigMap\ndata: " + new string('[', 200) + new string(']', 200) + "\n";
        AssertRefused("YamlTooDeep", () => ManifestYaml.Parse(deep));
        ManifestYaml.Parse("kind: ConfigMap\ndata: " + new string('[', 30) + new string(']', 30) + "\n");
    }

    [Fact]
    public void A_flow_file_bomb_and_an_oversized_flow_file_are_refused()
    {
        var bomb = Write("bomb.yaml", "name: x\n" + Bomb(6, 10, "x-anchors:\n  ").Replace("\na", "\n  a"));
        AssertRefused("YamlAliasExpansionTooLarge", () => FlowFileReader.ReadAll(bomb, resolveSecrets: false));
        var big = Write("big.yaml", "name: x\n" + new string('#', (int)GuardedYaml.MaxBytes) + "\n");
        AssertRefused("YamlTooLarge", () => FlowFileReader.ReadAll(big, resolveSecrets: false));
    }

    [Fact]
    public void A_kubeconfig_bomb_is_refused_before_KubernetesClient_loads_it()
    {
        var bomb = Write("kubeconfig", "apiVersion: v1\nkind: Config\n" + Bomb(6, 10, "preferences:\n  ").Replace("\na", "\n  a"));
        AssertRefused("YamlAliasExpansionTooLarge", () => KubeConnection.ResolveConfiguration(bomb));
    }

    [Fact]
    public void Syntax_errors_are_left_to_the_parser_that_follows()
    {
        GuardedYaml.Check("a: [1, 2\nb: }", "bad.yaml", "manifest file");
        GuardedYaml.Check("a: b: c", "bad.yaml", "manifest file");
        Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => ManifestYaml.Parse("a: b: c"));
    }
}
