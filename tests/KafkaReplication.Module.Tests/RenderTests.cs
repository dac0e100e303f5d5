using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>The main job with no cluster: the guide's example flow rendered to YAML through the module.</summary>
public sealed class RenderTests : IDisposable
{
    private readonly TestFolder _folder = new();
    private readonly ModuleSession _ps;

    public RenderTests() => _ps = new ModuleSession(_folder.Path, _folder.Environment());

    public void Dispose() { _ps.Dispose(); _folder.Dispose(); }

    [Fact]
    public void Renders_the_guides_flow_with_placeholders_and_passes_its_own_test()
    {
        var r = _ps.Invoke(Scripts.GuideReferences + $"\nNew-ReplicationFlow {Scripts.GuideFlowArgs} -OutputPath ./rendered -PassThru | ForEach-Object {{ $_ }} | Where-Object {{ $_ -isnot [IO.FileInfo] }} | Test-ReplicationFlow");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Empty(r.Output); // the rendered flow has no findings
        var yaml = File.ReadAllText(Path.Combine(_folder.Path, "rendered", "uswest-to-useast.yaml"));
        Assert.Equal(3, yaml.Split("kind: KafkaConnector").Length - 1);
        Assert.Contains("kind: KafkaConnect\n", yaml);
        foreach (var s in TestFolder.SecretValues) Assert.DoesNotContain(s, yaml);
        Assert.Contains("<FILL IN:", yaml);

        var findings = _ps.Invoke("Test-ReplicationFlow -ManifestPath ./rendered/uswest-to-useast.yaml");
        Assert.Empty(findings.Output);
    }

    [Fact]
    public void IncludeSecretValue_writes_a_separate_file_and_warns()
    {
        var r = _ps.Invoke(Scripts.GuideReferences + $"\nNew-ReplicationFlow {Scripts.GuideFlowArgs} -OutputPath ./rendered -IncludeSecretValue");
        Assert.Null(r.Terminating);
        var files = r.Output.Select(o => ((FileInfo)o.BaseObject).Name).ToList();
        Assert.Equal(new[] { "uswest-to-useast.yaml", "uswest-to-useast.secrets.yaml" }, files);
        Assert.Contains(r.Warnings, w => w.Contains("holds credentials"));
        Assert.Contains(TestFolder.TargetPassword, Convert64(File.ReadAllText(Path.Combine(_folder.Path, "rendered", "uswest-to-useast.secrets.yaml"))));
        foreach (var s in TestFolder.SecretValues) Assert.DoesNotContain(s, r.AllText);
    }

    private static string Convert64(string yaml) => string.Join("\n", yaml.Split('\n').Select(l =>
    {
        var i = l.IndexOf(": ", StringComparison.Ordinal);
        if (i < 0) return l;
        try { return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(l[(i + 2)..].Trim())); }
        catch (FormatException) { return l; }
    }));

    [Fact]
    public void WhatIf_on_render_writes_nothing()
    {
        var r = _ps.Invoke(Scripts.GuideReferences + $"\nNew-ReplicationFlow {Scripts.GuideFlowArgs} -OutputPath ./rendered -WhatIf");
        Assert.Null(r.Terminating);
        Assert.Contains("What if:", r.HostText);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "rendered")));
    }

    [Fact]
    public void A_flow_file_with_an_inline_secret_is_refused()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "flow.yaml"), """
            name: f1
            namespace: ns1
            source: { alias: a, bootstrapServers: 'a:9092', securityProtocol: SaslPlaintext, saslMechanism: Plain, userName: u, password: plain-text-pw }
            target: { alias: b, bootstrapServers: 'b:9092' }
            topics: [ t ]
            """);
        var r = _ps.Invoke("Test-ReplicationFlow -Path ./flow.yaml");
        var e = r.SingleError;
        Assert.StartsWith("InlineSecretNotAllowed,", e.FullyQualifiedErrorId);
        Assert.DoesNotContain("plain-text-pw", r.AllText);
    }
}
