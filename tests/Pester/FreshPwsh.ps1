# Dot-sourced by the Pester files: runs a script in a fresh pwsh process (the same pwsh as the suite's) with the
# built module's manifest in $env:KR_MANIFEST and a work folder in $env:KR_WORK, and returns what the script's last
# output was, read back from JSON. A failing script (non-zero exit, or an error record) fails the test with its output.

$repoRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$env:KR_MANIFEST = Join-Path $repoRoot 'out/KafkaReplication/KafkaReplication.psd1'

function Get-PwshCommand {
    # `dotnet pwsh` runs pwsh.dll under dotnet; the tool package also has the pwsh apphost beside it.
    $apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $apphost) { return @($apphost) }
    @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'))
}

function Invoke-FreshPwsh([Parameter(Mandatory)][string] $Script) {
    $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $work
    $file = Join-Path $work 'case.ps1'
    $resultFile = Join-Path $work 'result.json'
    Set-Content -Path $file -Value @(
        '$ErrorActionPreference = ''Stop'''
        '$result = & {'
        $Script
        '}'
        '$result | ConvertTo-Json -Depth 5 | Set-Content -Path $env:KR_RESULT'
    )
    $env:KR_WORK = $work
    $env:KR_RESULT = $resultFile
    $pwsh = @(Get-PwshCommand)
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file 2>&1 | Out-String
    if ($LASTEXITCODE -ne 0 -or -not (Test-Path $resultFile)) {
        throw "The fresh pwsh process failed (exit code $LASTEXITCODE):`n$output"
    }
    Get-Content -Raw -Path $resultFile | ConvertFrom-Json -AsHashtable
}

# The text a fresh pwsh process writes (stdout and stderr) for a script, with extra environment variables.
function Invoke-FreshPwshOutput([Parameter(Mandatory)][string] $Script, [hashtable] $Environment = @{}) {
    $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $work
    $file = Join-Path $work 'case.ps1'
    Set-Content -Path $file -Value $Script
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    try {
        $env:KR_WORK = $work
        $pwsh = @(Get-PwshCommand)
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file 2>&1 | Out-String
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}
