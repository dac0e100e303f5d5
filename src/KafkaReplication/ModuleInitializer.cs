using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace KafkaReplication;

/// <summary>
/// Lets the native librdkafka (shipped under runtimes/&lt;rid&gt;/native) be found inside a PowerShell host,
/// whose probing paths do not include the module folder (test-bed-facts.md, "Inside a PowerShell host").
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    public void OnImport() => AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNative;

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.ResolvingUnmanagedDll -= ResolveNative;

    private static IntPtr ResolveNative(Assembly assembly, string name)
    {
        if (!name.Contains("librdkafka", StringComparison.OrdinalIgnoreCase)) return IntPtr.Zero;
        var native = Path.Combine(ModuleDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        if (!Directory.Exists(native))
            native = Path.Combine(ModuleDirectory, "runtimes", PortableRid(), "native");
        var file = Path.GetFileName(name);
        foreach (var candidate in new[] { file, file + ".so", file + ".dylib", file + ".dll", "lib" + file + ".so" })
        {
            var path = Path.Combine(native, candidate);
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    private static string PortableRid()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{arch}";
    }
}
