namespace KafkaReplication.Module.Tests;

/// <summary>PowerShell snippets shared by tests: the guide's example flow built from parameters.</summary>
internal static class Scripts
{
    public const string GuideReferences = """
        $source = New-ReplicationClusterReference -Alias uswest -BootstrapServers 'source-kafka-bootstrap.kafka-src:9093' `
            -SecurityProtocol SaslSsl -SaslMechanism Plain `
            -Credential ([pscredential]::new('replicator', (ConvertTo-SecureString $env:SOURCE_PASSWORD -AsPlainText -Force))) `
            -TruststorePath ./truststore.jks -TruststorePassword (ConvertTo-SecureString $env:TRUSTSTORE_PASSWORD -AsPlainText -Force)
        $target = New-ReplicationClusterReference -Alias useast -BootstrapServers 'target-kafka-bootstrap.kafka-tgt:9093' `
            -SecurityProtocol SaslSsl -SaslMechanism Plain `
            -Credential ([pscredential]::new('replicator', (ConvertTo-SecureString $env:TARGET_PASSWORD -AsPlainText -Force))) `
            -CaCertificatePath ./ca.crt
        """;

    public const string GuideFlowArgs = "-Name uswest-to-useast -Namespace repl-ns -Source $source -Target $target -Topics 'test.*' -Groups 'test.*' -KafkaVersion 3.8.0.1.2";
}
