using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests.Kafka;

/// <summary>
/// The Kafka client's collectible context (Confluent.Kafka and librdkafka), each test with a KafkaClients of its own:
/// released, it is collected and librdkafka freed; a later client loads both again; a client still held keeps them.
/// </summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class KafkaClientsTests
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(10);
    private static readonly (string, int)[] OrdersEu = Enumerable.Range(0, 6).Select(p => ("orders.eu", p)).ToArray();

    private readonly KafkaClusterFixture _kafka;
    public KafkaClientsTests(KafkaClusterFixture kafka) => _kafka = kafka;

    private KafkaClientSettings Settings() =>
        new(KafkaClusterFixture.Reference(_kafka.Cluster.BootstrapServers)) { RequestTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public void A_released_context_is_collected_and_its_librdkafka_freed_and_a_later_client_loads_both_again()
    {
        var clients = new KafkaClients();

        var first = UseAndDispose(clients, Settings());
        Assert.True(first.Collectible);
        Assert.NotEmpty(first.Natives);
        Assert.All(first.Natives, path => Assert.Contains("librdkafka", Path.GetFileName(path)));

        // The scan's consumer and the admin client close in the background: release waits for them.
        Assert.True(clients.Release(CloseWait), "nothing of the Kafka client should remain loaded");
        Assert.False(first.Context.IsAlive);
        Assert.Empty(clients.LoadedNativeLibraries);

        var second = UseAndDispose(clients, Settings());
        Assert.Equal(first.Natives, second.Natives);
        Assert.True(clients.Release(CloseWait));
        Assert.Empty(clients.LoadedNativeLibraries);
    }

    [Fact]
    public void A_client_still_held_keeps_its_context_and_librdkafka_until_it_is_disposed_and_released_again()
    {
        var clients = new KafkaClients();
        var context = UseWhileReleased(clients, Settings());

        // Disposed since: its admin client closes in the background, and the release waits for that too.
        Assert.True(clients.Release(CloseWait));
        Assert.False(context.IsAlive);
        Assert.Empty(clients.LoadedNativeLibraries);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference UseWhileReleased(KafkaClients clients, KafkaClientSettings settings)
    {
        var (context, gateway) = Hold(clients, settings);
        using (gateway)
        {
            Assert.Equal(10, Offsets(gateway)[("orders.eu", 0)]);

            Assert.False(clients.Release(CloseWait));
            Assert.NotEmpty(clients.LoadedNativeLibraries);
            Assert.True(context.IsAlive);
            // The held client still answers, and a new one comes from a new context.
            Assert.Equal(10, Offsets(gateway)[("orders.eu", 0)]);
            var other = UseAndDispose(clients, settings);
            Assert.NotSame(context.Target, other.Context.Target);
        }
        return context;
    }

    [Fact]
    public void An_error_a_caller_keeps_does_not_keep_the_context()
    {
        var clients = new KafkaClients();
        var (context, error) = FailAndDispose(clients);

        // PowerShell keeps error records (and their exceptions) long after a call; the context must go all the same.
        Assert.Equal("KafkaUnreachable", error.ErrorId);
        Assert.True(clients.Release(CloseWait), "the error keeps the Kafka client's context alive");
        Assert.False(context.IsAlive);
        Assert.Empty(clients.LoadedNativeLibraries);
        GC.KeepAlive(error);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Context, ReplicationException Error) FailAndDispose(KafkaClients clients)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (context, gateway) = Hold(clients, new KafkaClientSettings(KafkaClusterFixture.Reference($"127.0.0.1:{port}")) { RequestTimeout = TimeSpan.FromSeconds(2) });
        using (gateway)
            return (context, Assert.Throws<ReplicationException>(() => Offsets(gateway)));
    }

    private static IReadOnlyDictionary<(string Topic, int Partition), long> Offsets(IKafkaGateway gateway) =>
        gateway.GetOffsetsAsync(OrdersEu, OffsetSpec.Latest).GetAwaiter().GetResult();

    // Not inlined, so that no local of the test's frame keeps the gateway or its context reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Context, bool Collectible, IReadOnlyList<string> Natives) UseAndDispose(KafkaClients clients, KafkaClientSettings settings)
    {
        var (context, gateway) = Hold(clients, settings);
        using (gateway)
        {
            Assert.Equal(10, Offsets(gateway)[("orders.eu", 0)]);
            var withRecords = gateway.PartitionsWithRecordsAsync(new Dictionary<(string, int), (long, long)> { [("orders.eu", 1)] = (0, 11) })
                .GetAwaiter().GetResult();
            Assert.Equal([("orders.eu", 1)], withRecords);
        }
        var own = (AssemblyLoadContext)context.Target!;
        Assert.NotSame(AssemblyLoadContext.GetLoadContext(typeof(KafkaClients).Assembly), own);
        return (context, own.IsCollectible, clients.LoadedNativeLibraries);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Context, IKafkaGateway Gateway) Hold(KafkaClients clients, KafkaClientSettings settings)
    {
        var gateway = clients.Create(settings);
        var own = ((DetachedKafkaGateway)gateway).Inner;
        return (new WeakReference(AssemblyLoadContext.GetLoadContext(own.GetType().Assembly)), gateway);
    }
}

/// <summary>
/// librdkafka for every platform the package ships, by the names Confluent.Kafka 2.16 asks for there: "librdkafka"
/// everywhere, then on Linux "centos8-librdkafka" (glibc without libsasl2) and "alpine-librdkafka" (musl). Read from
/// the runtimes folder librdkafka.redist lays out, as in the module's bin/.
/// </summary>
public sealed class NativeLibraryPlatformTests
{
    public static TheoryData<string, string, string, string> Shipped => new()
    {
        { "Linux", "X64", "librdkafka", "linux-x64/native/librdkafka.so" },
        { "Linux", "X64", "centos8-librdkafka", "linux-x64/native/centos8-librdkafka.so" },
        { "Linux", "X64", "alpine-librdkafka", "linux-x64/native/alpine-librdkafka.so" },
        { "Linux", "Arm64", "librdkafka", "linux-arm64/native/librdkafka.so" },
        { "Linux", "Arm64", "alpine-librdkafka", "linux-arm64/native/alpine-librdkafka.so" },
        { "OSX", "Arm64", "librdkafka", "osx-arm64/native/librdkafka.dylib" },
        { "OSX", "X64", "librdkafka", "osx-x64/native/librdkafka.dylib" },
        { "Windows", "X64", "librdkafka", "win-x64/native/librdkafka.dll" },
        { "Windows", "X86", "librdkafka", "win-x86/native/librdkafka.dll" },
    };

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Each_shipped_platform_finds_its_librdkafka(string os, string architecture, string asked, string expected)
    {
        var runtimes = Path.Combine(AppContext.BaseDirectory, "runtimes");
        var found = NativeLibraries.Candidates(runtimes, asked, System.Runtime.InteropServices.OSPlatform.Create(os.ToUpperInvariant()),
                Enum.Parse<System.Runtime.InteropServices.Architecture>(architecture))
            .FirstOrDefault(File.Exists);

        Assert.Equal(Path.Combine(runtimes, expected.Replace('/', Path.DirectorySeparatorChar)), found);
    }
}

public sealed class ClosingClientsTests
{
    [Fact]
    public void Waits_for_running_closes_and_counts_a_failed_close_as_ended()
    {
        var closing = new ClosingClients();
        using var release = new ManualResetEventSlim();
        closing.InBackground(() => release.Wait());
        closing.InBackground(() => throw new InvalidOperationException("close failed"));

        Assert.False(closing.WaitAll(TimeSpan.FromMilliseconds(50)));
        release.Set();
        Assert.True(closing.WaitAll(TimeSpan.FromSeconds(10)));
        Assert.True(closing.WaitAll(TimeSpan.Zero));
    }
}
