#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Dependency isolation, each case in a fresh pwsh process (assemblies load once per process): another module's
# older YamlDotNet or KubernetesClient, loaded before or after this module, breaks neither this module nor itself;
# Remove-Module then Import-Module in one session leaves working cmdlets. The older assemblies come from NuGet at
# build time (tests/Pester/KafkaReplication.Pester.csproj lays them out in out/pester/older).

BeforeAll {
    . (Join-Path $PSScriptRoot 'FreshPwsh.ps1')
    $older = Join-Path $repoRoot 'out/pester/older'
    $env:KR_YAML_OLD = Join-Path $older 'YamlDotNet-13.7.1/YamlDotNet.dll'
    $env:KR_KUBE_OLD = Join-Path $older 'KubernetesClient-19.0.2/KubernetesClient.dll'
    foreach ($path in $env:KR_YAML_OLD, $env:KR_KUBE_OLD) {
        if (-not (Test-Path $path)) { throw "'$path' is missing: build tests/Pester/KafkaReplication.Pester.csproj first." }
    }

    # Shared by the cases: what the module does without a cluster, and one call that parses a kubeconfig.
    $moduleWork = @'
function Test-ModuleWorks([string] $Work) {
    $a = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'a-kafka-bootstrap.kafka:9092'
    $b = New-ReplicationClusterReference -Alias useast -BootstrapServers 'b-kafka-bootstrap.kafka:9092'
    $files = @(New-ReplicationFlow -Name uswest-to-useast -Namespace repl -Source $a -Target $b -Topics 'orders.*' -OutputPath $Work)
    $flowFile = Join-Path $Work 'flow.yaml'
    Set-Content -Path $flowFile -Value @(
        'name: from-file', 'namespace: repl', 'topics: [orders]'
        'source: { alias: uswest, bootstrapServers: "a:9092" }', 'target: { alias: useast, bootstrapServers: "b:9092" }')
    $kubeconfig = Join-Path $Work 'kubeconfig'
    Set-Content -Path $kubeconfig -Value @(
        'apiVersion: v1', 'kind: Config', 'current-context: closed'
        'clusters: [{ name: closed, cluster: { server: "https://127.0.0.1:1" } }]'
        'users: [{ name: u, user: { token: not-a-secret } }]'
        'contexts: [{ name: closed, context: { cluster: closed, user: u } }]')
    $getError = try { Get-ReplicationFlow -Kubeconfig $kubeconfig -Namespace repl -ErrorAction Stop; 'no error' } catch { $_.FullyQualifiedErrorId }
    $completion = TabExpansion2 -inputScript "Get-ReplicationFlow -Kubeconfig '$kubeconfig' -Context " -cursorColumn ("Get-ReplicationFlow -Kubeconfig '$kubeconfig' -Context ".Length)
    [ordered]@{
        RenderedFiles     = $files.Count
        ManifestErrors    = @(Test-ReplicationFlow -ManifestPath $files[0].FullName | Where-Object Severity -eq 'Error').Count
        FromFile          = (New-ReplicationFlowDefinition -Path $flowFile).Name
        GetFlowErrorId    = ($getError -split ',')[0]
        ContextCompletion = @($completion.CompletionMatches.CompletionText)
    }
}
'@
}

Describe 'Another module''s older YamlDotNet' {
    It 'loaded before the module: both keep working' {
        $result = Invoke-FreshPwsh ($moduleWork + @'
Add-Type -Path $env:KR_YAML_OLD
Import-Module $env:KR_MANIFEST -ErrorAction Stop
$module = Test-ModuleWorks $env:KR_WORK
$module.OtherYaml = [YamlDotNet.Serialization.SerializerBuilder]::new().Build().Serialize(@{ other = 'module' }).Trim()
$module.OtherYamlVersion = [YamlDotNet.Serialization.ISerializer].Assembly.GetName().Version.Major
$module
'@)
        $result.RenderedFiles | Should -Be 1
        $result.ManifestErrors | Should -Be 0
        $result.FromFile | Should -Be 'from-file'
        $result.GetFlowErrorId | Should -Be 'KubernetesUnreachable'
        $result.ContextCompletion | Should -Be @('closed')
        $result.OtherYaml | Should -Be 'other: module'
        $result.OtherYamlVersion | Should -Be 13
    }

    It 'loaded after the module: both keep working' {
        $result = Invoke-FreshPwsh ($moduleWork + @'
Import-Module $env:KR_MANIFEST -ErrorAction Stop
$null = Test-ModuleWorks $env:KR_WORK
Add-Type -Path $env:KR_YAML_OLD
$module = Test-ModuleWorks $env:KR_WORK
$module.OtherYaml = [YamlDotNet.Serialization.SerializerBuilder]::new().Build().Serialize(@{ other = 'module' }).Trim()
$module.OtherYamlVersion = [YamlDotNet.Serialization.ISerializer].Assembly.GetName().Version.Major
$module
'@)
        $result.RenderedFiles | Should -Be 1
        $result.FromFile | Should -Be 'from-file'
        $result.GetFlowErrorId | Should -Be 'KubernetesUnreachable'
        $result.OtherYaml | Should -Be 'other: module'
        $result.OtherYamlVersion | Should -Be 13
    }
}

Describe 'Another module''s older KubernetesClient' {
    It 'loaded before the module: kubeconfig parsing gives the module''s error id, and the older client still works' {
        $result = Invoke-FreshPwsh ($moduleWork + @'
Add-Type -Path $env:KR_KUBE_OLD
Import-Module $env:KR_MANIFEST -ErrorAction Stop
$module = Test-ModuleWorks $env:KR_WORK
$namespace = [k8s.Models.V1Namespace]::new()
$namespace.Metadata = [k8s.Models.V1ObjectMeta]::new()
$namespace.Metadata.Name = 'other'
$module.OtherKube = $namespace.Metadata.Name
$module.OtherKubeVersion = [k8s.Models.V1Namespace].Assembly.GetName().Version.Major
$module
'@)
        $result.GetFlowErrorId | Should -Be 'KubernetesUnreachable'
        $result.ContextCompletion | Should -Be @('closed')
        $result.RenderedFiles | Should -Be 1
        $result.OtherKube | Should -Be 'other'
        $result.OtherKubeVersion | Should -Be 19
    }
}

Describe 'The module''s assemblies' {
    It 'are the cmdlets and the loader in the default context, the engine and its dependencies in the private one, the Kafka client in its own' {
        $result = Invoke-FreshPwsh ($moduleWork + @'
Import-Module $env:KR_MANIFEST -ErrorAction Stop
$null = Test-ModuleWorks $env:KR_WORK
$cluster = New-ReplicationClusterReference -Alias closed -BootstrapServers '127.0.0.1:1'
$null = try { Get-ConsumerGroupLag -Cluster $cluster -Group g -Topic t -ErrorAction Stop } catch { }
$byContext = @{}
foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
    $name = $assembly.GetName().Name
    if ($name -match '^(KafkaReplication|YamlDotNet|KubernetesClient|Confluent\.Kafka|Polly)') {
        $byContext[$name] = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name
    }
}
$byContext
'@)
        $result['KafkaReplication.Loader'] | Should -Be 'Default'
        $result['KafkaReplication'] | Should -Be 'Default'
        foreach ($name in 'KafkaReplication.Engine', 'YamlDotNet', 'KubernetesClient', 'Polly.Core') {
            $result[$name] | Should -BeLike 'KafkaReplication (*bin)' -Because "$name must not load into the default context"
        }
        # The Kafka client in a (collectible) context of its own, which removing the module unloads.
        foreach ($name in 'KafkaReplication.Kafka', 'Confluent.Kafka') {
            $result[$name] | Should -Be 'KafkaReplication Kafka client' -Because "$name must load into the Kafka client's context"
        }
    }

    It 'in the default context reference nothing of bin/ but the engine (another module''s copy would be bound instead)' {
        $moduleBase = Split-Path $env:KR_MANIFEST
        $shipped = Get-ChildItem (Join-Path $moduleBase 'bin') -Filter *.dll | ForEach-Object BaseName
        foreach ($file in 'KafkaReplication.dll', 'KafkaReplication.Loader.dll') {
            $stream = [IO.File]::OpenRead((Join-Path $moduleBase $file))
            try {
                $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
                $reader = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                $names = foreach ($handle in $reader.AssemblyReferences) { $reader.GetString($reader.GetAssemblyReference($handle).Name) }
                $pe.Dispose()
            } finally { $stream.Dispose() }
            @($names | Where-Object { $_ -in $shipped -and $_ -ne 'KafkaReplication.Engine' }) | Should -BeNullOrEmpty -Because "$file is loaded into the default context"
            if ($file -eq 'KafkaReplication.dll') { $names | Should -Contain 'KafkaReplication.Engine' }
        }
    }
}

Describe 'Remove-Module then Import-Module in one session' {
    It 'frees librdkafka on removal and loads it again on the next import, three times, with working cmdlets' {
        $result = Invoke-FreshPwsh ($moduleWork + @'
# A terminating error caught here: the error record it leaves must not keep the Kafka client's context alive.
# socket.timeout.ms ends the refused call after 1 s instead of the default 10 s.
function Get-KafkaErrorId {
    $cluster = New-ReplicationClusterReference -Alias closed -BootstrapServers '127.0.0.1:1'
    try { Get-ConsumerGroupLag -Cluster $cluster -Group g -Topic t -KafkaConfig @{ 'socket.timeout.ms' = '1000' } -ErrorAction Stop; 'no error' }
    catch { $script:kafkaAdvice = $_.ErrorDetails.RecommendedAction; ($_.FullyQualifiedErrorId -split ',')[0] }
}
function Get-EngineAssembly {
    [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KafkaReplication.Engine' }
}
# What the engine has loaded, and (Linux) what the process has mapped: the library really is gone after removal.
function Get-LoadedNative {
    @((Get-EngineAssembly).GetType('KafkaReplication.Engine.Kafka.KafkaClients')::Shared.LoadedNativeLibraries)
}
function Get-MappedNative {
    if (-not $IsLinux) { return @('not checked') }
    @(Get-Content /proc/self/maps | Where-Object { $_ -match 'librdkafka' } | ForEach-Object { ($_ -split '\s+')[-1] } | Select-Object -Unique)
}
function Get-ConfluentCopies {
    @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Confluent.Kafka' }).Count
}
Import-Module $env:KR_MANIFEST -ErrorAction Stop
$firstContext = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-EngineAssembly))
$firstCmdlets = (Get-Command Get-ConsumerGroupLag).ImplementingType.Assembly
$rounds = foreach ($round in 1..3) {
    $kafkaError = Get-KafkaErrorId
    $loaded = Get-LoadedNative
    $mapped = Get-MappedNative
    Remove-Module KafkaReplication
    [ordered]@{
        KafkaError          = $kafkaError
        Loaded              = $loaded
        Mapped              = $mapped
        CommandsAfterRemove = @(Get-Command -Module KafkaReplication -ErrorAction SilentlyContinue).Count
        LoadedAfterRemove   = Get-LoadedNative
        MappedAfterRemove   = Get-MappedNative
        ConfluentAfterRemove = Get-ConfluentCopies
    }
    Import-Module $env:KR_MANIFEST -ErrorAction Stop
}
$second = Test-ModuleWorks $env:KR_WORK
$second.Rounds = $rounds
$second.KafkaError = Get-KafkaErrorId
$second.KafkaAdvice = $script:kafkaAdvice
$second.SameContext = [object]::ReferenceEquals($firstContext, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-EngineAssembly)))
$second.EngineCopies = @(Get-EngineAssembly).Count
$second.ConfluentCopies = Get-ConfluentCopies
$second.SameCmdlets = [object]::ReferenceEquals($firstCmdlets, (Get-Command Get-ConsumerGroupLag).ImplementingType.Assembly)
$second
'@)
        $result.Rounds.Count | Should -Be 3
        foreach ($round in $result.Rounds) {
            $round.KafkaError | Should -Be 'KafkaUnreachable'
            $round.Loaded | Should -Not -BeNullOrEmpty
            $round.Loaded | ForEach-Object { $_ | Should -Match 'librdkafka' }
            $round.Loaded | Should -Be $result.Rounds[0].Loaded
            $round.Mapped | Should -Not -BeNullOrEmpty
            $round.CommandsAfterRemove | Should -Be 0
            $round.LoadedAfterRemove | Should -BeNullOrEmpty
            if ($IsLinux) { $round.MappedAfterRemove | Should -BeNullOrEmpty -Because 'librdkafka is unmapped once the module is removed' }
            $round.ConfluentAfterRemove | Should -Be 0 -Because 'the Kafka client context is collected'
        }
        $result.KafkaError | Should -Be 'KafkaUnreachable'
        # The advice names Get-ConsumerGroupLag's own parameter (it has no -SourceBootstrapServers).
        $result.KafkaAdvice | Should -Match '(?<!\w)-BootstrapServers\b'
        $result.SameContext | Should -BeTrue
        $result.EngineCopies | Should -Be 1
        $result.ConfluentCopies | Should -Be 1
        $result.SameCmdlets | Should -BeTrue
        $result.RenderedFiles | Should -Be 1
        $result.GetFlowErrorId | Should -Be 'KubernetesUnreachable'
        $result.FromFile | Should -Be 'from-file'
    }
}
