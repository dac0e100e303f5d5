#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# In an Azure Pipelines job (TF_BUILD set by the agent) the module's warnings and errors also go out as logging
# commands on the host's output, which the agent turns into issues on the run's summary.

BeforeAll {
    . (Join-Path $PSScriptRoot 'FreshPwsh.ps1')
    $script = @'
Import-Module $env:KR_MANIFEST -ErrorAction Stop
$a = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'a:9092'
$b = New-ReplicationClusterReference -Alias useast -BootstrapServers 'b:9092'
$null = New-ReplicationFlow -Name uswest-to-useast -Namespace repl -Source $a -Target $b -Topics 'orders.*' -NewPartitionStart Latest -OutputPath (Join-Path $env:KR_WORK 'out')
try { Get-ReplicationFlow -Kubeconfig (Join-Path $env:KR_WORK 'missing-kubeconfig') -ErrorAction Stop } catch { "caught $($_.FullyQualifiedErrorId -replace ',.*')" }
'@
}

Describe 'Azure Pipelines logging commands' {
    It 'are written for warnings and errors where TF_BUILD is set' {
        $output = Invoke-FreshPwshOutput $script @{ TF_BUILD = 'True' }
        $output | Should -Match '(?m)^##vso\[task\.logissue type=warning\]AtLeastOnceViolated: '
        $output | Should -Match "(?m)^##vso\[task\.logissue type=error\]Kubeconfig '.*missing-kubeconfig' does not exist\."
        $output | Should -Match '(?m)^caught KubeconfigNotFound'
        $output | Should -Match 'WARNING: AtLeastOnceViolated' -Because 'the warning record is written as well'
    }

    It 'are not written elsewhere' {
        $output = Invoke-FreshPwshOutput $script @{ TF_BUILD = $null }
        $output | Should -Match 'WARNING: AtLeastOnceViolated'
        $output | Should -Not -Match '##vso'
    }
}
