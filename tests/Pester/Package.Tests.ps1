#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The installable package, as a user gets it: `build.ps1 -Task Package` writes the .nupkg, a local folder
# repository serves it, Save-PSResource installs it, and a fresh pwsh imports KafkaReplication by name and runs the
# main job (docs/examples/render-guide-flow.ps1). All offline.

BeforeAll {
    . (Join-Path $PSScriptRoot 'FreshPwsh.ps1')
    $env:KR_REPO_ROOT = $repoRoot
}

Describe 'The KafkaReplication package' {
    It 'installs with PSResourceGet from a local folder repository and runs the main job, imported by name' {
        $result = Invoke-FreshPwsh @'
# PSResourceGet keeps its repository list under the local application data folder: a private one for this test.
$env:XDG_DATA_HOME = Join-Path $env:KR_WORK 'data'
$repository = New-Item -ItemType Directory -Path (Join-Path $env:KR_WORK 'repository')
$modules = New-Item -ItemType Directory -Path (Join-Path $env:KR_WORK 'modules')
$artifacts = Join-Path $env:KR_WORK 'artifacts'

# The package task, on the module folder the build laid out.
& (Join-Path $env:KR_REPO_ROOT 'build.ps1') -Task Package -NoBuild -ArtifactsPath $artifacts | Out-Null
if ($LASTEXITCODE -ne 0) { throw "build.ps1 -Task Package failed ($LASTEXITCODE)" }
$package = Get-Item (Join-Path $artifacts 'KafkaReplication.*.nupkg')
Copy-Item $package.FullName $repository

$name = 'KafkaReplicationTest' + [guid]::NewGuid().ToString('n').Substring(0, 8)
Register-PSResourceRepository -Name $name -Uri $repository.FullName -Trusted
try {
    $found = Find-PSResource -Name KafkaReplication -Repository $name
    Save-PSResource -Name KafkaReplication -Repository $name -Path $modules.FullName -TrustRepository
}
finally { Unregister-PSResourceRepository -Name $name }

$env:PSModulePath = $modules.FullName + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module KafkaReplication -ErrorAction Stop
$imported = Get-Module KafkaReplication
Set-Location $env:KR_WORK
$job = & (Join-Path $env:KR_REPO_ROOT 'docs/examples/render-guide-flow.ps1') -OutputPath rendered | Out-String
[ordered]@{
    PackageName   = $package.Name
    PackageMB     = [math]::Round($package.Length / 1MB, 1)
    FoundVersion  = $found.Version.ToString()
    ModuleBase    = $imported.ModuleBase
    ModuleVersion = $imported.Version.ToString()
    Commands      = @(Get-Command -Module KafkaReplication).Count
    Job           = $job
    Rendered      = Test-Path (Join-Path $env:KR_WORK 'rendered/uswest-to-useast.yaml')
}
'@
        $version = (Import-PowerShellDataFile (Join-Path $repoRoot 'KafkaReplication.psd1')).ModuleVersion
        $result.PackageName | Should -Be "KafkaReplication.$version.nupkg"
        $result.FoundVersion | Should -Be $version
        $result.ModuleVersion | Should -Be $version
        $result.ModuleBase | Should -BeLike ((Join-Path $TestDrive '*') + (Join-Path 'modules' 'KafkaReplication' '*'))
        $result.Commands | Should -Be @((Import-PowerShellDataFile (Join-Path $repoRoot 'KafkaReplication.psd1')).CmdletsToExport).Count
        $result.Rendered | Should -BeTrue
        $result.Job | Should -Match 'Test-ReplicationFlow: no findings'
        Write-Host "Package: $($result.PackageName), $($result.PackageMB) MB"
    }
}
