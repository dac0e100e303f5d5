# The module's entry point (RootModule). Only KafkaReplication.Loader.dll goes into PowerShell's default
# AssemblyLoadContext; it loads the cmdlets, the engine and their dependencies (bin/) into a private context, so that
# another module's YamlDotNet, KubernetesClient or Confluent.Kafka neither breaks this one nor is broken by it.
# .NET calls only: hosts without Microsoft.PowerShell.Utility (no Add-Type) import the module too.
$loader = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'KafkaReplication.Loader.dll'))
$cmdlets = $loader.GetType('KafkaReplication.Loader.ModuleLoadContext', $true).GetMethod('Initialize').Invoke($null, @($PSScriptRoot))
Import-Module -Assembly $cmdlets
