using System.Net;
using KafkaReplication.TestBed.Tls;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Direct access to Connect (-ConnectUri) through an authenticating ingress, plain or over TLS with a private CA:
/// credentials from the URL or -ConnectCredential are used and never shown; the CA and host name are checked.
/// </summary>
public sealed class ConnectAccessTests : IAsyncLifetime
{
    private const string User = "ops";
    private const string Password = "Conn-Pw-31x!";
    private OperatedFlow _f = null!;
    private readonly List<TlsFrontEnd> _fronts = new();

    public async Task InitializeAsync() => _f = await OperatedFlow.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var f in _fronts) await f.DisposeAsync();
        await _f.DisposeAsync();
    }

    private async Task<TlsFrontEnd> FrontAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? cert)
    {
        var front = await TlsFrontEnd.StartAsync(_f.ConnectApi.EndPoint, cert, User, Password);
        _fronts.Add(front);
        return front;
    }

    private static string[] Secrets => TestFolder.SecretValues.Append(Password).ToArray();

    private ScriptResult Connectors(string connectArgs) =>
        _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} {connectArgs} -Verbose");

    [Fact]
    public async Task User_info_in_ConnectUri_authenticates_and_shows_nowhere_even_when_the_call_fails()
    {
        var front = await FrontAsync(null);
        var uri = new UriBuilder(front.BaseUri) { UserName = User, Password = Uri.EscapeDataString(Password) }.Uri;
        var ok = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri $uri -Verbose", new Dictionary<string, object?> { ["uri"] = uri });
        Assert.True(ok.Terminating is null && ok.Errors.Count == 0, ok.Terminating?.Message ?? string.Join("; ", ok.Errors));
        Assert.Equal(3, ok.Output.Count);
        Assert.All(front.Users, u => Assert.Equal(User, u));
        Assert.Contains(ok.Verbose, v => v.Contains($"127.0.0.1:{front.BaseUri.Port} as '{User}'", StringComparison.Ordinal));

        _f.ConnectApi.FailNext(50, 500, "status");
        var failed = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri $uri -Verbose", new Dictionary<string, object?> { ["uri"] = uri });
        Assert.StartsWith("ConnectRequestTimedOut,", failed.SingleError.FullyQualifiedErrorId);
        Assert.Contains(failed.Verbose, v => v.StartsWith("Retrying after HTTP 500", StringComparison.Ordinal));
        foreach (var s in Secrets) Assert.DoesNotContain(s, ok.AllText + failed.AllText);
        Assert.DoesNotContain($"{User}:", ok.AllText + failed.AllText);
        SecretScan.AssertNoSecretInErrors(_f.Ps, Secrets);
    }

    [Fact]
    public async Task A_refused_password_and_an_unreachable_url_leave_no_credential_in_the_error()
    {
        var front = await FrontAsync(null);
        var wrong = new UriBuilder(front.BaseUri) { UserName = User, Password = "Wrong-Pw-77" }.Uri;
        var refused = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri $uri", new Dictionary<string, object?> { ["uri"] = wrong });
        Assert.Contains("HTTP 401", refused.SingleError.Exception.Message);

        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var gone = new Uri($"http://{User}:{Uri.EscapeDataString(Password)}@127.0.0.1:{port}/");
        var unreachable = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri $uri -Verbose", new Dictionary<string, object?> { ["uri"] = gone });
        Assert.StartsWith("ConnectUnreachable,", unreachable.SingleError.FullyQualifiedErrorId);
        foreach (var s in Secrets.Append("Wrong-Pw-77")) Assert.DoesNotContain(s, refused.AllText + unreachable.AllText);
        SecretScan.AssertNoSecretInErrors(_f.Ps, Secrets.Append("Wrong-Pw-77"), atLeast: 2);
    }

    private static System.Management.Automation.PSCredential Credential(string password)
    {
        var secure = new System.Security.SecureString();
        foreach (var c in password) secure.AppendChar(c);
        return new System.Management.Automation.PSCredential(User, secure);
    }

    [Fact]
    public async Task Over_TLS_the_private_CA_and_the_host_name_are_checked_before_the_credential_is_sent()
    {
        var ca = TestCertificates.CreateCa("connect-ingress-ca");
        File.WriteAllText(Path.Combine(_f.Folder.Path, "connect-ca.crt"), TestCertificates.Pem(ca));
        var good = await FrontAsync(TestCertificates.IssueServer(ca, ["localhost"], [IPAddress.Loopback]));
        var misnamed = await FrontAsync(TestCertificates.IssueServer(ca, ["other.example"]));
        var vars = new Dictionary<string, object?> { ["cred"] = Credential(Password), ["bad"] = Credential("Wrong-Pw-77"), ["good"] = good.BaseUri, ["misnamed"] = misnamed.BaseUri };
        _f.Ps.Invoke("$global:Error.Clear()");

        var ok = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri $good -ConnectCredential $cred -ConnectCaCertificatePath ./connect-ca.crt -Verbose", vars);
        Assert.True(ok.Terminating is null && ok.Errors.Count == 0, ok.Terminating?.Message ?? string.Join("; ", ok.Errors));
        Assert.Equal(3, ok.Output.Count);
        Assert.NotEmpty(good.Users);
        Assert.All(good.Users, u => Assert.Equal(User, u));
        var sent = good.Users.Count;

        // Without the CA the ingress's certificate is not trusted; with it, a certificate for another name is refused.
        var untrusted = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri $good -ConnectCredential $cred", vars);
        Assert.StartsWith("ConnectUnreachable,", untrusted.SingleError.FullyQualifiedErrorId);
        Assert.Equal(sent, good.Users.Count);
        var wrongName = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri $misnamed -ConnectCredential $cred -ConnectCaCertificatePath ./connect-ca.crt", vars);
        Assert.StartsWith("ConnectUnreachable,", wrongName.SingleError.FullyQualifiedErrorId);
        Assert.Empty(misnamed.Users);

        var refused = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri $good -ConnectCredential $bad -ConnectCaCertificatePath ./connect-ca.crt", vars);
        Assert.Contains("HTTP 401", refused.SingleError.Exception.Message);
        var clear = _f.Ps.Invoke($"Get-ReplicationConnector -Flow {OperatedFlow.FlowName} -ConnectUri 'http://connect.example:8083' -ConnectCredential $cred", vars);
        Assert.StartsWith("ConnectCredentialNeedsHttps,", clear.SingleError.FullyQualifiedErrorId);

        foreach (var s in Secrets.Append("Wrong-Pw-77"))
            Assert.DoesNotContain(s, ok.AllText + untrusted.AllText + wrongName.AllText + refused.AllText + clear.AllText);
        SecretScan.AssertNoSecretInErrors(_f.Ps, Secrets.Append("Wrong-Pw-77"), atLeast: 4);
    }
}
