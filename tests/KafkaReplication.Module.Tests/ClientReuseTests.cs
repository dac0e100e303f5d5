using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Clients kept between invocations (ClientPool): a later call reuses the Kafka and Kubernetes clients of an earlier
/// one that ended well, its messages reach the later call, nothing counts as open between calls, and a client is not
/// kept after an error, after its idle time, or when what it was built from changes.
/// </summary>
public sealed class ClientReuseTests : IAsyncLifetime
{
    private const string Pool = "(Get-EngineType KafkaReplication.Engine.Session.ClientPool)::Shared";
    private const string Open = "(Get-EngineType KafkaReplication.Engine.Session.ReplicationSession)::OpenResources";
    private OperatedFlow _f = null!;

    public async Task InitializeAsync()
    {
        _f = await OperatedFlow.StartAsync();
        _f.Ps.Invoke($"{Pool}.Clear(); {Pool}.IdleTimeout = [timespan]::FromMinutes(1)");
    }

    public async Task DisposeAsync()
    {
        _f.Ps.Invoke($"{Pool}.IdleTimeout = [timespan]::Zero; {Pool}.Clear()");
        await _f.DisposeAsync();
    }

    private int Idle => Convert.ToInt32(_f.Ps.Invoke($"{Pool}.IdleCount").Output.Single()!.BaseObject);
    private int OpenNow => Convert.ToInt32(_f.Ps.Invoke(Open).Output.Single()!.BaseObject);

    private ScriptResult State(string extra = "") =>
        _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} -Verbose {extra} | Out-Null");

    [Fact]
    public void A_second_call_reuses_the_clients_of_the_first_and_gets_their_messages()
    {
        var first = State();
        Assert.Empty(first.Errors);
        Assert.Contains(first.Verbose, v => v.StartsWith("Kafka: connecting an admin client", StringComparison.Ordinal));
        Assert.Equal(0, OpenNow);
        Assert.Equal(2, Idle); // the Kubernetes client and the source's Kafka client

        var second = State();
        Assert.Empty(second.Errors);
        Assert.DoesNotContain(second.Verbose, v => v.StartsWith("Kafka: connecting an admin client", StringComparison.Ordinal));
        Assert.Contains(second.Verbose, v => v.StartsWith("Kafka: reusing the admin client of src", StringComparison.Ordinal));
        Assert.Contains(second.Verbose, v => v.Contains("client reused", StringComparison.Ordinal));
        // The reused gateway reports to this invocation, not to the one that made it.
        Assert.Contains(second.Verbose, v => v.StartsWith("Kafka: metadata of src", StringComparison.Ordinal));
        Assert.Equal(0, OpenNow);
        Assert.Equal(2, Idle);
    }

    [Fact]
    public void Other_settings_get_another_client()
    {
        State();
        var other = State("-KafkaConfig @{ 'socket.timeout.ms' = '20000' }");
        Assert.Contains(other.Verbose, v => v.StartsWith("Kafka: connecting an admin client", StringComparison.Ordinal));
        var shorter = State("-RequestTimeout 00:00:20");
        Assert.Contains(shorter.Verbose, v => v.StartsWith("Kafka: connecting an admin client", StringComparison.Ordinal));
        Assert.DoesNotContain(shorter.Verbose, v => v.Contains("client reused", StringComparison.Ordinal));
    }

    [Fact]
    public void A_changed_kubeconfig_gets_a_new_Kubernetes_client()
    {
        State();
        var path = _f.Ps.Invoke("$env:KUBECONFIG").Output.Single()!.ToString();
        File.AppendAllText(path, "\n# touched by a test\n");
        var after = State();
        Assert.Contains(after.Verbose, v => v.StartsWith("Kubernetes API server", StringComparison.Ordinal) && !v.Contains("client reused", StringComparison.Ordinal));
        Assert.Contains(after.Verbose, v => v.StartsWith("Kafka: reusing the admin client of src", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_is_kept_after_an_error()
    {
        var failed = _f.Ps.Invoke($"Get-ReplicationState -Flow {OperatedFlow.FlowName} -SourceBootstrapServers 127.0.0.1:1 -RequestTimeout 00:00:02");
        Assert.Equal("KafkaUnreachable", failed.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(0, Idle);
        Assert.Equal(0, OpenNow);
        var next = State();
        Assert.Empty(next.Errors);
        Assert.Contains(next.Verbose, v => v.StartsWith("Kafka: connecting an admin client", StringComparison.Ordinal));
    }

    [Fact]
    public void Idle_clients_are_closed_after_the_idle_time_and_reuse_can_be_turned_off()
    {
        _f.Ps.Invoke($"{Pool}.IdleTimeout = [timespan]::FromMilliseconds(300)");
        State();
        Assert.Equal(2, Idle);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Idle > 0 && DateTime.UtcNow < deadline) Thread.Yield();
        Assert.Equal(0, Idle);

        _f.Ps.Invoke($"{Pool}.IdleTimeout = [timespan]::Zero");
        State();
        Assert.Equal(0, Idle);
        Assert.Equal(0, OpenNow);
    }

    [Fact]
    public void Removing_the_module_closes_the_idle_clients()
    {
        State();
        Assert.Equal(2, Idle);
        var left = _f.Ps.Invoke($"$pool = {Pool}; Remove-Module KafkaReplication; $pool.IdleCount");
        Assert.Equal(0, Convert.ToInt32(left.Output.Single()!.BaseObject));
        _f.Ps.Invoke($"Import-Module '{ModuleSession.ModulePath}'");
    }
}
