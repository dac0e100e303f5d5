#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the KafkaReplication module.

.DESCRIPTION
    Build    dotnet build of KafkaReplication.sln; lays out the importable module in out/KafkaReplication, and
             Pester 5.7.1 (from NuGet) in out/pester.
    Example  Builds the module, then runs the main job, docs/examples/render-guide-flow.ps1, in a child pwsh with
             the built module imported: renders the guide's example flow to ./rendered and checks it.
    Test     Every test: dotnet test of KafkaReplication.sln (engine, emulators, hosted-runspace and documentation
             tests), then the Pester suite (tests/Pester) in child pwsh processes. Ends with one line,
             "N passed, N failed, N skipped", counting both.
    Pester   Builds, then runs only the Pester suite.
    Package  Builds, then writes artifacts/KafkaReplication.<ModuleVersion>.nupkg, a package that PSResourceGet
             installs (Publish-PSResource to a local folder repository).

    Several tasks can be given; they run in the order Build, Example, Test, Pester, Package. The script stops at
    the first failing task (Test runs the Pester suite even when an xunit suite failed, so that the totals are
    complete) and exits with a non-zero code.

    On a fresh clone with only the .NET SDK, pwsh 7.6.10 comes from the repository's tool manifest:
        dotnet tool restore
        dotnet pwsh -NoProfile -File build.ps1 -Task Test

.EXAMPLE
    ./build.ps1

    Builds the module (Debug) into out/KafkaReplication.

.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File build.ps1 -Task Test

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Example', 'Test', 'Pester', 'Package')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # Package (or Pester) the module folder as it is, without building first.
    [switch] $NoBuild,

    # Where Package writes the .nupkg (default: artifacts/).
    [string] $ArtifactsPath
)

$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false # exit codes are checked by Invoke-Native
Set-StrictMode -Version 3.0

$repoRoot = $PSScriptRoot
$solution = Join-Path $repoRoot 'KafkaReplication.sln'
$moduleDir = Join-Path $repoRoot 'out/KafkaReplication'
$manifest = Join-Path $repoRoot 'KafkaReplication.psd1'
$artifacts = if ($ArtifactsPath) { $ArtifactsPath } else { Join-Path $repoRoot 'artifacts' }

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

function Get-PwshCommand {
    # Under `dotnet pwsh` this process is dotnet running pwsh.dll; the tool package has the pwsh apphost beside it.
    $apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $apphost) { return , @($apphost) }
    , @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'))
}

function Invoke-Example {
    Invoke-Native dotnet @('build', (Join-Path $repoRoot 'src/KafkaReplication'), '--configuration', $Configuration, '--nologo', '-v', 'q')
    $pwsh = Get-PwshCommand
    Write-Host "> pwsh docs/examples/render-guide-flow.ps1 (module: $moduleDir)" -ForegroundColor Cyan
    # A child process, as in Invoke-PesterTests: the module's assemblies stay out of this session.
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command {
        param($Manifest, $Script)
        $ErrorActionPreference = 'Stop'
        Import-Module $Manifest
        & $Script
    } -args (Join-Path $moduleDir 'KafkaReplication.psd1'), (Join-Path $repoRoot 'docs/examples/render-guide-flow.ps1')
    if ($LASTEXITCODE -ne 0) { throw "The example failed (exit code $LASTEXITCODE)." }
}

$script:totals = @{ Passed = 0; Failed = 0; Skipped = 0 }

function Invoke-Test {
    Write-Host "> dotnet test $solution --configuration $Configuration" -ForegroundColor Cyan
    # Each test assembly ends with "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..." (or "Failed!  - ...").
    & dotnet test $solution --configuration $Configuration --nologo 2>&1 | ForEach-Object {
        $line = "$_"
        Write-Host $line
        if ($line -match '(Passed|Failed)! +- +Failed: *(\d+), Passed: *(\d+), Skipped: *(\d+)') {
            $script:totals.Failed += [int]$Matches[2]; $script:totals.Passed += [int]$Matches[3]; $script:totals.Skipped += [int]$Matches[4]
        }
    }
    $xunitExit = $LASTEXITCODE
    if ($xunitExit -ne 0 -and $script:totals.Failed -eq 0) { $script:totals.Failed = 1 } # a build failure counts as one
    $script:built = $xunitExit -eq 0 -or (Test-Path (Join-Path $moduleDir 'KafkaReplication.psd1'))
    try { Invoke-PesterTests } catch { Write-Host "build.ps1: $($_.Exception.Message)" -ForegroundColor Red }
    Write-Host ('{0} passed, {1} failed, {2} skipped' -f $script:totals.Passed, $script:totals.Failed, $script:totals.Skipped)
    # The totals are the closing line (.ci/run reads it), so a failure exits here rather than through the catch below.
    if ($script:totals.Failed -gt 0 -or $xunitExit -ne 0) { exit 1 }
}

function Invoke-PesterTests {
    if (-not $script:built -and -not $NoBuild) { Invoke-Build }
    # Pester comes from NuGet at build time (tests/Pester/KafkaReplication.Pester.csproj), never from a gallery.
    $pester = Join-Path $repoRoot 'out/pester/Modules/Pester/5.7.1/Pester.psd1'
    # `dotnet test` builds only the test projects and what they reference, not this one.
    if (-not (Test-Path $pester)) {
        Invoke-Native dotnet @('build', (Join-Path $repoRoot 'tests/Pester/KafkaReplication.Pester.csproj'), '--configuration', $Configuration, '--nologo', '-v', 'q')
    }
    if (-not (Test-Path $pester)) { throw "Pester is not laid out in '$pester'." }

    $testPath = Join-Path $repoRoot 'tests/Pester'
    $resultPath = Join-Path $artifacts 'pester-results.xml'
    $countsPath = Join-Path $artifacts 'pester-counts.json'
    New-Item -ItemType Directory -Path $artifacts -Force | Out-Null
    Remove-Item -Path $countsPath -ErrorAction SilentlyContinue
    Write-Host "> Invoke-Pester $testPath (Pester 5.7.1, pwsh $($PSVersionTable.PSVersion))" -ForegroundColor Cyan

    # A child process, so that the module's assemblies are not left loaded in this session (a later build could
    # not overwrite them on Windows); the isolation tests start a fresh process per case themselves.
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command {
        param($PesterPath, $TestPath, $ResultPath, $CountsPath)
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
        @{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
           Skipped = $result.SkippedCount + $result.NotRunCount } | ConvertTo-Json | Set-Content -Path $CountsPath
        if ($result.Result -ne 'Passed') { exit 1 }
        exit 0
    } -args $pester, $testPath, $resultPath, $countsPath
    $exit = $LASTEXITCODE
    $counts = if (Test-Path $countsPath) { Get-Content -Raw $countsPath | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    Write-Host ('Pester: Failed: {0}, Passed: {1}, Skipped: {2}' -f $counts.Failed, $counts.Passed, $counts.Skipped)
    $script:totals.Passed += $counts.Passed; $script:totals.Failed += $counts.Failed; $script:totals.Skipped += $counts.Skipped
    if ($exit -ne 0) {
        throw "Pester tests failed (exit code $exit); results in '$resultPath'."
    }
}

function Invoke-Package {
    if (-not $script:built -and -not $NoBuild) { Invoke-Build }
    $version = (Import-PowerShellDataFile -Path $manifest).ModuleVersion
    if (-not $version) { throw "No ModuleVersion in '$manifest'." }
    if (-not (Test-Path (Join-Path $moduleDir 'KafkaReplication.psd1'))) { throw "The module is not built in '$moduleDir'." }
    New-Item -ItemType Directory -Path $artifacts -Force | Out-Null
    $package = Join-Path $artifacts "KafkaReplication.$version.nupkg"
    if (Test-Path $package) { Remove-Item -Path $package -Force }
    # The same package Publish-PSResource would push, written without a repository: drop it into a folder
    # repository (or a feed) and Install-PSResource / Save-PSResource installs it.
    Compress-PSResource -Path $moduleDir -DestinationPath $artifacts
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write '$package'." }
    Write-Host ('Packaged KafkaReplication {0} ({1}) into {2} ({3:N1} MB)' -f $version, $Configuration, $package, ((Get-Item $package).Length / 1MB)) -ForegroundColor Green
}

$script:built = $false
try {
    foreach ($step in 'Build', 'Example', 'Test', 'Pester', 'Package') {
        if ($step -notin $Task) { continue }
        switch ($step) {
            'Build' { Invoke-Build }
            'Example' { Invoke-Example }
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
