using System.Runtime.InteropServices;

namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// librdkafka for one Kafka client context (<see cref="KafkaLoadContext"/>), from the runtimes/&lt;os&gt;-&lt;arch&gt;/native
/// folder that librdkafka.redist ships. Confluent.Kafka asks for "librdkafka", then "centos8-librdkafka" (glibc without
/// libsasl2.so.3, e.g. Debian 12) and "alpine-librdkafka" (musl), by those DllImport names (Confluent.Kafka
/// src/Confluent.Kafka/Impl/LibRdKafka.cs, TrySetDelegates); the musl build lives in the linux-&lt;arch&gt; folder too.
/// Each file is loaded once (the runtime asks again for every P/Invoke it binds) and freed once, by
/// <see cref="FreeAll"/>, when the context that bound its P/Invoke stubs has been collected.
/// </summary>
internal sealed class NativeLibraries(string runtimesDirectory)
{
    private readonly object sync = new();
    private readonly Dictionary<string, (string Path, IntPtr Handle)> handles = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Loaded
    {
        get { lock (sync) return handles.Values.Select(h => h.Path).ToList(); }
    }

    public IntPtr? Resolve(string name)
    {
        if (!name.Contains("librdkafka", StringComparison.OrdinalIgnoreCase)) return null;
        var file = Path.GetFileName(name);
        lock (sync)
        {
            if (handles.TryGetValue(file, out var known)) return known.Handle;
            foreach (var path in Candidates(file))
            {
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle))
                {
                    handles[file] = (path, handle);
                    return handle;
                }
            }
        }
        return null;
    }

    /// <summary>Frees every library loaded here. Only once nothing can call into them any more.</summary>
    public void FreeAll()
    {
        lock (sync)
        {
            foreach (var (_, handle) in handles.Values) NativeLibrary.Free(handle);
            handles.Clear();
        }
    }

    private IEnumerable<string> Candidates(string file) =>
        Candidates(runtimesDirectory, file, CurrentOs(), RuntimeInformation.ProcessArchitecture);

    /// <summary>Where the file Confluent.Kafka asks for lives on a platform, in the order tried.</summary>
    internal static IEnumerable<string> Candidates(string runtimesDirectory, string file, OSPlatform os, Architecture architecture)
    {
        var native = Path.Combine(runtimesDirectory, PortableRid(os, architecture), "native");
        var extension = os == OSPlatform.Windows ? ".dll" : os == OSPlatform.OSX ? ".dylib" : ".so";
        yield return Path.Combine(native, file.EndsWith(extension, StringComparison.OrdinalIgnoreCase) ? file : file + extension);
        yield return Path.Combine(native, file);
    }

    // The package ships portable folders only (linux-x64, linux-arm64, osx-arm64, osx-x64, win-x64, win-x86).
    internal static string PortableRid(OSPlatform os, Architecture architecture)
    {
        var name = os == OSPlatform.Windows ? "win" : os == OSPlatform.OSX ? "osx" : "linux";
        return $"{name}-{architecture.ToString().ToLowerInvariant()}";
    }

    private static OSPlatform CurrentOs() =>
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux;
}
