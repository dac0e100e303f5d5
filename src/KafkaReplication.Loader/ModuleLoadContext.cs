using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace KafkaReplication.Loader;

/// <summary>
/// The module's private AssemblyLoadContext: the cmdlets, the engine and every dependency (YamlDotNet,
/// KubernetesClient, Confluent.Kafka, Polly...) load from the module's bin folder here, so another module's copy of
/// the same assemblies in the default context neither wins over ours nor is disturbed by ours. The same pattern as
/// jborean93/PowerShell-Yayaml src/Yayaml.Loader/LoadContext.cs and jborean93/PSOpenAD src/PSOpenAD/LoadContext.cs;
/// the native librdkafka is resolved here too (LoadUnmanagedDll), from the runtimes folder the package ships.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly object Sync = new();
    private static readonly Dictionary<string, ModuleLoadContext> Contexts = new(StringComparer.Ordinal);

    private readonly string binDirectory;
    private readonly AssemblyName loaderName = typeof(ModuleLoadContext).Assembly.GetName();
    private readonly NativeLibraries natives;

    private ModuleLoadContext(string binDirectory)
        : base($"KafkaReplication ({binDirectory})", isCollectible: false)
    {
        this.binDirectory = binDirectory;
        natives = new NativeLibraries(Path.Combine(binDirectory, "runtimes"));
    }

    /// <summary>
    /// The private context's cmdlet assembly for the module folder: one context per folder and process, reused when
    /// the module is removed and imported again. Not a new (collectible) context per import: PowerShell caches the
    /// compiled parameter setters of a cmdlet by type name, so a second copy of the cmdlet types fails to bind
    /// ("[A]...Command cannot be cast to [B]...Command"), tried in tests/Pester/Isolation.Tests.ps1.
    /// </summary>
    public static Assembly Initialize(string moduleBase)
    {
        var bin = Path.GetFullPath(Path.Combine(moduleBase, "bin"));
        lock (Sync)
        {
            if (!Contexts.TryGetValue(bin, out var context))
                Contexts[bin] = context = new ModuleLoadContext(bin);
            return context.LoadFromAssemblyName(new AssemblyName("KafkaReplication"));
        }
    }

    /// <summary>The native libraries this context loaded (full paths), for tests and diagnostics.</summary>
    public static IReadOnlyList<string> LoadedNativeLibraries(Assembly moduleAssembly) =>
        GetLoadContext(moduleAssembly) is ModuleLoadContext context ? context.natives.Loaded : [];

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The loader itself is shared with the default context (the cmdlet assembly references it).
        if (AssemblyName.ReferenceMatchesDefinition(loaderName, assemblyName)) return typeof(ModuleLoadContext).Assembly;
        var path = Path.Combine(binDirectory, assemblyName.Name + ".dll");
        // Anything not shipped in bin (System.Management.Automation, the framework) comes from the default context.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        natives.Resolve(unmanagedDllName) is { } handle ? handle : base.LoadUnmanagedDll(unmanagedDllName);
}
