using System.Reflection;
using System.Runtime.Loader;

namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// The collectible context of the Kafka client: KafkaReplication.Kafka and Confluent.Kafka from the engine's folder,
/// librdkafka from its runtimes folder; everything else (the engine first of all, whose interfaces the client
/// implements) from the engine's own context. Collectible so that removing the module can unload Confluent.Kafka,
/// whose P/Invoke stubs are bound to librdkafka once per context, and then free librdkafka
/// (learn.microsoft.com/dotnet/standard/assembly/unloadability).
/// </summary>
internal sealed class KafkaLoadContext : AssemblyLoadContext
{
    /// <summary>The assemblies loaded here; all others are shared with the engine's context.</summary>
    private static readonly HashSet<string> Own = new(StringComparer.Ordinal) { "KafkaReplication.Kafka", "Confluent.Kafka" };

    private readonly string directory;
    private readonly AssemblyLoadContext engineContext;

    public KafkaLoadContext(string directory, AssemblyLoadContext engineContext)
        : base("KafkaReplication Kafka client", isCollectible: true)
    {
        this.directory = directory;
        this.engineContext = engineContext;
        Natives = new NativeLibraries(Path.Combine(directory, "runtimes"));
    }

    public NativeLibraries Natives { get; }

    /// <summary>The context's native clients that are closing in the background.</summary>
    public ClosingClients Closing { get; } = new();

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && Own.Contains(name))
            return LoadFromAssemblyPath(Path.Combine(directory, name + ".dll"));
        // The engine's context decides for everything else; the default context answers what it does not.
        return engineContext == Default ? null : engineContext.LoadFromAssemblyName(assemblyName);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        Natives.Resolve(unmanagedDllName) ?? base.LoadUnmanagedDll(unmanagedDllName);
}
