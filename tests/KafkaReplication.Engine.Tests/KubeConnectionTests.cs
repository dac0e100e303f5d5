using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>kubectl's resolution order. These tests set KUBECONFIG, a process-wide variable, so they run alone.</summary>
[Collection(nameof(KubeConnectionTests))]
[CollectionDefinition(nameof(KubeConnectionTests), DisableParallelization = true)]
public sealed class KubeConnectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kr-kubeconfig-").FullName;
    private readonly string? _saved = Environment.GetEnvironmentVariable("KUBECONFIG");

    private string Config(string file, string context, string server, string? ns = null)
    {
        var path = Path.Combine(_dir, file);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: {context}
            clusters:
            - name: {context}-cluster
              cluster: {"{"} server: {server} {"}"}
            users:
            - name: {context}-user
              user: {"{"} token: t-{context} {"}"}
            contexts:
            - name: {context}
              context: {"{"} cluster: {context}-cluster, user: {context}-user{(ns is null ? "" : $", namespace: {ns}")} {"}"}
            """);
        return path;
    }

    [Fact]
    public void KUBECONFIG_lists_are_merged_the_first_current_context_wins_and_Context_picks_another()
    {
        var a = Config("a.yaml", "alpha", "http://127.0.0.1:1001", "alpha-ns");
        var b = Config("b.yaml", "beta", "http://127.0.0.1:1002");
        Environment.SetEnvironmentVariable("KUBECONFIG", string.Join(Path.PathSeparator, a, Path.Combine(_dir, "missing.yaml"), b));
        var current = KubeConnection.ResolveConfiguration();
        Assert.Equal("http://127.0.0.1:1001", current.Host.TrimEnd('/'));
        Assert.Equal("alpha-ns", current.Namespace);
        var other = KubeConnection.ResolveConfiguration(context: "beta");
        Assert.Equal("http://127.0.0.1:1002", other.Host.TrimEnd('/'));
        Assert.Equal("KubeconfigInvalid", Assert.Throws<ReplicationException>(() => KubeConnection.ResolveConfiguration(context: "gamma")).ErrorId);
    }

    [Fact]
    public void An_explicit_path_wins_over_KUBECONFIG_and_a_missing_one_is_an_error()
    {
        Environment.SetEnvironmentVariable("KUBECONFIG", Config("a.yaml", "alpha", "http://127.0.0.1:1001"));
        var explicitPath = Config("c.yaml", "gamma", "http://127.0.0.1:1003");
        Assert.Equal("http://127.0.0.1:1003", KubeConnection.ResolveConfiguration(explicitPath).Host.TrimEnd('/'));
        var e = Assert.Throws<ReplicationException>(() => KubeConnection.ResolveConfiguration(Path.Combine(_dir, "nope.yaml")));
        Assert.Equal("KubeconfigNotFound", e.ErrorId);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("KUBECONFIG", _saved);
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
