<#
.SYNOPSIS
    The main job with no cluster: renders the vendor guide's example replication flow (two clusters with TLS and
    SASL/PLAIN, source alias uswest, target alias useast) to Kubernetes YAML, and checks it.
.PARAMETER OutputPath
    Folder for the rendered files (default: ./rendered).
.NOTES
    Credentials come from SOURCE_PASSWORD / TARGET_PASSWORD (demo values otherwise). The CA certificates are
    generated here, self-signed, for the demonstration; point -CaCertificatePath at your clusters' CAs instead.
#>
param([string]$OutputPath = 'rendered')

$ErrorActionPreference = 'Stop'
# Only Microsoft.PowerShell.Core is certain in every host (the module tests' hosted runspace has no Management module): .NET for paths.
$work = [IO.Directory]::CreateDirectory([IO.Path]::Combine($PWD.Path, $OutputPath)).FullName

function New-DemoCaFile([string]$Path, [string]$Subject) {
    $rsa = [Security.Cryptography.RSA]::Create(2048)
    $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $rsa,
        [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $cert = $request.CreateSelfSigned([DateTimeOffset]::UtcNow, [DateTimeOffset]::UtcNow.AddYears(1))
    [IO.File]::WriteAllText($Path, $cert.ExportCertificatePem())
    $Path
}

function New-DemoCredential([string]$User, [string]$Variable) {
    $value = [Environment]::GetEnvironmentVariable($Variable)
    if (-not $value) { $value = "demo-$User-password" }
    $secure = [securestring]::new(); foreach ($c in $value.ToCharArray()) { $secure.AppendChar($c) }
    [pscredential]::new($User, $secure)
}

$source = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'uswest-kafka-bootstrap.kafka:9093' `
    -SecurityProtocol SaslSsl -SaslMechanism Plain -Credential (New-DemoCredential replicator SOURCE_PASSWORD) `
    -CaCertificatePath (New-DemoCaFile ([IO.Path]::Combine($work, 'uswest-ca.crt')) 'CN=uswest-demo-ca')
$target = New-ReplicationClusterReference -Alias useast -BootstrapServers 'useast-kafka-bootstrap.kafka:9093' `
    -SecurityProtocol SaslSsl -SaslMechanism Plain -Credential (New-DemoCredential replicator TARGET_PASSWORD) `
    -CaCertificatePath (New-DemoCaFile ([IO.Path]::Combine($work, 'useast-ca.crt')) 'CN=useast-demo-ca')

$flow = New-ReplicationFlow -Name uswest-to-useast -Namespace replication -Source $source -Target $target `
    -Topics 'test.*' -Groups 'test.*' -KafkaVersion 3.8.0.1.2 -OutputPath $work -PassThru |
    Where-Object { $_ -isnot [IO.FileInfo] }

$findings = @(Test-ReplicationFlow -ManifestPath ([IO.Path]::Combine($work, 'uswest-to-useast.yaml')))
$flow
"Rendered: $([IO.Path]::Combine($work, 'uswest-to-useast.yaml'))"
if ($findings.Count -eq 0) { 'Test-ReplicationFlow: no findings.' } else { $findings }
