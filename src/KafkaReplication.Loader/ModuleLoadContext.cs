using System.Reflection;
using System.Runtime.Loader;

namespace KafkaReplication.Loader;

/// <summary>
/// The module's private AssemblyLoadContext: the engine and every dependency (YamlDotNet, KubernetesClient,
/// Confluent.Kafka, Polly...) load from the module's bin folder here, so another module's copy of the same assemblies
/// in the default context neither wins over ours nor is disturbed by ours. The cmdlet assembly itself
/// (KafkaReplication.dll, the manifest's RootModule) loads into the default context and references only the engine
/// from bin, which the default context gets from here (<see cref="ResolveBridged"/>): Microsoft's "custom
/// AssemblyLoadContext" pattern for module dependency conflicts (learn.microsoft.com/powershell/scripting/dev-cross-plat/resolving-dependency-conflicts,
/// the AlcModule example), also jborean93/PowerShell-Yayaml src/Yayaml.Loader/LoadContext.cs. Confluent.Kafka and the
/// native librdkafka are not loaded here: the engine loads them into a collectible context of their own, which
/// removing the module unloads (KafkaReplication.Engine/Kafka/KafkaClients.cs).
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    /// <summary>
    /// The assemblies of bin/ that the cmdlet assembly references. Nothing else is handed to the default context:
    /// another module's failed lookup of, say, YamlDotNet must not be answered with ours.
    /// </summary>
    private static readonly HashSet<string> Bridged = new(StringComparer.Ordinal) { "KafkaReplication.Engine" };

    private static readonly object Sync = new();
    private static readonly Dictionary<string, ModuleLoadContext> Contexts = new(StringComparer.Ordinal);

    private readonly string binDirectory;

    private ModuleLoadContext(string binDirectory)
        : base($"KafkaReplication ({binDirectory})", isCollectible: false)
    {
        this.binDirectory = binDirectory;
    }

    /// <summary>
    /// The private context of a module folder, created on its first import and reused when the module is removed and
    /// imported again: the default context keeps the cmdlet assembly, which is bound to this context's engine. Not a
    /// new (collectible) context per import: PowerShell caches the compiled parameter setters of a cmdlet by type
    /// name, so a second copy of the types the cmdlets bind fails ("[A]... cannot be cast to [B]..."), tried in
    /// tests/Pester/Isolation.Tests.ps1.
    /// </summary>
    public static ModuleLoadContext ForModule(string moduleBase)
    {
        var bin = Path.GetFullPath(Path.Combine(moduleBase, "bin"));
        lock (Sync)
        {
            if (Contexts.TryGetValue(bin, out var context)) return context;
            Contexts[bin] = context = new ModuleLoadContext(bin);
            Default.Resolving += context.ResolveBridged;
            return context;
        }
    }

    /// <summary>The default context's last resort (its own probing found nothing) for the cmdlet assembly's references.</summary>
    private Assembly? ResolveBridged(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name is { } simple && Bridged.Contains(simple) && File.Exists(Path.Combine(binDirectory, simple + ".dll"))
            ? LoadFromAssemblyName(name)
            : null;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(binDirectory, assemblyName.Name + ".dll");
        // Anything not shipped in bin (the framework) comes from the default context.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
