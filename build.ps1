#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the KafkaReplication module.

.DESCRIPTION
    Build    dotnet build of KafkaReplication.sln; lays out the importable module in out/KafkaReplication.
    Test     dotnet test of KafkaReplication.sln (engine, emulators, hosted-runspace and documentation tests).
    Pester   Builds, then runs tests/Pester in a child pwsh process if Pester 5 or later is installed;
             otherwise says that it is skipped.
    Package  Builds, then zips out/KafkaReplication into artifacts/KafkaReplication-<ModuleVersion>.zip.

    Several tasks can be given; they run in the order Build, Test, Pester, Package. The script stops at the first
    failure and exits with a non-zero code.

.EXAMPLE
    ./build.ps1

    Builds the module (Debug) into out/KafkaReplication.

.EXAMPLE
    ./build.ps1 -Task Test, Pester

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false # exit codes are checked by Invoke-Native
Set-StrictMode -Version 3.0

$repoRoot = $PSScriptRoot
$solution = Join-Path $repoRoot 'KafkaReplication.sln'
$moduleDir = Join-Path $repoRoot 'out/KafkaReplication'
$manifest = Join-Path $repoRoot 'KafkaReplication.psd1'
$artifacts = Join-Path $repoRoot 'artifacts'

function Invoke-Native {
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor Cyan
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', $solution, '--configuration', $Configuration, '--nologo')
    if (-not (Test-Path (Join-Path $moduleDir 'KafkaReplication.psd1'))) {
        throw "The build did not lay out the module in '$moduleDir'."
    }
    $script:built = $true
}

function Invoke-Test {
    Invoke-Native dotnet @('test', $solution, '--configuration', $Configuration, '--nologo')
}

function Invoke-PesterTests {
    $pester = Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version -ge [version]'5.0.0' } |
        Sort-Object Version -Descending |
        Select-Object -First 1
    if (-not $pester) {
        Write-Warning ('Pester 5 or later is not installed: the Pester tests are skipped. ' +
            'Install it with: Install-Module Pester -MinimumVersion 5.0.0 -Scope CurrentUser')
        return
    }
    if (-not $script:built) { Invoke-Build }

    $testPath = Join-Path $repoRoot 'tests/Pester'
    $resultPath = Join-Path $artifacts 'pester-results.xml'
    New-Item -ItemType Directory -Path $artifacts -Force | Out-Null
    Write-Host "> Invoke-Pester $testPath (Pester $($pester.Version))" -ForegroundColor Cyan

    # A child process, so that the module's assemblies are not left loaded in this session (a later build could
    # not overwrite them on Windows).
    $pwsh = (Get-Process -Id $PID).Path
    & $pwsh -NoProfile -NonInteractive -Command {
        param($PesterPath, $TestPath, $ResultPath)
        $ErrorActionPreference = 'Stop'
        Import-Module $PesterPath
        $config = New-PesterConfiguration
        $config.Run.Path = $TestPath
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputFormat = 'NUnitXml'
        $config.TestResult.OutputPath = $ResultPath
        $result = Invoke-Pester -Configuration $config
        if ($result.Result -ne 'Passed') { exit 1 }
        exit 0
    } -args $pester.Path, $testPath, $resultPath
    if ($LASTEXITCODE -ne 0) {
        throw "Pester tests failed (exit code $LASTEXITCODE); results in '$resultPath'."
    }
}

function Invoke-Package {
    if (-not $script:built) { Invoke-Build }
    $version = (Import-PowerShellDataFile -Path $manifest).ModuleVersion
    if (-not $version) { throw "No ModuleVersion in '$manifest'." }
    New-Item -ItemType Directory -Path $artifacts -Force | Out-Null
    $zip = Join-Path $artifacts "KafkaReplication-$version.zip"
    if (Test-Path $zip) { Remove-Item -Path $zip -Force }
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    # includeBaseDirectory: the zip holds a KafkaReplication/ folder, ready to extract into a PSModulePath folder.
    [IO.Compression.ZipFile]::CreateFromDirectory($moduleDir, $zip, [IO.Compression.CompressionLevel]::Optimal, $true)
    Write-Host "Packaged KafkaReplication $version ($Configuration) into $zip" -ForegroundColor Green
}

$script:built = $false
try {
    foreach ($step in 'Build', 'Test', 'Pester', 'Package') {
        if ($step -notin $Task) { continue }
        switch ($step) {
            'Build' { Invoke-Build }
            'Test' { Invoke-Test }
            'Pester' { Invoke-PesterTests }
            'Package' { Invoke-Package }
        }
    }
}
catch {
    Write-Host "build.ps1: $($_.Exception.Message)" -ForegroundColor Red
    exit 1
}
exit 0
