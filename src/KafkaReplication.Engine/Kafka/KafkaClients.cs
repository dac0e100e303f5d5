using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// Makes the engine's Kafka clients, from KafkaReplication.Kafka loaded into a collectible context on first use
/// (<see cref="KafkaLoadContext"/>), and frees that context and librdkafka when the module is removed
/// (<see cref="Release"/>). Confluent.Kafka binds librdkafka's functions once per context (DllImport stubs turned into
/// delegates, Confluent.Kafka src/Confluent.Kafka/Impl/LibRdKafka.cs SetDelegates): the library may be freed only when
/// that context is gone, and a later client loads a fresh context and the library again.
/// </summary>
public sealed class KafkaClients
{
    private const string FactoryType = "KafkaReplication.Kafka.KafkaGatewayFactory";
    private const string FactoryAssembly = "KafkaReplication.Kafka";

    /// <summary>The process's Kafka client context, which the module's removal releases.</summary>
    public static KafkaClients Shared { get; } = new();

    /// <summary>A context of one's own (tests); the module uses <see cref="Shared"/>.</summary>
    internal KafkaClients() { }

    private readonly object _sync = new();
    private (KafkaLoadContext Context, IKafkaGatewayFactory Factory)? _current;

    /// <summary>
    /// Unloaded contexts not yet collected, with what to wait for and free once they are. Nothing here references the
    /// context itself (the weak reference aside), or it would never be collected.
    /// </summary>
    private readonly List<(WeakReference Context, NativeLibraries Natives, ClosingClients Closing)> _unloading = [];

    /// <summary>A client of one cluster. The first one loads the Kafka client's context.</summary>
    public IKafkaGateway Create(KafkaClientSettings settings, IOperationLog? log = null, RequestLimits? limits = null)
    {
        lock (_sync)
        {
            FreeCollected();
            _current ??= Load();
            return new DetachedKafkaGateway(_current.Value.Factory.Create(settings, log, limits));
        }
    }

    /// <summary>The librdkafka files loaded now, by the current context and by unloaded ones not yet collected (full paths).</summary>
    public IReadOnlyList<string> LoadedNativeLibraries
    {
        get
        {
            lock (_sync)
                return (_current is { } c ? c.Context.Natives.Loaded : [])
                    .Concat(_unloading.SelectMany(u => u.Natives.Loaded)).Distinct().ToList();
        }
    }

    /// <summary>
    /// Unloads the Kafka client's context and frees librdkafka, once every gateway has been disposed (the module's
    /// removal closes its pooled clients first). Waits at most <paramref name="closeWait"/> in all for native clients
    /// still closing, then collects garbage a few times. What is still in use (a gateway another runspace holds, a
    /// client that has not finished closing) keeps its context, and the library stays loaded until a later release or
    /// client finds the context collected: freeing it earlier would leave code that can still run pointing at
    /// unmapped memory.
    /// </summary>
    /// <returns>Whether no Kafka client context or librdkafka remains loaded.</returns>
    public bool Release(TimeSpan closeWait)
    {
        lock (_sync)
        {
            Retire();
            var waited = Stopwatch.StartNew();
            foreach (var (_, _, closing) in _unloading)
                closing.WaitAll(Max(TimeSpan.Zero, closeWait - waited.Elapsed));
            for (var i = 0; i < 8 && _unloading.Any(u => u.Context.IsAlive); i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            FreeCollected();
            return _current is null && _unloading.Count == 0;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // Not inlined: the context must not stay reachable from a local of the caller's frame while it waits to be collected.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Retire()
    {
        if (_current is not { } current) return;
        _current = null;
        current.Context.Unload();
        _unloading.Add((new WeakReference(current.Context), current.Context.Natives, current.Context.Closing));
    }

    private void FreeCollected()
    {
        for (var i = _unloading.Count - 1; i >= 0; i--)
        {
            if (_unloading[i].Context.IsAlive) continue;
            _unloading[i].Natives.FreeAll();
            _unloading.RemoveAt(i);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (KafkaLoadContext, IKafkaGatewayFactory) Load()
    {
        var engine = typeof(KafkaClients).Assembly;
        var context = new KafkaLoadContext(Path.GetDirectoryName(engine.Location)!,
            AssemblyLoadContext.GetLoadContext(engine) ?? AssemblyLoadContext.Default);
        var type = context.LoadFromAssemblyName(new(FactoryAssembly)).GetType(FactoryType, throwOnError: true)!;
        return (context, (IKafkaGatewayFactory)Activator.CreateInstance(type, context.Closing)!);
    }
}
