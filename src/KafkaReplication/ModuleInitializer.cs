using System.Management.Automation;
using System.Runtime.Loader;
using KafkaReplication.Loader;

namespace KafkaReplication;

/// <summary>
/// Import and removal of the cmdlet assembly (removal also closes the clients kept between calls). Imported through
/// the manifest, the cmdlet assembly is in the default context and the engine with every dependency in the module's
/// private context (KafkaReplication.Loader, imported first as the manifest's nested module), which also resolves
/// librdkafka. Imported directly (bin/KafkaReplication.dll by path, as the hosted-runspace tests do), everything is in
/// the default context and librdkafka is found through the default context's resolving event, as before isolation.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly NativeFallback Fallback = new(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!);

    private static bool Isolated => AssemblyLoadContext.GetLoadContext(typeof(KafkaReplication.Engine.Session.ClientPool).Assembly) is ModuleLoadContext;

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
