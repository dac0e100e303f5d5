using KafkaReplication.TestBed.Kubernetes;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>Faults on calls that carry a secret: nothing reachable from $Error shows it (SecretScan walks all of it).</summary>
public sealed class SecretsInErrorsTests : IAsyncLifetime
{
    private readonly TestFolder _folder = new();
    private KubernetesEmulator _k8s = null!;
    private ModuleSession _ps = null!;

    public async Task InitializeAsync()
    {
        _k8s = await KubernetesEmulator.StartAsync();
        _ps = new ModuleSession(_folder.Path, _folder.Environment(_k8s.WriteKubeconfig(_folder.Path, defaultNamespace: "repl-ns")));
    }

    public async Task DisposeAsync()
    {
        _ps.Dispose();
        await _k8s.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public void A_Secret_write_refused_with_500_leaves_no_secret_value_in_the_error()
    {
        // Objects are applied in order: Namespace, the target ConfigMap, then the target's password Secret.
        _k8s.FailWritesAfter(2);
        var r = _ps.Invoke(Scripts.GuideReferences + $"\nNew-ReplicationFlow {Scripts.GuideFlowArgs} -Verbose");
        var e = r.SingleError;
        Assert.StartsWith("KubernetesError,", e.FullyQualifiedErrorId);
        Assert.Contains("Secret repl-ns/", e.Exception.Message);
        Assert.Contains("HTTP 500", e.Exception.Message);
        SecretScan.AssertNoSecretInErrors(_ps, TestFolder.SecretValues);
        foreach (var s in TestFolder.SecretValues) Assert.DoesNotContain(s, r.AllText);
        // What is kept of the client's exception: its type and status, for diagnosis.
        var inner = e.Exception.InnerException;
        while (inner is not null && inner.GetType().Name != "ClientError") inner = inner.InnerException;
        Assert.NotNull(inner);
        Assert.Equal("k8s.Autorest.HttpOperationException", inner!.GetType().GetProperty("ClientType")!.GetValue(inner));
        Assert.Equal(500, inner.GetType().GetProperty("StatusCode")!.GetValue(inner));
    }

    [Fact]
    public void The_scanner_finds_a_secret_in_a_client_exceptions_request_body_in_base64()
    {
        // The helper itself must see what the fix removes: a password in base64 inside a JSON body, two levels down.
        const string secret = "Scan-Me-9f2!";
        var body = "{\"data\":{\"pass\":\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)) + "\"}}";
        var request = new HttpRequestMessage(HttpMethod.Patch, "http://x/") { Content = new StringContent(body) };
        var deep = new InvalidOperationException("outer", new AggregateException(new Exception("a"), new HttpRequestExceptionWithRequest(request)));
        var hits = SecretScan.Find(new System.Management.Automation.ErrorRecord(deep, "Id", System.Management.Automation.ErrorCategory.NotSpecified, null), new[] { secret });
        Assert.Contains(hits, h => h.Contains("InnerExceptions[1].Request.Content", StringComparison.Ordinal));
        var prefixed = SecretScan.Find(new Exception("x") { Data = { ["blob"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("u:" + secret)) } }, new[] { secret });
        Assert.NotEmpty(prefixed); // base64 of a longer text (a Basic header) still gives it away
        Assert.Empty(SecretScan.Find(deep, new[] { "not-there-at-all" }));
    }

    private sealed class HttpRequestExceptionWithRequest(HttpRequestMessage request) : Exception("request failed")
    {
        public HttpRequestMessage Request { get; } = request;
    }
}
