using KafkaReplication.Engine;
using KafkaReplication.Engine.Session;
using Xunit;

namespace KafkaReplication.Engine.Tests;

public sealed class ClientPoolTests
{
    private sealed class Client : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    private static ClientPool.Entry Entry(string key, Client client, bool sound = true) =>
        new(key, client, new SwitchableLog(NullOperationLog.Instance), () => sound);

    [Fact]
    public void A_returned_client_is_taken_again_by_its_key_only()
    {
        var pool = new ClientPool { IdleTimeout = TimeSpan.FromMinutes(1) };
        var c = new Client();
        pool.Return(Entry("a", c));
        Assert.Null(pool.Take("b"));
        Assert.Same(c, pool.Take("a")!.Client);
        Assert.Null(pool.Take("a"));
        Assert.False(c.Disposed);
    }

    [Fact]
    public void An_unsound_client_or_one_returned_while_reuse_is_off_is_disposed()
    {
        var pool = new ClientPool { IdleTimeout = TimeSpan.FromMinutes(1) };
        var unsound = new Client();
        pool.Return(Entry("a", unsound, sound: false));
        Assert.True(unsound.Disposed);
        pool.IdleTimeout = TimeSpan.Zero;
        var off = new Client();
        pool.Return(Entry("a", off));
        Assert.True(off.Disposed);
        Assert.Equal(0, pool.IdleCount);
    }

    [Fact]
    public void At_most_MaxIdle_clients_are_kept_the_oldest_closed_first_and_Clear_closes_all()
    {
        var pool = new ClientPool { IdleTimeout = TimeSpan.FromMinutes(1) };
        var clients = Enumerable.Range(0, ClientPool.MaxIdle + 2).Select(_ => new Client()).ToList();
        for (var i = 0; i < clients.Count; i++) pool.Return(Entry($"k{i}", clients[i]));
        Assert.Equal(ClientPool.MaxIdle, pool.IdleCount);
        Assert.True(clients[0].Disposed && clients[1].Disposed);
        Assert.False(clients[2].Disposed);
        pool.Clear();
        Assert.Equal(0, pool.IdleCount);
        Assert.All(clients, c => Assert.True(c.Disposed));
    }

    [Fact]
    public void The_key_holds_no_part_it_was_made_from()
    {
        var key = ClientPool.Key("kafka", new[] { "sasl.password=Sup3r-Secret", "bootstrap.servers=a:9092" });
        Assert.DoesNotContain("Sup3r", key);
        Assert.DoesNotContain("a:9092", key);
        Assert.NotEqual(key, ClientPool.Key("kafka", new[] { "sasl.password=other", "bootstrap.servers=a:9092" }));
    }
}
