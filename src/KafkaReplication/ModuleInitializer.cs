using System.Management.Automation;
using System.Runtime.Loader;
using KafkaReplication.Loader;

namespace KafkaReplication;

/// <summary>
/// Import and removal of the cmdlet assembly (removal also closes the clients kept between calls). Normally KafkaReplication.psm1 has loaded it into the module's private
/// AssemblyLoadContext (KafkaReplication.Loader), which also resolves librdkafka. Imported directly into the default
/// context (bin/KafkaReplication.dll by path), it still finds librdkafka through the default context's resolving
/// event, as before isolation.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly NativeFallback Fallback = new(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!);

    private static bool Isolated => AssemblyLoadContext.GetLoadContext(typeof(ModuleInitializer).Assembly) is ModuleLoadContext;

    public void OnImport()
    {
        if (!Isolated) AssemblyLoadContext.Default.ResolvingUnmanagedDll += Fallback.Resolve;
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // Clients kept for the next cmdlet call hold connections and credentials: none outlives the module.
        KafkaReplication.Engine.Session.ClientPool.Shared.Clear();
        if (!Isolated) AssemblyLoadContext.Default.ResolvingUnmanagedDll -= Fallback.Resolve;
    }

    private sealed class NativeFallback(string directory)
    {
        private readonly NativeLibraries natives = new(Path.Combine(directory, "runtimes"));

        public IntPtr Resolve(System.Reflection.Assembly assembly, string name) => natives.Resolve(name) ?? IntPtr.Zero;
    }
}
