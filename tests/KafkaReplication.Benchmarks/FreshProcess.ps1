# Shared by the fresh-process benchmarks (import-cost.ps1, remove-cost.ps1): the pwsh to start, and the summary line.

# The running pwsh's own executable: its apphost, or `dotnet pwsh.dll` where the tool has none.
$apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$pwsh = @(if (Test-Path $apphost) { $apphost } else { [Environment]::ProcessPath; Join-Path $PSHOME 'pwsh.dll' })

# Runs a script block in a fresh pwsh process with the manifest as its argument; returns what it wrote.
function Invoke-FreshProcess([scriptblock] $Probe, [string] $Manifest) {
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Probe -args $Manifest
}

# One line per figure: median, minimum and maximum of the samples' property.
function Format-Figure([object[]] $Samples, [string] $Name, [int] $Width, [string] $Manifest) {
    $sorted = @($Samples.$Name | Sort-Object)
    $median = $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
    "{0,-$Width} median {1,7:F1} ms   min {2,7:F1} ms   max {3,7:F1} ms   ({4} fresh processes, {5})" -f $Name, $median,
        $sorted[0], $sorted[-1], $Samples.Count, $Manifest
}
