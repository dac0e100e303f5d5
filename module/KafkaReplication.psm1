# The module's entry point (RootModule). Only KafkaReplication.Loader.dll goes into PowerShell's default
# AssemblyLoadContext (the manifest's RequiredAssemblies loads it); it loads the cmdlets, the engine and their
# dependencies (bin/) into a private context, so that another module's YamlDotNet, KubernetesClient or Confluent.Kafka
# neither breaks this one nor is broken by it. One statement, no Add-Type: the script is compiled and run on every
# import, and each dynamic call in it cost milliseconds of a cold import (docs/performance.md).
Import-Module -Assembly ([KafkaReplication.Loader.ModuleLoadContext]::Initialize($PSScriptRoot))
