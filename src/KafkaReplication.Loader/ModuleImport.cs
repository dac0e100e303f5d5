using System.Management.Automation;

namespace KafkaReplication.Loader;

/// <summary>
/// Runs when PowerShell imports the loader, the manifest's NestedModules entry, which PowerShell imports before the
/// RootModule (the cmdlet assembly): from then on the default context finds the engine in the private context. Binary
/// modules only, no script: a RootModule script that loaded the cmdlets cost about 20 ms more per import
/// (docs/performance.md).
/// </summary>
public sealed class ModuleImport : IModuleAssemblyInitializer
{
    public void OnImport() => ModuleLoadContext.ForModule(Path.GetDirectoryName(typeof(ModuleImport).Assembly.Location)!);
}
